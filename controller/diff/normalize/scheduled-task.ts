// EventBridge Scheduler schedules in one comparable form, the manifest's (camelCase): the
// Scheduler's defaults filled (State ENABLED, timezone UTC, FlexibleTimeWindow OFF, TaskCount 1,
// RetryPolicy 86400 s / 185 attempts, ActionAfterCompletion NONE), the ECS target's cluster ARN as
// its name, Input as the overrides object it carries, list orders ECS does not keep sorted, server
// fields (Arn, CreationDate, LastModificationDate, GroupName) dropped, dates as ISO seconds, the
// task definition as `family:revision` (Git may name it so, the Scheduler answers with its ARN).
import { clusterNameOfArn, targetTagsToMap } from '../../aws-model/schedules.js';
import { comparableTags } from '../../aws-model/tags.js';
import { shortTaskDefinitionRef } from '../../aws-model/task-definition-ref.js';
import type { LiveSchedule } from '../../live/model.js';
import { camelCaseKeys } from './pascal-case.js';
import { asObject, type PlainObject } from './values.js';

const DEFAULT_RETRY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };

const isoSeconds = (value: unknown): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(String(value));
  return Number.isNaN(ms) ? String(value) : new Date(Math.floor(ms / 1000) * 1000).toISOString();
};

function clean(object: Record<string, unknown>): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value as PlainObject[string];
  }
  return out;
}

function network(value: unknown): PlainObject | undefined {
  const vpc = asObject(asObject(value).awsvpcConfiguration);
  if (Object.keys(vpc).length === 0) return undefined;
  const list = (items: unknown) => (Array.isArray(items) ? [...items].map(String).sort() : undefined);
  return {
    awsvpcConfiguration: clean({
      subnets: list(vpc.subnets ?? vpc.Subnets),
      securityGroups: list(vpc.securityGroups ?? vpc.SecurityGroups),
      assignPublicIp: vpc.assignPublicIp ?? vpc.AssignPublicIp,
    }),
  };
}

export interface DesiredScheduleInput {
  readonly spec: Record<string, unknown>;
  readonly clusterName: string;
  /** The task definition revision ARN the target must run (or a placeholder while it is registered). */
  readonly taskDefinition: string;
}

/** The desired schedule, defaults filled. */
export function normalizeDesiredSchedule(input: DesiredScheduleInput): PlainObject {
  const spec = input.spec;
  const target = asObject(spec.target);
  const window = asObject(spec.flexibleTimeWindow);
  return clean({
    scheduleExpression: spec.scheduleExpression,
    scheduleExpressionTimezone: spec.scheduleExpressionTimezone ?? 'UTC',
    description: spec.description,
    state: spec.state ?? 'ENABLED',
    startDate: isoSeconds(spec.startDate),
    endDate: isoSeconds(spec.endDate),
    kmsKeyArn: spec.kmsKeyArn,
    flexibleTimeWindow: clean({
      mode: window.mode ?? 'OFF',
      maximumWindowInMinutes: window.maximumWindowInMinutes,
    }),
    target: clean({
      cluster: input.clusterName,
      taskDefinition: shortTaskDefinitionRef(input.taskDefinition),
      roleArn: target.roleArn,
      taskCount: target.taskCount ?? 1,
      launchType: target.launchType,
      platformVersion: target.platformVersion,
      group: target.group,
      capacityProviderStrategy: target.capacityProviderStrategy,
      networkConfiguration: network(target.networkConfiguration),
      enableECSManagedTags: target.enableECSManagedTags,
      enableExecuteCommand: target.enableExecuteCommand,
      propagateTags: target.propagateTags,
      referenceId: target.referenceId,
      placementConstraints: target.placementConstraints,
      placementStrategy: target.placementStrategy,
      overrides: target.overrides,
      tags: comparableTags(target.tags),
      retryPolicy: { ...DEFAULT_RETRY, ...asObject(target.retryPolicy) },
      deadLetterConfig: target.deadLetterConfig,
    }),
  });
}

/** GetSchedule's answer in the manifest's form. */
export function normalizeLiveSchedule(live: LiveSchedule): PlainObject {
  const target = (live.Target ?? {}) as Record<string, unknown>;
  const ecs = (target.EcsParameters ?? {}) as Record<string, unknown>;
  const window = (live.FlexibleTimeWindow ?? {}) as Record<string, unknown>;
  const retry = (target.RetryPolicy ?? {}) as Record<string, unknown>;
  let overrides: unknown;
  if (typeof target.Input === 'string') {
    try {
      overrides = JSON.parse(target.Input);
    } catch {
      overrides = target.Input;
    }
  }
  const dlq = target.DeadLetterConfig as { Arn?: string } | undefined;
  return clean({
    scheduleExpression: live.ScheduleExpression,
    scheduleExpressionTimezone: live.ScheduleExpressionTimezone ?? 'UTC',
    description: live.Description === '' ? undefined : live.Description,
    state: live.State ?? 'ENABLED',
    startDate: isoSeconds(live.StartDate),
    endDate: isoSeconds(live.EndDate),
    kmsKeyArn: live.KmsKeyArn,
    flexibleTimeWindow: clean({
      mode: window.Mode ?? 'OFF',
      maximumWindowInMinutes: window.MaximumWindowInMinutes,
    }),
    target: clean({
      cluster: clusterNameOfArn(String(target.Arn ?? '')),
      taskDefinition:
        typeof ecs.TaskDefinitionArn === 'string' ? shortTaskDefinitionRef(ecs.TaskDefinitionArn) : undefined,
      roleArn: target.RoleArn,
      taskCount: ecs.TaskCount ?? 1,
      launchType: ecs.LaunchType,
      platformVersion: ecs.PlatformVersion,
      group: ecs.Group,
      capacityProviderStrategy: camelCaseKeys(ecs.CapacityProviderStrategy),
      networkConfiguration: network(camelCaseKeys(ecs.NetworkConfiguration)),
      enableECSManagedTags: ecs.EnableECSManagedTags,
      enableExecuteCommand: ecs.EnableExecuteCommand,
      propagateTags: ecs.PropagateTags,
      referenceId: ecs.ReferenceId,
      placementConstraints: ecs.PlacementConstraints,
      placementStrategy: ecs.PlacementStrategy,
      overrides,
      tags: comparableTags(targetTagsToMap(ecs.Tags)),
      retryPolicy: {
        maximumEventAgeInSeconds: retry.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.maximumEventAgeInSeconds,
        maximumRetryAttempts: retry.MaximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts,
      },
      deadLetterConfig: dlq?.Arn ? { arn: dlq.Arn } : undefined,
    }),
  });
}
