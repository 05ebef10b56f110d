// Runs schedules on the emulator clock: each due invocation of an ENABLED schedule calls RunTask
// with the target's EcsParameters (a cluster ARN target), as EventBridge Scheduler does for its
// templated ECS target, and records the outcome. Flexible windows fire at their start; failed
// invocations are recorded, not retried, and go to no dead-letter queue.
import type { OpContext } from '../context.js';
import { runTask } from '../ecs/tasks.js';
import type { Json, JsonObject } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { planNext, type ScheduleRecord } from './schedules.js';

const KEPT_INVOCATIONS = 1000;
/** A clock jump over a fast schedule runs at most this many invocations per schedule. */
const MAX_CATCH_UP = 1000;

/** The earliest invocation any schedule of the region has planned. */
export function nextScheduleAt(ctx: OpContext): number | undefined {
  const state = ctx.region.scheduler;
  if (!state) return undefined;
  let min: number | undefined;
  for (const record of Object.values(state.schedules)) {
    if (record.nextAtMs !== undefined && (min === undefined || record.nextAtMs < min)) min = record.nextAtMs;
  }
  return min;
}

/** Invokes every schedule due at or before ctx.nowMs (the simulator calls it at each instant). */
export function invokeDueSchedules(ctx: OpContext): void {
  const state = ctx.region.scheduler;
  if (!state) return;
  for (const [key, record] of Object.entries(state.schedules)) {
    let runs = 0;
    while (record.nextAtMs !== undefined && record.nextAtMs <= ctx.nowMs && runs++ < MAX_CATCH_UP) {
      const at = record.nextAtMs;
      const outcome = invoke({ ...ctx, nowMs: at }, record);
      state.invocations.push(outcome);
      if (state.invocations.length > KEPT_INVOCATIONS)
        state.invocations.splice(0, state.invocations.length - KEPT_INVOCATIONS);
      planNext(record, at);
      if (record.nextAtMs === undefined && record.schedule.ActionAfterCompletion === 'DELETE') {
        delete state.schedules[key];
        break;
      }
    }
  }
}

const camel = (value: Json | undefined): Json | undefined => {
  if (Array.isArray(value)) return value.map((item) => camel(item) ?? null);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camel(v) ?? null]),
  );
};

/** The RunTask request an ECS target makes. */
export function runTaskRequest(target: JsonObject): JsonObject {
  const ecs = (target.EcsParameters as JsonObject | undefined) ?? {};
  const body: JsonObject = {
    cluster: String(target.Arn),
    taskDefinition: String(ecs.TaskDefinitionArn),
    count: (ecs.TaskCount as number | undefined) ?? 1,
  };
  const copy = (from: string, to: string, value: Json | undefined = ecs[from]) => {
    if (value !== undefined && value !== null) body[to] = value;
  };
  copy('LaunchType', 'launchType');
  copy('PlatformVersion', 'platformVersion');
  copy('Group', 'group');
  copy('EnableECSManagedTags', 'enableECSManagedTags');
  copy('EnableExecuteCommand', 'enableExecuteCommand');
  copy('PropagateTags', 'propagateTags');
  copy('ReferenceId', 'referenceId');
  copy('PlacementConstraints', 'placementConstraints');
  copy('PlacementStrategy', 'placementStrategy');
  copy('CapacityProviderStrategy', 'capacityProviderStrategy');
  copy('NetworkConfiguration', 'networkConfiguration', camel(ecs.NetworkConfiguration));
  const tags = Array.isArray(ecs.Tags)
    ? (ecs.Tags as JsonObject[]).flatMap((map) => Object.entries(map).map(([key, value]) => ({ key, value })))
    : [];
  if (tags.length > 0) body.tags = tags;
  if (typeof target.Input === 'string') {
    try {
      const overrides: unknown = JSON.parse(target.Input);
      if (overrides && typeof overrides === 'object' && !Array.isArray(overrides))
        body.overrides = overrides as JsonObject;
    } catch {
      // Text input means nothing to RunTask; the task runs without overrides.
    }
  }
  return body;
}

function invoke(ctx: OpContext, record: ScheduleRecord): JsonObject {
  const schedule = record.schedule;
  const target = schedule.Target as JsonObject;
  const base = {
    scheduleArn: String(schedule.Arn),
    groupName: String(schedule.GroupName),
    name: String(schedule.Name),
    invokedAt: new Date(ctx.nowMs).toISOString(),
  };
  if (!target.EcsParameters) {
    return { ...base, outcome: 'FAILED', error: 'only ECS targets are invoked by the emulator' };
  }
  try {
    const result = runTask(ctx, runTaskRequest(target)) as JsonObject;
    const tasks = ((result.tasks as JsonObject[] | undefined) ?? []).map((task) => String(task.taskArn));
    const failures = (result.failures as JsonObject[] | undefined) ?? [];
    return {
      ...base,
      outcome: tasks.length > 0 ? 'SUCCEEDED' : 'FAILED',
      taskArns: tasks,
      ...(failures.length > 0 ? { failures } : {}),
    };
  } catch (error) {
    const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
    return { ...base, outcome: 'FAILED', error: message };
  }
}
