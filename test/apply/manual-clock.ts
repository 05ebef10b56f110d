// A clock for the rate limiter that only moves when a test says so.
import type { LimiterClock } from '../../controller/aws/rate-limiter.js';

export class ManualClock implements LimiterClock {
  private time = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.sleepers.push({ until: this.time + ms, resolve }));
  }

  get waiting(): number {
    return this.sleepers.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.until <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.until > this.time);
    for (const sleeper of due) sleeper.resolve();
  }
}
