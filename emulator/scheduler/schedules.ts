// EventBridge Scheduler: schedules and schedule groups (CreateSchedule, GetSchedule,
// UpdateSchedule, DeleteSchedule, ListSchedules; Create/Get/Delete/ListScheduleGroups) and the
// tags of schedule groups (only groups carry tags in this API). Inputs arrive as one object of the
// members' wire names, path and query members included (scheduler/rest.ts builds it).
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { isTimezone, nextInvocation, parseExpression } from './expressions.js';
import {
  checkEnum,
  checkFlexibleTimeWindow,
  checkInteger,
  checkString,
  checkTarget,
  conflict,
  NAME_PATTERN,
  notFound,
  validation,
} from './validation.js';

export const DEFAULT_GROUP = 'default';

/** One schedule: GetSchedule's answer (dates as epoch seconds), when it was created, its next run. */
export type ScheduleRecord = NonNullable<RegionState['scheduler']>['schedules'][string];
export type SchedulerState = NonNullable<RegionState['scheduler']>;

export function schedulerOf(ctx: OpContext): SchedulerState {
  ctx.region.scheduler ??= { groups: {}, schedules: {}, tags: {}, invocations: [] };
  const state = ctx.region.scheduler;
  if (!state.groups[DEFAULT_GROUP]) state.groups[DEFAULT_GROUP] = groupJson(ctx, DEFAULT_GROUP, ctx.nowMs);
  return state;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function groupArn(ctx: OpContext, name: string): string {
  return `arn:aws:scheduler:${ctx.regionName}:${ctx.accountId}:schedule-group/${name}`;
}

function groupJson(ctx: OpContext, name: string, nowMs: number): JsonObject {
  return {
    Arn: groupArn(ctx, name),
    Name: name,
    State: 'ACTIVE',
    CreationDate: seconds(nowMs),
    LastModificationDate: seconds(nowMs),
  };
}

function groupName(input: JsonObject, member = 'GroupName'): string {
  return (
    checkString(input[member], member === 'GroupName' ? 'groupName' : 'scheduleGroup', {
      max: 64,
      pattern: NAME_PATTERN,
    }) ?? DEFAULT_GROUP
  );
}

function scheduleName(input: JsonObject): string {
  return checkString(input.Name, 'name', { max: 64, pattern: NAME_PATTERN, required: true })!;
}

function requireGroup(state: SchedulerState, name: string): void {
  if (!state.groups[name]) throw notFound(`Schedule group ${name} does not exist.`);
}

function dateMs(value: Json | undefined, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw validation(`${member} must be a timestamp.`);
  return value * 1000;
}

/** The schedule a Create/UpdateSchedule input describes (members not given take their defaults). */
function scheduleFrom(ctx: OpContext, input: JsonObject, group: string, name: string): JsonObject {
  const expression = checkString(input.ScheduleExpression, 'scheduleExpression', {
    max: 256,
    required: true,
  })!;
  if (!parseExpression(expression)) throw validation(`Invalid Schedule Expression ${expression}.`);
  const timezone =
    checkString(input.ScheduleExpressionTimezone, 'scheduleExpressionTimezone', { max: 50 }) ?? 'UTC';
  if (!isTimezone(timezone)) throw validation(`Invalid ScheduleExpressionTimezone ${timezone}.`);
  const description = checkString(input.Description, 'description', { min: 0, max: 512 });
  const state = checkEnum(input.State, 'state', ['ENABLED', 'DISABLED']) ?? 'ENABLED';
  const after = checkEnum(input.ActionAfterCompletion, 'actionAfterCompletion', ['NONE', 'DELETE']) ?? 'NONE';
  const kms = checkString(input.KmsKeyArn, 'kmsKeyArn', { max: 2048 });
  const startMs = dateMs(input.StartDate, 'StartDate');
  const endMs = dateMs(input.EndDate, 'EndDate');
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
    throw validation('The EndDate you specify must be after the StartDate.');
  }
  if (endMs !== undefined && endMs <= ctx.nowMs)
    throw validation('The EndDate you specify must be in the future.');
  const schedule: JsonObject = {
    Arn: `arn:aws:scheduler:${ctx.regionName}:${ctx.accountId}:schedule/${group}/${name}`,
    GroupName: group,
    Name: name,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: timezone,
    State: state,
    ActionAfterCompletion: after,
    FlexibleTimeWindow: checkFlexibleTimeWindow(input.FlexibleTimeWindow),
    Target: checkTarget(input.Target),
  };
  if (description !== undefined) schedule.Description = description;
  if (kms !== undefined) schedule.KmsKeyArn = kms;
  if (startMs !== undefined) schedule.StartDate = seconds(startMs);
  if (endMs !== undefined) schedule.EndDate = seconds(endMs);
  return schedule;
}

/** Recomputes when the emulator clock runs the schedule next (after `afterMs`). */
export function planNext(record: ScheduleRecord, afterMs: number): void {
  const schedule = record.schedule;
  const expression = parseExpression(String(schedule.ScheduleExpression));
  const next =
    schedule.State === 'ENABLED' && expression
      ? nextInvocation(
          expression,
          String(schedule.ScheduleExpressionTimezone),
          {
            createdMs: record.createdMs,
            startMs: typeof schedule.StartDate === 'number' ? schedule.StartDate * 1000 : undefined,
            endMs: typeof schedule.EndDate === 'number' ? schedule.EndDate * 1000 : undefined,
          },
          afterMs,
        )
      : undefined;
  if (next === undefined) delete record.nextAtMs;
  else record.nextAtMs = next;
}

export function createSchedule(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = scheduleName(input);
  const group = groupName(input);
  requireGroup(state, group);
  const schedule = scheduleFrom(ctx, input, group, name);
  const key = `${group}/${name}`;
  if (state.schedules[key]) throw conflict(`Schedule ${name} already exists.`);
  schedule.CreationDate = seconds(ctx.nowMs);
  schedule.LastModificationDate = seconds(ctx.nowMs);
  const record: ScheduleRecord = { schedule, createdMs: ctx.nowMs };
  planNext(record, ctx.nowMs);
  state.schedules[key] = record;
  return { ScheduleArn: schedule.Arn! };
}

function requireSchedule(state: SchedulerState, group: string, name: string): ScheduleRecord {
  const record = state.schedules[`${group}/${name}`];
  if (!record) throw notFound(`Schedule ${name} does not exist.`);
  return record;
}

export function getSchedule(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = scheduleName(input);
  const group = groupName(input);
  return requireSchedule(state, group, name).schedule;
}

/** UpdateSchedule replaces the whole schedule: members left out return to their defaults. */
export function updateSchedule(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = scheduleName(input);
  const group = groupName(input);
  const record = requireSchedule(state, group, name);
  const schedule = scheduleFrom(ctx, input, group, name);
  schedule.CreationDate = record.schedule.CreationDate ?? seconds(record.createdMs);
  schedule.LastModificationDate = seconds(ctx.nowMs);
  record.schedule = schedule;
  planNext(record, ctx.nowMs);
  return { ScheduleArn: schedule.Arn! };
}

export function deleteSchedule(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = scheduleName(input);
  const group = groupName(input);
  requireSchedule(state, group, name);
  delete state.schedules[`${group}/${name}`];
  return {};
}

interface Page {
  readonly items: JsonObject[];
  readonly nextToken?: string;
}

function paginate(items: JsonObject[], input: JsonObject): Page {
  const max =
    checkInteger(
      typeof input.MaxResults === 'string' ? Number(input.MaxResults) : input.MaxResults,
      'maxResults',
      1,
      100,
    ) ?? 100;
  const token = checkString(input.NextToken, 'nextToken', { max: 2048 });
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid NextToken.');
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextToken: next };
}

export function listSchedules(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const group = input.ScheduleGroup === undefined ? undefined : groupName(input, 'ScheduleGroup');
  const prefix = checkString(input.NamePrefix, 'namePrefix', { max: 64, pattern: NAME_PATTERN });
  const wanted = checkEnum(input.State, 'state', ['ENABLED', 'DISABLED']);
  const summaries = Object.values(state.schedules)
    .map((record) => record.schedule)
    .filter((schedule) => group === undefined || schedule.GroupName === group)
    .filter((schedule) => prefix === undefined || String(schedule.Name).startsWith(prefix))
    .filter((schedule) => wanted === undefined || schedule.State === wanted)
    .sort((a, b) => String(a.Arn).localeCompare(String(b.Arn)))
    .map((schedule) => ({
      Arn: schedule.Arn!,
      Name: schedule.Name!,
      GroupName: schedule.GroupName!,
      State: schedule.State!,
      CreationDate: schedule.CreationDate!,
      LastModificationDate: schedule.LastModificationDate!,
      Target: { Arn: (schedule.Target as JsonObject).Arn! },
    }));
  const page = paginate(summaries, input);
  return page.nextToken === undefined
    ? { Schedules: page.items }
    : { Schedules: page.items, NextToken: page.nextToken };
}

function parseTagList(value: Json | undefined, path: string): { Key: string; Value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validation(`${path} must be a list.`);
  if (value.length > 200) {
    throw validation(
      `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to 200`,
    );
  }
  return value.map((entry, index) => {
    const tag = (entry ?? {}) as JsonObject;
    const key = checkString(tag.Key, `${path}.${index + 1}.member.key`, { max: 128, required: true })!;
    const tagValue = checkString(tag.Value, `${path}.${index + 1}.member.value`, {
      min: 0,
      max: 256,
      required: true,
    })!;
    if (key.toLowerCase().startsWith('aws:')) throw validation('Tag keys starting with aws: are reserved.');
    return { Key: key, Value: tagValue };
  });
}

export function createScheduleGroup(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = checkString(input.Name, 'name', { max: 64, pattern: NAME_PATTERN, required: true })!;
  const tags = parseTagList(input.Tags, 'tags');
  if (state.groups[name]) throw conflict(`Schedule group ${name} already exists.`);
  const group = groupJson(ctx, name, ctx.nowMs);
  state.groups[name] = group;
  if (tags.length > 0) state.tags[String(group.Arn)] = tags;
  return { ScheduleGroupArn: group.Arn! };
}

export function getScheduleGroup(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = checkString(input.Name, 'name', { max: 64, pattern: NAME_PATTERN, required: true })!;
  const group = state.groups[name];
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  return group;
}

/** Deleting a group deletes its schedules (AWS does it asynchronously; here at once). */
export function deleteScheduleGroup(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const name = checkString(input.Name, 'name', { max: 64, pattern: NAME_PATTERN, required: true })!;
  if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  const group = state.groups[name];
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  for (const [key, record] of Object.entries(state.schedules)) {
    if (record.schedule.GroupName === name) delete state.schedules[key];
  }
  delete state.tags[String(group.Arn)];
  delete state.groups[name];
  return {};
}

export function listScheduleGroups(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const prefix = checkString(input.NamePrefix, 'namePrefix', { max: 64, pattern: NAME_PATTERN });
  const groups = Object.values(state.groups)
    .filter((group) => prefix === undefined || String(group.Name).startsWith(prefix))
    .sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
  const page = paginate(groups, input);
  return page.nextToken === undefined
    ? { ScheduleGroups: page.items }
    : { ScheduleGroups: page.items, NextToken: page.nextToken };
}

function requireTaggable(ctx: OpContext, state: SchedulerState, arn: string): void {
  const group = Object.values(state.groups).find((candidate) => candidate.Arn === arn);
  if (group) return;
  if (arn.startsWith(`arn:aws:scheduler:${ctx.regionName}:${ctx.accountId}:schedule/`)) {
    throw validation('Tagging is supported for schedule groups only.');
  }
  throw notFound(`Resource ${arn} does not exist.`);
}

export function tagResource(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const arn = checkString(input.ResourceArn, 'resourceArn', { max: 1011, required: true })!;
  requireTaggable(ctx, state, arn);
  const added = parseTagList(input.Tags, 'tags');
  const merged = new Map((state.tags[arn] ?? []).map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > 200) throw validation('A schedule group can have at most 200 tags.');
  state.tags[arn] = [...merged].map(([Key, Value]) => ({ Key, Value }));
  return {};
}

export function untagResource(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const arn = checkString(input.ResourceArn, 'resourceArn', { max: 1011, required: true })!;
  requireTaggable(ctx, state, arn);
  const keys = Array.isArray(input.TagKeys) ? input.TagKeys.map(String) : [];
  if (keys.length === 0)
    throw validation(
      "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must not be null",
    );
  state.tags[arn] = (state.tags[arn] ?? []).filter((tag) => !keys.includes(tag.Key));
  return {};
}

export function listTagsForResource(ctx: OpContext, input: JsonObject): Json {
  const state = schedulerOf(ctx);
  const arn = checkString(input.ResourceArn, 'resourceArn', { max: 1011, required: true })!;
  requireTaggable(ctx, state, arn);
  return { Tags: state.tags[arn] ?? [] };
}
