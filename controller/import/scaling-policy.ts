// A scalable target with its policies and scheduled actions (Application Auto Scaling, PascalCase)
// → the minimal ScalingPolicy spec (camelCase, the manifest's flat policy form).

import { normalizeTimestamp } from '../aws-model/time.js';
import {
  dropDefaults,
  isAllDefaults,
  SCHEDULED_ACTION_DEFAULTS,
  STEP_SCALING_DEFAULTS,
  SUSPENDED_STATE_DEFAULTS,
  TARGET_TRACKING_DEFAULTS,
} from '../diff/normalize/defaults.js';
import { camelCaseKeys } from '../diff/normalize/pascal-case.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject } from '../diff/normalize/values.js';
import type { LiveScaling } from '../live/estate.js';

/** predefinedMetricType values the manifest accepts as a shorthand for predefinedMetricSpecification. */
const SHORTHAND_METRICS = new Set([
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageCPUUtilizationHighResolution',
  'ECSServiceAverageMemoryUtilization',
  'ECSServiceAverageMemoryUtilizationHighResolution',
]);

function targetTracking(policyName: unknown, raw: unknown): PlainObject {
  const config = asObject(raw);
  const item: PlainObject = { policyName, ...config };
  const predefined = asObject(config.predefinedMetricSpecification);
  const keys = Object.keys(predefined);
  if (keys.length === 1 && SHORTHAND_METRICS.has(String(predefined.predefinedMetricType))) {
    delete item.predefinedMetricSpecification;
    item.predefinedMetricType = predefined.predefinedMetricType;
  }
  dropDefaults(item, TARGET_TRACKING_DEFAULTS);
  return item;
}

function stepScaling(policyName: unknown, raw: unknown): PlainObject {
  const item: PlainObject = { policyName, ...asObject(raw) };
  dropDefaults(item, STEP_SCALING_DEFAULTS);
  return item;
}

function scheduledAction(raw: PlainObject): PlainObject {
  const item: PlainObject = {
    scheduledActionName: raw.scheduledActionName,
    schedule: raw.schedule,
    timezone: raw.timezone,
    startTime: raw.startTime === undefined ? undefined : normalizeTimestamp(raw.startTime),
    endTime: raw.endTime === undefined ? undefined : normalizeTimestamp(raw.endTime),
    scalableTargetAction: raw.scalableTargetAction,
  };
  dropDefaults(item, SCHEDULED_ACTION_DEFAULTS);
  return item;
}

export function importScalingPolicySpec(scaling: LiveScaling, serviceManifest: string): PlainObject {
  const target = asObject(camelCaseKeys(scaling.target));
  const suspended = isPlainObject(target.suspendedState) ? { ...target.suspendedState } : undefined;
  const trackers: PlainObject[] = [];
  const steps: PlainObject[] = [];
  for (const policy of scaling.policies.map((p) => asObject(camelCaseKeys(p)))) {
    if (policy.policyType === 'TargetTrackingScaling')
      trackers.push(targetTracking(policy.policyName, policy.targetTrackingScalingPolicyConfiguration));
    else if (policy.policyType === 'StepScaling')
      steps.push(stepScaling(policy.policyName, policy.stepScalingPolicyConfiguration));
  }
  const actions = scaling.scheduledActions.map((raw) => scheduledAction(asObject(camelCaseKeys(raw))));
  return asObject(
    dropAbsent({
      service: serviceManifest,
      minCapacity: target.minCapacity,
      maxCapacity: target.maxCapacity,
      suspendedState:
        suspended && !isAllDefaults(suspended, SUSPENDED_STATE_DEFAULTS) ? suspended : undefined,
      targetTracking: trackers,
      stepScaling: steps,
      scheduledActions: actions,
    }),
  );
}
