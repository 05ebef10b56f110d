// What every operation handler receives: the state of the caller's region and emulated now.
import type { EmulatorState, Json, JsonObject, RegionState } from './state.js';

export interface Timings {
  /** Seconds a task spends PROVISIONING before PENDING. */
  readonly provisioningSeconds: number;
  /** Seconds a task spends PENDING before RUNNING (or before failing, for a failing image). */
  readonly pendingSeconds: number;
  /** Seconds a stopping task takes to reach STOPPED. */
  readonly stoppingSeconds: number;
}

export interface RuntimeConfig {
  failImagePattern?: RegExp;
  timings: Timings;
}

export interface OpContext {
  readonly state: EmulatorState;
  readonly region: RegionState;
  readonly regionName: string;
  readonly accountId: string;
  readonly nowMs: number;
  readonly config: RuntimeConfig;
  /** The IAM principal that "made" the call (createdBy / registeredBy). */
  readonly principal: string;
}

export type Handler = (ctx: OpContext, input: JsonObject) => Json | Promise<Json>;

/** Epoch seconds with millisecond precision, as JSON 1.1 timestamps travel. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
