// Exponential backoff with "full jitter" (AWS architecture blog): the delay is uniform in
// [base/2, base] so many controllers failing together do not retry in lockstep.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor?: number;
  /** Injected for deterministic tests; Math.random by default. */
  readonly random?: () => number;
}

export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  fail(): number {
    this.failures += 1;
    const factor = this.options.factor ?? 2;
    const base = Math.min(this.options.maxMs, this.options.initialMs * factor ** (this.failures - 1));
    const random = this.options.random ?? Math.random;
    return Math.round(base / 2 + (random() * base) / 2);
  }

  reset(): void {
    this.failures = 0;
  }
}
