// A ScheduledTask manifest from GetSchedule's answer: the Scheduler's defaults left out (the diff's
// own normalizer fills them back, so import → diff is empty), the ECS target's cluster and task
// definition as references the caller chose, the target's Input as the overrides it carries, and
// the ownership record (ecs-gitops/* tags of the target) dropped. Pure.
import { targetTagsToMap } from '../aws-model/schedules.js';
import { comparableTags } from '../aws-model/tags.js';
import { camelCaseKeys } from '../diff/normalize/pascal-case.js';
import type { PlainObject } from '../diff/normalize/values.js';
import type { LiveSchedule } from '../live/model.js';

const iso = (value: unknown): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(String(value));
  return Number.isNaN(ms) ? String(value) : new Date(ms).toISOString().replace('.000Z', 'Z');
};

function defined(object: Record<string, unknown>): PlainObject {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as PlainObject;
}

/** Is this schedule's target an ECS cluster (the only kind a ScheduledTask describes)? */
export function isEcsSchedule(schedule: LiveSchedule): boolean {
  return (
    /^arn:[^:]+:ecs:[^:]*:\d{12}:cluster\//.test(String(schedule.Target?.Arn ?? '')) &&
    Boolean(schedule.Target?.EcsParameters)
  );
}

export function importScheduledTaskSpec(
  schedule: LiveSchedule,
  refs: { readonly cluster: string; readonly taskDefinition: string; readonly scheduleName?: string },
): PlainObject {
  const target = (schedule.Target ?? {}) as Record<string, unknown>;
  const ecs = (target.EcsParameters ?? {}) as Record<string, unknown>;
  const window = (schedule.FlexibleTimeWindow ?? {}) as Record<string, unknown>;
  const retry = (target.RetryPolicy ?? {}) as Record<string, unknown>;
  let overrides: unknown;
  if (typeof target.Input === 'string' && target.Input !== '') {
    try {
      overrides = JSON.parse(target.Input);
    } catch {
      overrides = undefined;
    }
  }
  const tags = comparableTags(targetTagsToMap(ecs.Tags));
  const retryPolicy =
    (retry.MaximumEventAgeInSeconds ?? 86400) === 86400 && (retry.MaximumRetryAttempts ?? 185) === 185
      ? undefined
      : {
          maximumEventAgeInSeconds: retry.MaximumEventAgeInSeconds ?? 86400,
          maximumRetryAttempts: retry.MaximumRetryAttempts ?? 185,
        };
  const dlq = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  return defined({
    ...(refs.scheduleName ? { scheduleName: refs.scheduleName } : {}),
    scheduleExpression: schedule.ScheduleExpression,
    scheduleExpressionTimezone:
      schedule.ScheduleExpressionTimezone && schedule.ScheduleExpressionTimezone !== 'UTC'
        ? schedule.ScheduleExpressionTimezone
        : undefined,
    description: schedule.Description || undefined,
    state: schedule.State === 'DISABLED' ? 'DISABLED' : undefined,
    startDate: iso(schedule.StartDate),
    endDate: iso(schedule.EndDate),
    kmsKeyArn: schedule.KmsKeyArn,
    flexibleTimeWindow:
      window.Mode === 'FLEXIBLE'
        ? defined({ mode: 'FLEXIBLE', maximumWindowInMinutes: window.MaximumWindowInMinutes })
        : undefined,
    target: defined({
      cluster: refs.cluster,
      taskDefinition: refs.taskDefinition,
      roleArn: target.RoleArn,
      launchType: ecs.LaunchType,
      platformVersion: ecs.PlatformVersion,
      capacityProviderStrategy: camelCaseKeys(ecs.CapacityProviderStrategy),
      networkConfiguration: camelCaseKeys(ecs.NetworkConfiguration),
      taskCount: ecs.TaskCount === undefined || ecs.TaskCount === 1 ? undefined : ecs.TaskCount,
      group: ecs.Group,
      enableECSManagedTags: ecs.EnableECSManagedTags,
      enableExecuteCommand: ecs.EnableExecuteCommand,
      propagateTags: ecs.PropagateTags,
      referenceId: ecs.ReferenceId,
      placementConstraints: camelCaseKeys(ecs.PlacementConstraints),
      placementStrategy: camelCaseKeys(ecs.PlacementStrategy),
      overrides,
      retryPolicy,
      deadLetterConfig: dlq ? { arn: dlq } : undefined,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    }),
  });
}
