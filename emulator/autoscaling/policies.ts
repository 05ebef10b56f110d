// Scaling policies and scheduled actions: Put/Describe/Delete, each requiring a registered target.
import { randomUUID } from 'node:crypto';
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { ApiError, validationException } from '../wire/errors.js';
import { aasInvalid, clone, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { checkEnums } from './enums.js';
import { aasPaging, describeKey, requireTarget, sameTarget, targetKey } from './targets.js';

const ECS_PREDEFINED = new Set([
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
]);

function validateTargetTracking(config: JsonObject | undefined): JsonObject {
  if (!config) {
    throw validationException(
      'TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling policies',
    );
  }
  if (typeof config.TargetValue !== 'number') throw validationException('TargetValue is required');
  const predefined = config.PredefinedMetricSpecification as JsonObject | undefined;
  const customized = config.CustomizedMetricSpecification as JsonObject | undefined;
  if (!predefined === !customized) {
    throw validationException(
      'Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification is required',
    );
  }
  if (predefined) {
    const type = String(predefined.PredefinedMetricType ?? '');
    if (!ECS_PREDEFINED.has(type))
      throw validationException(`Unsupported metric type ${type} for service namespace ecs`);
    if (type === 'ALBRequestCountPerTarget' && typeof predefined.ResourceLabel !== 'string') {
      throw validationException('ResourceLabel is required for ALBRequestCountPerTarget');
    }
  }
  return clone(config);
}

function validateStepScaling(config: JsonObject | undefined): JsonObject {
  if (!config)
    throw validationException('StepScalingPolicyConfiguration is required for StepScaling policies');
  const adjustments = config.StepAdjustments;
  if (!Array.isArray(adjustments) || adjustments.length === 0) {
    throw validationException('StepAdjustments must contain at least one adjustment');
  }
  return clone(config);
}

function alarmsFor(ctx: OpContext, resourceId: string, policyType: string): JsonObject[] {
  if (policyType !== 'TargetTrackingScaling') return [];
  return ['AlarmHigh', 'AlarmLow'].map((kind) => {
    const name = `TargetTracking-${resourceId}-${kind}-${randomUUID()}`;
    return {
      AlarmName: name,
      AlarmARN: `arn:aws:cloudwatch:${ctx.regionName}:${ctx.accountId}:alarm:${name}`,
    };
  });
}

export function putScalingPolicy(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const policyName = input.requiredString('PolicyName');
  if (policyName.length > 256) throw validationException('PolicyName must be at most 256 characters');
  checkEnums(input, ['ServiceNamespace', 'ScalableDimension', 'PolicyType']);
  const key = targetKey(input);
  requireTarget(ctx, key);
  const policyType = input.string('PolicyType') ?? 'StepScaling';
  const configuration =
    policyType === 'TargetTrackingScaling'
      ? {
          TargetTrackingScalingPolicyConfiguration: validateTargetTracking(
            input.object('TargetTrackingScalingPolicyConfiguration'),
          ),
        }
      : policyType === 'StepScaling'
        ? {
            StepScalingPolicyConfiguration: validateStepScaling(
              input.object('StepScalingPolicyConfiguration'),
            ),
          }
        : undefined;
  if (!configuration)
    throw validationException(`Unsupported policy type ${policyType} for service namespace ecs`);
  const existing = ctx.region.scalingPolicies.find((p) => sameTarget(p, key) && p.policyName === policyName);
  const policyArn =
    (existing?.policy.PolicyARN as string | undefined) ??
    `arn:aws:autoscaling:${ctx.regionName}:${ctx.accountId}:scalingPolicy:${randomUUID()}:resource/ecs/${key.resourceId}:policyName/${policyName}`;
  const alarms =
    existing && existing.policy.PolicyType === policyType
      ? (existing.policy.Alarms as JsonObject[])
      : alarmsFor(ctx, key.resourceId, policyType);
  const policy = compact({
    PolicyARN: policyArn,
    PolicyName: policyName,
    ServiceNamespace: key.serviceNamespace,
    ResourceId: key.resourceId,
    ScalableDimension: key.scalableDimension,
    PolicyType: policyType,
    ...configuration,
    Alarms: alarms,
    CreationTime: (existing?.policy.CreationTime as number | undefined) ?? epochSeconds(ctx.nowMs),
  });
  if (existing) existing.policy = policy;
  else ctx.region.scalingPolicies.push({ ...key, policyName, policy });
  return { PolicyARN: policyArn, Alarms: clone(alarms) };
}

export function describeScalingPolicies(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  checkEnums(input, ['ServiceNamespace', 'ScalableDimension']);
  const namespace = input.requiredString('ServiceNamespace');
  const names = input.strings('PolicyNames');
  const resourceId = input.string('ResourceId');
  const dimension = input.string('ScalableDimension');
  const policies = ctx.region.scalingPolicies
    .filter((p) => p.serviceNamespace === namespace)
    .filter((p) => !names || names.length === 0 || names.includes(p.policyName))
    .filter((p) => resourceId === undefined || p.resourceId === resourceId)
    .filter((p) => dimension === undefined || p.scalableDimension === dimension)
    .map((p) => clone(p.policy));
  const page = paginate(policies, aasPaging(input), { defaultMax: 50, max: 50 }, validationException);
  return compact({ ScalingPolicies: page.items, NextToken: page.nextToken });
}

export function deleteScalingPolicy(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const policyName = input.requiredString('PolicyName');
  const key = targetKey(input);
  const index = ctx.region.scalingPolicies.findIndex(
    (p) => sameTarget(p, key) && p.policyName === policyName,
  );
  if (index < 0) {
    throw new ApiError(
      'ObjectNotFoundException',
      `No scaling policy found for ${describeKey(key)}, policy name: ${policyName}`,
    );
  }
  ctx.region.scalingPolicies.splice(index, 1);
  return {};
}

const SCHEDULE =
  /^(at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/;

export function putScheduledAction(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const name = input.requiredString('ScheduledActionName');
  const key = targetKey(input);
  requireTarget(ctx, key);
  const existing = ctx.region.scheduledActions.find(
    (a) => sameTarget(a, key) && a.scheduledActionName === name,
  );
  const schedule = input.string('Schedule') ?? (existing?.action.Schedule as string | undefined);
  if (schedule === undefined) throw validationException('Schedule is required for a new scheduled action');
  if (!SCHEDULE.test(schedule)) throw validationException(`Invalid schedule expression: ${schedule}`);
  const action =
    input.object('ScalableTargetAction') ?? (existing?.action.ScalableTargetAction as JsonObject | undefined);
  if (action && typeof action.MinCapacity === 'number' && typeof action.MaxCapacity === 'number') {
    if (action.MinCapacity > action.MaxCapacity) {
      throw validationException('Minimum capacity cannot be greater than maximum capacity');
    }
  }
  const arn =
    (existing?.action.ScheduledActionARN as string | undefined) ??
    `arn:aws:autoscaling:${ctx.regionName}:${ctx.accountId}:scheduledAction:${randomUUID()}:resource/ecs/${key.resourceId}:scheduledActionName/${name}`;
  const record = compact({
    ScheduledActionName: name,
    ScheduledActionARN: arn,
    ServiceNamespace: key.serviceNamespace,
    Schedule: schedule,
    Timezone: input.string('Timezone') ?? (existing?.action.Timezone as string | undefined) ?? 'UTC',
    ResourceId: key.resourceId,
    ScalableDimension: key.scalableDimension,
    StartTime: input.raw('StartTime') ?? existing?.action.StartTime,
    EndTime: input.raw('EndTime') ?? existing?.action.EndTime,
    ScalableTargetAction: clone(action),
    CreationTime: (existing?.action.CreationTime as number | undefined) ?? epochSeconds(ctx.nowMs),
  });
  if (existing) existing.action = record;
  else ctx.region.scheduledActions.push({ ...key, scheduledActionName: name, action: record });
  return {};
}

export function describeScheduledActions(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  checkEnums(input, ['ServiceNamespace', 'ScalableDimension']);
  const namespace = input.requiredString('ServiceNamespace');
  const names = input.strings('ScheduledActionNames');
  const resourceId = input.string('ResourceId');
  const dimension = input.string('ScalableDimension');
  const actions = ctx.region.scheduledActions
    .filter((a) => a.serviceNamespace === namespace)
    .filter((a) => !names || names.length === 0 || names.includes(a.scheduledActionName))
    .filter((a) => resourceId === undefined || a.resourceId === resourceId)
    .filter((a) => dimension === undefined || a.scalableDimension === dimension)
    .map((a) => clone(a.action));
  const page = paginate(actions, aasPaging(input), { defaultMax: 50, max: 50 }, validationException);
  return compact({ ScheduledActions: page.items, NextToken: page.nextToken });
}

export function deleteScheduledAction(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const name = input.requiredString('ScheduledActionName');
  const key = targetKey(input);
  const index = ctx.region.scheduledActions.findIndex(
    (a) => sameTarget(a, key) && a.scheduledActionName === name,
  );
  if (index < 0) {
    throw new ApiError(
      'ObjectNotFoundException',
      `No scheduled action found for ${describeKey(key)}, scheduled action name: ${name}`,
    );
  }
  ctx.region.scheduledActions.splice(index, 1);
  return {};
}
