// The lease keeper on real timers against the emulator: the holder renews in the background
// between passes, a standby takes over soon after the holder dies, and a graceful stop hands over at once.
import { describe, expect, it } from 'vitest';
import { type LeaseKeeper, startLeaseKeeper } from '../../controller/lease/keeper.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { waitFor } from '../helpers/git.js';

const env = useTestEmulator();

function keeper(holderId: string, ttlMs = 1500): LeaseKeeper {
  return startLeaseKeeper({
    clients: { ecs: env().clients().ecs },
    instance: 'prod',
    holderId,
    ttlMs,
    settleMs: 20,
    clockSkewMs: 100,
    renewEveryMs: 200,
  });
}

describe('lease keeper', () => {
  it('given a holder with no reconcile passes, when time passes beyond the ttl, then the background renewal keeps it active', async () => {
    const a = keeper('task-a');
    await waitFor(() => a.lease.isHeld(), 3000);
    const b = keeper('task-b');
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000)); // longer than the 1.5 s ttl

      expect(await a.holds()).toBe(true);
      expect(await b.holds()).toBe(false);
      expect((await b.lease.holder())?.id).toBe('task-a');
    } finally {
      a.stop();
      b.stop();
    }
  });

  it('given the holder dies without releasing, when its lease expires, then the standby takes over within a tick', async () => {
    const a = keeper('task-a');
    await waitFor(() => a.lease.isHeld(), 3000);
    const b = keeper('task-b');
    try {
      expect(await b.holds()).toBe(false);
      const died = Date.now();
      a.stop(); // a crash: no release

      await waitFor(() => b.lease.isHeld(), 4000);

      // Not before the dead holder's lease (ttl 1.5 s, renewed at most 0.2 s before it died) ran out.
      expect(Date.now() - died).toBeGreaterThanOrEqual(1000);
      expect(await b.holds()).toBe(true);
    } finally {
      a.stop();
      b.stop();
    }
  });

  it('given a graceful stop, when the holder releases, then the standby becomes active on its next tick', async () => {
    const a = keeper('task-a', 60_000);
    await waitFor(() => a.lease.isHeld(), 3000);
    const b = keeper('task-b', 60_000);
    try {
      expect(await b.holds()).toBe(false);

      const released = Date.now();
      await a.release();
      await waitFor(() => b.lease.isHeld(), 2000);

      // Far sooner than the 60 s ttl would allow.
      expect(Date.now() - released).toBeLessThan(2000);
      expect(await a.holds()).toBe(false);
    } finally {
      b.stop();
    }
  });
});
