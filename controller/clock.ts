// The one clock the reconcile loop reads: wall time for timestamps and backoff deadlines, a
// monotonic counter for durations (a wall clock may jump). Tests inject a manual one
// (test/reconcile/fake-ports.ts) so that nothing they assert depends on how fast the machine is.

export interface Clock {
  /** Wall time: status and event timestamps, backoff deadlines. */
  now(): Date;
  /** Milliseconds from an arbitrary origin that never go back: pass durations. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
