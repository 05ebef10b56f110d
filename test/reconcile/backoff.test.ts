import { describe, expect, it } from 'vitest';
import { KeyedBackoff } from '../../controller/reconcile/backoff.js';

const noJitter = { baseMs: 1000, maxMs: 8000, jitter: 0 };

describe('per-resource backoff', () => {
  it('given repeated failures of one revision, when failing, then delays double up to the cap', () => {
    const backoff = new KeyedBackoff(noJitter);
    const delays = [1, 2, 3, 4, 5].map(() => backoff.fail('Service/web', 'rev1', 0));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('given a failure, when asking before and after the delay, then the key waits only until then', () => {
    const backoff = new KeyedBackoff(noJitter);
    backoff.fail('Service/web', 'rev1', 10_000);
    expect(backoff.isWaiting('Service/web', 'rev1', 10_500)).toBe(true);
    expect(backoff.isWaiting('Service/web', 'rev1', 11_000)).toBe(false);
    expect(backoff.nextDueIn(10_200)).toBe(800);
  });

  it('given a failing revision, when a newer revision arrives, then it is not held back and the count restarts', () => {
    const backoff = new KeyedBackoff(noJitter);
    backoff.fail('Service/web', 'rev1', 0);
    backoff.fail('Service/web', 'rev1', 0);
    expect(backoff.isWaiting('Service/web', 'rev2', 1)).toBe(false);
    expect(backoff.fail('Service/web', 'rev2', 0)).toBe(1000);
  });

  it('given jitter, when failing, then the delay is randomized below the exponential value', () => {
    const backoff = new KeyedBackoff({ baseMs: 1000, maxMs: 60_000, jitter: 0.5, random: () => 1 });
    expect(backoff.fail('Service/web', 'rev1', 0)).toBe(500);
  });

  it('given a success, when asking, then the key is forgotten', () => {
    const backoff = new KeyedBackoff(noJitter);
    backoff.fail('Service/web', 'rev1', 0);
    backoff.succeed('Service/web');
    expect(backoff.failures('Service/web')).toBe(0);
    expect(backoff.nextDueIn(0)).toBeUndefined();
  });
});
