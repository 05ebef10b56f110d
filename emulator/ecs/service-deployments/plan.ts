// The stage plan of a BLUE_GREEN, LINEAR or CANARY deployment, in the documented order
// (API_ServiceDeployment lifecycleStage): the production shift stages repeat per LINEAR / CANARY step.
import type { JsonObject, ProgressiveStep } from '../../state.js';
import { canaryOf, linearOf, type Strategy } from './strategy-config.js';

/** How long a stage without a bake time takes on the emulated clock. */
export const STAGE_MS = 2000;
const MINUTE_MS = 60_000;

const hold = (minutes: number) => (minutes > 0 ? minutes * MINUTE_MS : STAGE_MS);
const round = (value: number) => Math.round(value * 10) / 10;

/** The production weights of the target revision after each shift step. */
export function shiftSteps(strategy: Strategy, config: JsonObject): { weight: number; holdMs: number }[] {
  if (strategy === 'LINEAR') {
    const { stepPercent, stepBakeMinutes } = linearOf(config);
    const steps: { weight: number; holdMs: number }[] = [];
    for (let k = 1; ; k++) {
      const weight = Math.min(100, round(k * stepPercent));
      // "This bake time is not applied after reaching 100 percent traffic."
      steps.push({ weight, holdMs: weight < 100 ? hold(stepBakeMinutes) : STAGE_MS });
      if (weight >= 100) return steps;
    }
  }
  if (strategy === 'CANARY') {
    const { canaryPercent, canaryBakeMinutes } = canaryOf(config);
    if (canaryPercent >= 100) return [{ weight: 100, holdMs: STAGE_MS }];
    return [
      { weight: round(canaryPercent), holdMs: hold(canaryBakeMinutes) },
      { weight: 100, holdMs: STAGE_MS },
    ];
  }
  return [{ weight: 100, holdMs: STAGE_MS }];
}

export function buildPlan(strategy: Strategy, config: JsonObject, sourceCount: number): ProgressiveStep[] {
  const step = (stage: string, holdMs = STAGE_MS, productionWeight?: number): ProgressiveStep =>
    productionWeight === undefined ? { stage, holdMs } : { stage, holdMs, productionWeight };
  const plan: ProgressiveStep[] = [];
  // "The reconciliation stage that only happens when you start a new service deployment with more
  // than 1 service revision in an ACTIVE state."
  if (sourceCount > 1) plan.push(step('RECONCILE_SERVICE'));
  plan.push(step('PRE_SCALE_UP'), step('SCALE_UP'), step('POST_SCALE_UP'));
  plan.push(step('TEST_TRAFFIC_SHIFT'), step('POST_TEST_TRAFFIC_SHIFT'));
  for (const shift of shiftSteps(strategy, config)) {
    plan.push(
      step('PRE_PRODUCTION_TRAFFIC_SHIFT'),
      step('PRODUCTION_TRAFFIC_SHIFT', shift.holdMs, shift.weight),
    );
  }
  const bake = typeof config.bakeTimeInMinutes === 'number' ? config.bakeTimeInMinutes : 0;
  plan.push(step('POST_PRODUCTION_TRAFFIC_SHIFT'), step('BAKE_TIME', hold(bake)), step('CLEAN_UP'));
  return plan;
}
