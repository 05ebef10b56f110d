// Application Auto Scaling scalable targets for ECS services: RegisterScalableTarget (which clamps
// the service's desiredCount into [min, max]), DescribeScalableTargets, DeregisterScalableTarget.
import { randomBytes } from 'node:crypto';
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import { findService } from '../ecs/services-store.js';
import type { Json, JsonObject, ScalableTargetRecord, ServiceRecord } from '../state.js';
import { ApiError, validationException } from '../wire/errors.js';
import { aasInvalid, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { checkEnums } from './enums.js';
import { parseAasTags, setAasTags } from './tags.js';

export const ECS_DIMENSION = 'ecs:service:DesiredCount';

export interface TargetKey {
  readonly serviceNamespace: string;
  readonly resourceId: string;
  readonly scalableDimension: string;
}

/** ServiceNamespace + ResourceId + ScalableDimension, validated for the ECS namespace. */
export function targetKey(input: Input): TargetKey {
  checkEnums(input, ['ServiceNamespace', 'ScalableDimension']);
  const serviceNamespace = input.requiredString('ServiceNamespace');
  const resourceId = input.requiredString('ResourceId');
  const scalableDimension = input.requiredString('ScalableDimension');
  if (serviceNamespace !== 'ecs') {
    throw validationException(
      `Unsupported service namespace: ${serviceNamespace} (this emulator serves ecs).`,
    );
  }
  if (scalableDimension !== ECS_DIMENSION) {
    throw validationException(`Unsupported scalable dimension: ${scalableDimension}.`);
  }
  if (!/^service\/[^/]+\/[^/]+$/.test(resourceId)) {
    throw validationException(
      `Unsupported resource ID: ${resourceId}. Expected service/<cluster>/<service>.`,
    );
  }
  return { serviceNamespace, resourceId, scalableDimension };
}

export function describeKey(key: TargetKey): string {
  return `service namespace: ${key.serviceNamespace}, resource ID: ${key.resourceId}, scalable dimension: ${key.scalableDimension}`;
}

export const sameTarget = (a: TargetKey, b: TargetKey) =>
  a.serviceNamespace === b.serviceNamespace &&
  a.resourceId === b.resourceId &&
  a.scalableDimension === b.scalableDimension;

export function findTarget(ctx: OpContext, key: TargetKey): ScalableTargetRecord | undefined {
  return ctx.region.scalableTargets.find((target) => sameTarget(target, key));
}

export function requireTarget(ctx: OpContext, key: TargetKey): ScalableTargetRecord {
  const target = findTarget(ctx, key);
  if (!target)
    throw new ApiError('ObjectNotFoundException', `No scalable target registered for ${describeKey(key)}`);
  return target;
}

function liveService(ctx: OpContext, resourceId: string): ServiceRecord | undefined {
  const [, cluster = '', name = ''] = resourceId.split('/');
  const service = findService(ctx, cluster, name);
  return service && service.status === 'ACTIVE' ? service : undefined;
}

function capacity(input: Input, name: string): number | undefined {
  const value = input.integer(name);
  if (value !== undefined && value < 0)
    throw validationException(`${name} must be greater than or equal to 0`);
  return value;
}

export function registerScalableTarget(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const key = targetKey(input);
  const service = liveService(ctx, key.resourceId);
  if (!service) throw validationException(`ECS service doesn't exist: ${key.resourceId}`);
  const existing = findTarget(ctx, key);
  const min = capacity(input, 'MinCapacity') ?? (existing?.target.MinCapacity as number | undefined);
  const max = capacity(input, 'MaxCapacity') ?? (existing?.target.MaxCapacity as number | undefined);
  if (min === undefined || max === undefined) {
    throw validationException(
      'MinCapacity and MaxCapacity are required for registering a new scalable target',
    );
  }
  if (min > max) throw validationException('Minimum capacity cannot be greater than maximum capacity');
  const suspended = input.object('SuspendedState');
  const role =
    input.string('RoleARN') ??
    (existing?.target.RoleARN as string | undefined) ??
    `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;
  const tags = parseAasTags(input.raw('Tags'));
  let record = existing;
  if (!record) {
    const arn = `arn:aws:application-autoscaling:${ctx.regionName}:${ctx.accountId}:scalable-target/${randomBytes(16).toString('hex').slice(0, 28)}`;
    record = { ...key, arn, target: {} };
    ctx.region.scalableTargets.push(record);
    record.target.CreationTime = epochSeconds(ctx.nowMs);
  }
  const previous = (record.target.SuspendedState as JsonObject | undefined) ?? {};
  record.target = compact({
    ServiceNamespace: key.serviceNamespace,
    ResourceId: key.resourceId,
    ScalableDimension: key.scalableDimension,
    MinCapacity: min,
    MaxCapacity: max,
    RoleARN: role,
    CreationTime: record.target.CreationTime,
    SuspendedState: {
      DynamicScalingInSuspended: Boolean(
        suspended?.DynamicScalingInSuspended ?? previous.DynamicScalingInSuspended ?? false,
      ),
      DynamicScalingOutSuspended: Boolean(
        suspended?.DynamicScalingOutSuspended ?? previous.DynamicScalingOutSuspended ?? false,
      ),
      ScheduledScalingSuspended: Boolean(
        suspended?.ScheduledScalingSuspended ?? previous.ScheduledScalingSuspended ?? false,
      ),
    },
    ScalableTargetARN: record.arn,
  });
  if (tags) setAasTags(ctx, record.arn, tags, true);
  // Like AWS: a registration moves the current capacity into the new [min, max] range.
  if (service.desiredCount < min) service.desiredCount = min;
  else if (service.desiredCount > max) service.desiredCount = max;
  return { ScalableTargetARN: record.arn };
}

export function describeScalableTargets(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  checkEnums(input, ['ServiceNamespace', 'ScalableDimension']);
  const namespace = input.requiredString('ServiceNamespace');
  const ids = input.strings('ResourceIds');
  if (ids && ids.length > 50) throw validationException('ResourceIds can have at most 50 items');
  const dimension = input.string('ScalableDimension');
  const targets = ctx.region.scalableTargets
    .filter((target) => target.serviceNamespace === namespace)
    .filter((target) => !ids || ids.length === 0 || ids.includes(target.resourceId))
    .filter((target) => dimension === undefined || target.scalableDimension === dimension)
    .map((target) => structuredClone(target.target));
  const page = paginate(targets, aasPaging(input), { defaultMax: 50, max: 50 }, validationException);
  return compact({ ScalableTargets: page.items, NextToken: page.nextToken });
}

/** Application Auto Scaling names its paging members MaxResults / NextToken. */
export function aasPaging(input: Input): Input {
  return new Input(
    compact({ maxResults: input.raw('MaxResults'), nextToken: input.raw('NextToken') }),
    aasInvalid,
  );
}

export function deregisterScalableTarget(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const key = targetKey(input);
  const target = requireTarget(ctx, key);
  const region = ctx.region;
  region.scalableTargets = region.scalableTargets.filter((t) => t !== target);
  region.scalingPolicies = region.scalingPolicies.filter((p) => !sameTarget(p, key));
  region.scheduledActions = region.scheduledActions.filter((a) => !sameTarget(a, key));
  delete region.autoscalingTags[target.arn];
  return {};
}
