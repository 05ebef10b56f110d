// A ScalingPolicy manifest vs. a scalable target + its policies + scheduled actions
// (Application Auto Scaling, PascalCase) → one comparable camelCase form.

import { normalizeTimestamp } from '../../aws-model/time.js';
import {
  dropDefaults,
  isAllDefaults,
  SCHEDULED_ACTION_DEFAULTS,
  STEP_SCALING_DEFAULTS,
  SUSPENDED_STATE_DEFAULTS,
  TARGET_TRACKING_DEFAULTS,
} from './defaults.js';
import { camelCaseKeys } from './pascal-case.js';
import { sortByKey } from './sort.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject } from './values.js';

/** Target tracking: the predefined metric is lifted to the item (manifest form), defaults dropped. */
export function normalizeTargetTracking(raw: PlainObject): PlainObject {
  const item: PlainObject = { ...raw };
  const predefined = asObject(item.predefinedMetricSpecification);
  if (item.predefinedMetricSpecification !== undefined) {
    delete item.predefinedMetricSpecification;
    if (predefined.predefinedMetricType !== undefined)
      item.predefinedMetricType = predefined.predefinedMetricType;
    if (predefined.resourceLabel !== undefined) item.resourceLabel = predefined.resourceLabel;
  }
  dropDefaults(item, TARGET_TRACKING_DEFAULTS);
  return item;
}

export function normalizeStepScaling(raw: PlainObject): PlainObject {
  const item: PlainObject = { ...raw };
  dropDefaults(item, STEP_SCALING_DEFAULTS);
  if (Array.isArray(item.stepAdjustments)) {
    item.stepAdjustments = sortByKey(item.stepAdjustments.filter(isPlainObject), (step) =>
      String(step.metricIntervalLowerBound ?? Number.NEGATIVE_INFINITY).padStart(24, ' '),
    );
  }
  return item;
}

export function normalizeScheduledAction(raw: PlainObject): PlainObject {
  const item: PlainObject = { ...raw };
  dropDefaults(item, SCHEDULED_ACTION_DEFAULTS);
  for (const field of ['startTime', 'endTime'])
    if (item[field] !== undefined) item[field] = normalizeTimestamp(item[field]);
  return item;
}

function byField(field: string) {
  return (item: PlainObject) => String(item[field] ?? '');
}

function normalizeLists(spec: PlainObject): PlainObject {
  const out: PlainObject = { ...spec };
  const lists: [string, (item: PlainObject) => PlainObject, string][] = [
    ['targetTracking', normalizeTargetTracking, 'policyName'],
    ['stepScaling', normalizeStepScaling, 'policyName'],
    ['scheduledActions', normalizeScheduledAction, 'scheduledActionName'],
  ];
  for (const [field, normalize, key] of lists) {
    const list = Array.isArray(out[field]) ? (out[field] as unknown[]).filter(isPlainObject) : undefined;
    out[field] = list ? sortByKey(list.map(normalize), byField(key)) : undefined;
  }
  return out;
}

/** The manifest side: minCapacity, maxCapacity, suspendedState and the three lists. */
export function normalizeDesiredScalingPolicy(spec: PlainObject): PlainObject {
  const out: PlainObject = {
    minCapacity: spec.minCapacity,
    maxCapacity: spec.maxCapacity,
    suspendedState: spec.suspendedState,
    targetTracking: (Array.isArray(spec.targetTracking) ? spec.targetTracking : []).map((raw) => {
      const item = asObject(raw);
      // Accept the nested PutScalingPolicy form as well as the flat manifest form.
      const nested = asObject(item.targetTrackingScalingPolicyConfiguration);
      return { ...nested, ...item, targetTrackingScalingPolicyConfiguration: undefined };
    }),
    stepScaling: (Array.isArray(spec.stepScaling) ? spec.stepScaling : []).map((raw) => {
      const item = asObject(raw);
      const nested = asObject(item.stepScalingPolicyConfiguration);
      return { ...nested, ...item, stepScalingPolicyConfiguration: undefined };
    }),
    scheduledActions: spec.scheduledActions,
  };
  return finish(out);
}

function finish(spec: PlainObject): PlainObject {
  const out = normalizeLists(spec);
  if (isPlainObject(out.suspendedState) && isAllDefaults(out.suspendedState, SUSPENDED_STATE_DEFAULTS)) {
    delete out.suspendedState;
  }
  return asObject(dropAbsent(out));
}

/** The live side, from DescribeScalableTargets / DescribeScalingPolicies / DescribeScheduledActions. */
export function normalizeLiveScalingPolicy(
  target: PlainObject,
  policies: readonly PlainObject[],
  scheduledActions: readonly PlainObject[],
  desiredSpec?: PlainObject,
): PlainObject {
  const camelTarget = asObject(camelCaseKeys(target));
  const targetTracking: PlainObject[] = [];
  const stepScaling: PlainObject[] = [];
  for (const policy of policies.map((p) => asObject(camelCaseKeys(p)))) {
    if (policy.policyType === 'TargetTrackingScaling') {
      targetTracking.push({
        policyName: policy.policyName,
        ...asObject(policy.targetTrackingScalingPolicyConfiguration),
      });
    } else if (policy.policyType === 'StepScaling') {
      stepScaling.push({ policyName: policy.policyName, ...asObject(policy.stepScalingPolicyConfiguration) });
    }
  }
  const actions = scheduledActions.map((raw) => {
    const action = asObject(camelCaseKeys(raw));
    return {
      scheduledActionName: action.scheduledActionName,
      schedule: action.schedule,
      timezone: action.timezone,
      startTime: action.startTime,
      endTime: action.endTime,
      scalableTargetAction: action.scalableTargetAction,
    };
  });
  return finish({
    minCapacity: camelTarget.minCapacity,
    maxCapacity: camelTarget.maxCapacity,
    // Suspension is compared only when the manifest speaks about it.
    suspendedState: desiredSpec?.suspendedState === undefined ? undefined : camelTarget.suspendedState,
    targetTracking,
    stepScaling,
    scheduledActions: actions,
  });
}
