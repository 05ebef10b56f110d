// Per-resource exponential backoff with jitter (controller-runtime's rate-limited requeue).
// A resource that keeps failing is retried less and less often, capped, and forgotten on success
// or when a new revision supersedes the failing one.

import { type BackoffOptions, backoffDelay } from '../backoff.js';

export type { BackoffOptions };

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 5 * 60_000, jitter: 0.2 };

interface Entry {
  failures: number;
  notBefore: number;
  revision: string;
}

export class KeyedBackoff<K extends string = string> {
  private readonly entries = new Map<K, Entry>();

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** Records a failure at `now` and returns the delay until the next attempt. */
  fail(key: K, revision: string, now: number): number {
    const previous = this.entries.get(key);
    const failures = previous && previous.revision === revision ? previous.failures + 1 : 1;
    const delay = backoffDelay(failures, this.options);
    this.entries.set(key, { failures, notBefore: now + delay, revision });
    return delay;
  }

  succeed(key: K): void {
    this.entries.delete(key);
  }

  /** Waiting keys for `revision`; a failure recorded for an older revision never holds a newer one back. */
  isWaiting(key: K, revision: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.revision === revision && entry.notBefore > now;
  }

  failures(key: K): number {
    return this.entries.get(key)?.failures ?? 0;
  }

  /** Milliseconds until the earliest waiting key may run again, or undefined when none waits. */
  nextDueIn(now: number): number | undefined {
    let earliest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.notBefore > now && (earliest === undefined || entry.notBefore < earliest))
        earliest = entry.notBefore;
    }
    return earliest === undefined ? undefined : earliest - now;
  }
}
