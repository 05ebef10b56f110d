import { describe, expect, it } from 'vitest';
import { PassQueue } from '../../controller/reconcile/pass-queue.js';

describe('pass queue', () => {
  it('given several requests before the loop takes one, when taking, then they merge into one pass', async () => {
    const queue = new PassQueue();
    queue.request('resync');
    queue.request('webhook', { fetch: true });
    queue.request('resync');
    expect(await queue.next()).toEqual({ reasons: ['resync', 'webhook'], fetch: true });
    expect(queue.hasPending).toBe(false);
  });

  it('given a Sync now among merged requests, then the merged pass is marked manual', async () => {
    const queue = new PassQueue();
    queue.request('resync');
    queue.request('api: deploy now', { manual: true });
    expect(await queue.next()).toEqual({
      reasons: ['resync', 'api: deploy now'],
      fetch: false,
      manual: true,
    });
  });

  it('given a waiting loop, when a request arrives, then the loop wakes with it', async () => {
    const queue = new PassQueue();
    const next = queue.next();
    queue.request('api');
    expect(await next).toEqual({ reasons: ['api'], fetch: false });
  });

  it('given a delayed request, when its time comes, then it is delivered', async () => {
    const queue = new PassQueue();
    queue.requestAfter(10, 'backoff');
    expect(await queue.next()).toEqual({ reasons: ['backoff'], fetch: false });
  });

  it('given a closed queue, when waiting, then it resolves undefined and drops timers', async () => {
    const queue = new PassQueue();
    const next = queue.next();
    queue.requestAfter(10, 'later');
    queue.close();
    expect(await next).toBeUndefined();
    expect(await queue.next()).toBeUndefined();
  });
});
