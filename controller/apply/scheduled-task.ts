// ScheduledTask: CreateSchedule / UpdateSchedule (the whole schedule: members left out return to
// their defaults) / DeleteSchedule in the controller's own schedule group, which is created (tagged
// with the ownership record) on first use. The target's ECS tags carry the record of the schedule.

import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { scheduleGroupOf } from '../aws-model/schedules.js';
import { plainSpec } from '../diff/normalize/values.js';
import type { DesiredScheduledTask } from '../manifest/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { type ApplyContext, type EntryRecorder, ownershipTags } from './context.js';
import type { KindOutcome } from './outcome.js';

type Spec = Record<string, unknown>;

const pascal = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(pascal);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k.charAt(0).toUpperCase() + k.slice(1),
      pascal(v),
    ]),
  );
};

/** The CreateSchedule / UpdateSchedule input of a desired schedule. */
export function scheduleInput(
  desired: DesiredScheduledTask,
  group: string,
  clusterArn: string,
  taskDefinitionArn: string,
  recordTags: Readonly<Record<string, string>>,
): CreateScheduleCommandInput {
  const spec = plainSpec(desired.spec);
  const target = (spec.target ?? {}) as Spec;
  const window = (spec.flexibleTimeWindow ?? { mode: 'OFF' }) as Spec;
  const vpc = ((target.networkConfiguration as Spec | undefined)?.awsvpcConfiguration ?? undefined) as
    | Spec
    | undefined;
  const tags = { ...((target.tags as Record<string, string> | undefined) ?? {}), ...recordTags };
  const retry = (target.retryPolicy ?? {}) as Spec;
  const ecs: Spec = {
    TaskDefinitionArn: taskDefinitionArn,
    TaskCount: target.taskCount ?? 1,
    LaunchType: target.launchType,
    PlatformVersion: target.platformVersion,
    Group: target.group,
    CapacityProviderStrategy: target.capacityProviderStrategy,
    EnableECSManagedTags: target.enableECSManagedTags,
    EnableExecuteCommand: target.enableExecuteCommand,
    PropagateTags: target.propagateTags,
    ReferenceId: target.referenceId,
    PlacementConstraints: target.placementConstraints,
    PlacementStrategy: target.placementStrategy,
    // The Scheduler's ECS target keeps `awsvpcConfiguration` camelCase and its members PascalCase.
    ...(vpc
      ? {
          NetworkConfiguration: {
            awsvpcConfiguration: {
              Subnets: vpc.subnets,
              SecurityGroups: vpc.securityGroups,
              AssignPublicIp: vpc.assignPublicIp,
            },
          },
        }
      : {}),
    Tags: Object.entries(tags).map(([key, value]) => ({ [key]: value })),
  };
  const input: Spec = {
    Name: desired.scheduleName,
    GroupName: group,
    ScheduleExpression: spec.scheduleExpression,
    ScheduleExpressionTimezone: spec.scheduleExpressionTimezone,
    Description: spec.description,
    State: spec.state ?? 'ENABLED',
    StartDate: spec.startDate === undefined ? undefined : new Date(String(spec.startDate)),
    EndDate: spec.endDate === undefined ? undefined : new Date(String(spec.endDate)),
    KmsKeyArn: spec.kmsKeyArn,
    FlexibleTimeWindow: pascal(window),
    Target: {
      Arn: clusterArn,
      RoleArn: target.roleArn,
      EcsParameters: ecs,
      ...(target.overrides ? { Input: JSON.stringify(target.overrides) } : {}),
      RetryPolicy: {
        MaximumEventAgeInSeconds: retry.maximumEventAgeInSeconds ?? 86400,
        MaximumRetryAttempts: retry.maximumRetryAttempts ?? 185,
      },
      ...(target.deadLetterConfig ? { DeadLetterConfig: pascal(target.deadLetterConfig) } : {}),
    },
  };
  return JSON.parse(
    JSON.stringify(input, (_key, value) => (value === null ? undefined : value)),
    (key, value) =>
      (key === 'StartDate' || key === 'EndDate') && typeof value === 'string' ? new Date(value) : value,
  ) as CreateScheduleCommandInput;
}

/** The target's cluster ARN: as written, as ECS reported it, or in the task definition's account and Region. */
function clusterArnOf(
  context: ApplyContext,
  desired: DesiredScheduledTask,
  taskDefinitionArn: string,
): string {
  const ref = desired.cluster;
  if (ref.type === 'external' && ref.value.startsWith('arn:')) return ref.value;
  const live = context.options.live?.clusters[ref.clusterName]?.clusterArn;
  if (live) return live;
  const prefix = /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}):task-definition\//.exec(taskDefinitionArn)?.[1];
  if (!prefix)
    throw new Error(
      `cannot tell the ARN of cluster ${ref.clusterName} (it does not exist yet and the task definition is not an ARN)`,
    );
  return `${prefix}:cluster/${ref.clusterName}`;
}

async function ensureGroup(context: ApplyContext, recorder: EntryRecorder, group: string): Promise<void> {
  try {
    await context.send(
      recorder,
      context.clients.scheduler,
      new CreateScheduleGroupCommand({
        Name: group,
        Tags: [{ Key: OWNERSHIP_TAGS.managedBy, Value: context.options.instance }],
      }),
      group,
    );
  } catch (error) {
    // It exists already: the usual case after the first schedule.
    if (
      (error as { awsCode?: string }).awsCode !== 'ConflictException' &&
      !(error instanceof ConflictException)
    )
      throw error;
  }
}

export async function applyScheduledTask(
  context: ApplyContext,
  entry: ChangeSetEntry<'ScheduledTask'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const group = scheduleGroupOf(context.options.instance);
  const scheduler = context.clients.scheduler;
  if (entry.diff.action === 'delete') {
    try {
      await context.send(
        recorder,
        scheduler,
        new DeleteScheduleCommand({ Name: entry.key.name, GroupName: group }),
        entry.key.name,
      );
    } catch (error) {
      if (
        (error as { awsCode?: string }).awsCode !== 'ResourceNotFoundException' &&
        !(error instanceof ResourceNotFoundException)
      )
        throw error;
    }
    return { outcome: 'deleted', message: `deleted schedule ${group}/${entry.key.name}` };
  }
  const desired = entry.diff.desired;
  const ref = desired.taskDefinition;
  const registered =
    ref.type === 'external'
      ? ref.value
      : (context.taskDefinitionArns.get(ref.name) ?? entry.diff.taskDefinition?.arn);
  if (!registered)
    throw new Error(
      `TaskDefinition/${ref.type === 'manifest' ? ref.name : ''} has no registered revision yet`,
    );
  const clusterArn = clusterArnOf(context, desired, registered);
  // The Scheduler takes the task definition by ARN: `family:revision` is completed in the cluster's
  // account and Region.
  const taskDefinitionArn = registered.startsWith('arn:')
    ? registered
    : `${clusterArn.slice(0, clusterArn.indexOf(':cluster/'))}:task-definition/${registered}`;
  const record = ownershipTags(context, entry.key, desired);
  const input = scheduleInput(desired, group, clusterArn, taskDefinitionArn, record);
  if (entry.action === 'create') {
    await ensureGroup(context, recorder, group);
    const out = await context.send<{ ScheduleArn?: string }>(
      recorder,
      scheduler,
      new CreateScheduleCommand(input),
      desired.scheduleName,
    );
    return {
      outcome: 'created',
      arn: out.ScheduleArn,
      message: `created schedule ${group}/${desired.scheduleName}`,
    };
  }
  const out = await context.send<{ ScheduleArn?: string }>(
    recorder,
    scheduler,
    new UpdateScheduleCommand(input),
    desired.scheduleName,
  );
  return {
    outcome: 'configured',
    arn: out.ScheduleArn,
    message: `updated schedule ${group}/${desired.scheduleName}`,
  };
}
