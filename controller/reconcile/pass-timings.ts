// Where the time of one pass goes, step by step (fetch, parse, read, diff, lease, plan, apply, status), so
// a slow commit → UpdateService can be explained from the debug log ('pass finished') instead of
// guessed. Monotonic clock; steps that run twice add up.

import type { PassPhase } from '../status/model.js';

export type PassStep = PassPhase;

export class PassTimings {
  private readonly ms = new Map<PassStep, number>();
  /** How many desired resources the pass read: all of them (full) or a targeted few. */
  scope: { readonly targeted: boolean; readonly resources: number } | undefined;

  /** `onStep`: told as each step starts (the pass shows its phase in /api/status). */
  constructor(
    private readonly clock: () => number = () => performance.now(),
    private readonly onStep?: (step: PassStep) => void,
  ) {}

  async time<T>(step: PassStep, work: () => Promise<T>): Promise<T> {
    this.onStep?.(step);
    const started = this.clock();
    try {
      return await work();
    } finally {
      this.add(step, this.clock() - started);
    }
  }

  timeSync<T>(step: PassStep, work: () => T): T {
    this.onStep?.(step);
    const started = this.clock();
    try {
      return work();
    } finally {
      this.add(step, this.clock() - started);
    }
  }

  /** Starts timing a step that spans more than one call; the returned function ends it. */
  begin(step: PassStep): () => void {
    this.onStep?.(step);
    const started = this.clock();
    return () => this.add(step, this.clock() - started);
  }

  /** Whole milliseconds per step that ran, in the order they first ran. */
  toJSON(): Partial<Record<PassStep, number>> {
    return Object.fromEntries([...this.ms].map(([step, ms]) => [step, Math.round(ms)]));
  }

  private add(step: PassStep, ms: number): void {
    this.ms.set(step, (this.ms.get(step) ?? 0) + ms);
  }
}
