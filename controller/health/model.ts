// What a health check concludes about one live object. Pure data.
import type { HealthState } from '../types.js';

export interface HealthResult {
  readonly state: HealthState;
  /** A stable CamelCase word for conditions and metrics (`RolloutCompleted`, `RolledBack`, …). */
  readonly reason: string;
  /** One line for people: counts, rollout state, the first stoppedReason. */
  readonly message: string;
}

export function health(state: HealthState, reason: string, message: string): HealthResult {
  return { state, reason, message };
}

export const MISSING: HealthResult = health('Missing', 'NotFound', 'does not exist');
