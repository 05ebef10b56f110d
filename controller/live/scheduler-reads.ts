// EventBridge Scheduler reads: the desired schedules (GetSchedule in the controller's group) and,
// for prune, the group's other schedules. A schedule proves it is this controller's by the
// ownership tag on its ECS target (the API tags schedule groups only).
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import type { AwsClients } from '../aws/clients.js';
import { targetTagsToMap } from '../aws-model/schedules.js';
import { callAws } from './ecs-reads.js';
import type { LiveSchedule } from './model.js';

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function getSchedule(
  clients: Pick<AwsClients, 'scheduler'>,
  group: string,
  name: string,
): Promise<LiveSchedule | undefined> {
  try {
    const { $metadata: _metadata, ...schedule } = await callAws('GetSchedule', () =>
      clients.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group })),
    );
    return plain(schedule) as LiveSchedule;
  } catch (error) {
    const code = (error as { awsCode?: string }).awsCode;
    // The schedule, or the whole group (before the first schedule), does not exist yet.
    if (code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export async function readSchedules(
  clients: Pick<AwsClients, 'scheduler'>,
  group: string,
  names: readonly string[],
  discoverOrphans: boolean,
): Promise<{
  schedules: Record<string, LiveSchedule>;
  orphans: { name: string; arn?: string; tags: Record<string, string> }[];
}> {
  const schedules: Record<string, LiveSchedule> = {};
  for (const name of names) {
    const schedule = await getSchedule(clients, group, name);
    if (schedule) schedules[name] = schedule;
  }
  const orphans: { name: string; arn?: string; tags: Record<string, string> }[] = [];
  if (!discoverOrphans) return { schedules, orphans };
  const wanted = new Set(names);
  for (const name of await listScheduleNames(clients, group)) {
    if (wanted.has(name)) continue;
    const schedule = await getSchedule(clients, group, name);
    if (!schedule) continue;
    orphans.push({
      name,
      ...(schedule.Arn ? { arn: schedule.Arn } : {}),
      tags: targetTagsToMap(schedule.Target?.EcsParameters?.Tags),
    });
  }
  return { schedules, orphans };
}

/** The names of a group's schedules (none when the group does not exist). */
async function listScheduleNames(clients: Pick<AwsClients, 'scheduler'>, group: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    let page: { Schedules?: { Name?: string | undefined }[] | undefined; NextToken?: string | undefined };
    try {
      page = await callAws('ListSchedules', () =>
        clients.scheduler.send(new ListSchedulesCommand({ GroupName: group, NextToken: nextToken })),
      );
    } catch (error) {
      if ((error as { awsCode?: string }).awsCode === 'ResourceNotFoundException') break;
      throw error;
    }
    for (const summary of page.Schedules ?? []) if (summary.Name) names.push(summary.Name);
    nextToken = page.NextToken;
  } while (nextToken);
  return names;
}

/** Every schedule of a group, as GetSchedule answers (`import`). */
export async function readScheduleGroup(
  clients: Pick<AwsClients, 'scheduler'>,
  group: string,
): Promise<LiveSchedule[]> {
  const schedules: LiveSchedule[] = [];
  for (const name of (await listScheduleNames(clients, group)).sort()) {
    const schedule = await getSchedule(clients, group, name);
    if (schedule) schedules.push(schedule);
  }
  return schedules;
}
