// The de-duplicating work queue of the controller. Every trigger (new revision, resync timer,
// webhook, POST /api/sync, backoff expiry, rollout follow-up) only asks for a pass; requests that
// arrive while one is pending are merged, and a request during a running pass runs exactly one
// more pass afterwards. Level-triggered: a pass always reads desired and live afresh.

export interface PassRequest {
  /** Why passes were asked for since the last one started (deduplicated). */
  readonly reasons: readonly string[];
  /** True when any merged request asked to fetch the source first. */
  readonly fetch: boolean;
  /**
   * Present when a person asked ("Sync now"): what waits for a change (a rolled-back rollout, a
   * resource stalled by a terminal error) is tried again.
   */
  readonly manual?: true;
}

export interface RequestOptions {
  readonly fetch?: boolean;
  readonly manual?: boolean;
}

type Waiter = (request: PassRequest | undefined) => void;

export class PassQueue {
  private pending: { reasons: Set<string>; fetch: boolean; manual: boolean } | undefined;
  private waiter: Waiter | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  request(reason: string, options: RequestOptions = {}): void {
    if (this.closed) return;
    if (!this.pending) this.pending = { reasons: new Set(), fetch: false, manual: false };
    this.pending.reasons.add(reason);
    this.pending.fetch ||= options.fetch ?? false;
    this.pending.manual ||= options.manual ?? false;
    this.wake();
  }

  /** Asks for a pass after `ms`; several delayed requests each fire (their passes merge). */
  requestAfter(ms: number, reason: string, options: RequestOptions = {}): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.request(reason, options);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves with the next merged request, or undefined once closed. */
  next(): Promise<PassRequest | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.pending) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    waiter(this.take());
  }

  private take(): PassRequest {
    const pending = this.pending ?? { reasons: new Set<string>(), fetch: false, manual: false };
    this.pending = undefined;
    return {
      reasons: [...pending.reasons],
      fetch: pending.fetch,
      ...(pending.manual ? { manual: true } : {}),
    };
  }
}
