// Options of startEmulator() and their defaults (in one place).
import type { ClockOptions } from './clock.js';
import type { Timings } from './context.js';

export interface EmulatorOptions {
  /** 0 picks a free port. Default 0. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Persist the state here (atomic writes); absent = in memory only. */
  readonly stateFile?: string;
  /** Account id in ARNs. Default 123456789012. */
  readonly accountId?: string;
  /** Default: real time at speed 1. */
  readonly clock?: ClockOptions;
  /** Regex source: tasks whose image matches fail to start (stoppedReason set). */
  readonly failImagePattern?: string;
  /** Task lifecycle durations in emulated seconds. */
  readonly timings?: Partial<Timings>;
  /** Region when a request carries no SigV4 credential scope. Default us-east-1. */
  readonly defaultRegion?: string;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_TIMINGS: Timings = { provisioningSeconds: 2, pendingSeconds: 3, stoppingSeconds: 2 };

export function compileFailPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined || source === '') return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new RangeError(`failImagePattern is not a valid regular expression: ${(error as Error).message}`);
  }
}
