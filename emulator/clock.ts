// Emulated time: real time scaled by a speed factor, or a manual clock only tests move.

export type ClockOptions = { readonly mode: 'real'; readonly speed?: number } | { readonly mode: 'manual' };

export interface ClockInfo {
  readonly mode: 'real' | 'manual';
  readonly speed: number;
  /** Emulated now, ISO 8601. */
  readonly now: string;
  readonly epochSeconds: number;
}

export class Clock {
  private readonly realStart = Date.now();
  private advancedMs = 0;

  constructor(
    readonly options: ClockOptions,
    /** Emulated time at construction (restored from a state file, or the wall clock). */
    private readonly startMs = Date.now(),
  ) {
    if (options.mode === 'real' && options.speed !== undefined && !(options.speed > 0)) {
      throw new RangeError(`clock speed must be > 0, got ${options.speed}`);
    }
  }

  /** Emulated now in epoch milliseconds. */
  now(): number {
    if (this.options.mode === 'manual') return this.startMs + this.advancedMs;
    const elapsed = (Date.now() - this.realStart) * (this.options.speed ?? 1);
    return Math.floor(this.startMs + elapsed + this.advancedMs);
  }

  /** Moves emulated time forward (allowed in both modes: a real clock jumps ahead). */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a number >= 0');
    this.advancedMs += Math.round(seconds * 1000);
  }

  info(): ClockInfo {
    const now = this.now();
    return {
      mode: this.options.mode,
      speed: this.options.mode === 'real' ? (this.options.speed ?? 1) : 0,
      now: new Date(now).toISOString(),
      epochSeconds: now / 1000,
    };
  }
}
