// Exponential backoff with jitter, for everything that retries: the Git poll while the remote
// fails, alert deliveries, and resources that fail to apply. The randomized share keeps many
// failing things from retrying in lockstep (AWS architecture blog, "full jitter").

export interface BackoffOptions {
  /** Delay after the first failure. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0..1: share of the delay that is randomized (0.5 → uniform in [delay/2, delay]). Default 0.5. */
  readonly jitter?: number;
  /** Injected for deterministic tests; Math.random by default. */
  readonly random?: () => number;
}

/** The delay after `failures` consecutive failures (1 = the first). */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** (Math.max(1, failures) - 1));
  const random = options.random ?? Math.random;
  return Math.round(raw * (1 - (options.jitter ?? 0.5) * random()));
}

/** One retry sequence: fail() until it works, then reset(). */
export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  fail(): number {
    this.failures += 1;
    return backoffDelay(this.failures, this.options);
  }

  reset(): void {
    this.failures = 0;
  }
}
