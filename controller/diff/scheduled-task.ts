// ScheduledTask: an EventBridge Scheduler schedule with an ECS target. Every field is updatable
// (UpdateSchedule replaces the whole schedule); the ownership record is the target's ECS tags,
// because the Scheduler API tags schedule groups only.

import { targetTagsToMap } from '../aws-model/schedules.js';
import { isOwnedBy } from '../aws-model/tags.js';
import type { LiveState } from '../live/model.js';
import type { DesiredScheduledTask, DesiredTaskDefinition } from '../manifest/model.js';
import { adoptingAction, type DiffOptions, makeDiff } from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import type { ResourceDiff, TaskDefinitionTarget } from './model.js';
import { normalizeDesiredSchedule, normalizeLiveSchedule } from './normalize/scheduled-task.js';
import { plainSpec } from './normalize/values.js';

/** The revision the target must run: the matching one, or the one this plan registers. */
function targetRevision(
  desired: DesiredScheduledTask,
  taskDefinitions: ReadonlyMap<string, { desired: DesiredTaskDefinition; target: TaskDefinitionTarget }>,
): { arn: string; target?: TaskDefinitionTarget } {
  const ref = desired.taskDefinition;
  if (ref.type === 'external') return { arn: ref.value };
  const found = taskDefinitions.get(ref.name);
  if (found?.target.arn && !found.target.register) return { arn: found.target.arn, target: found.target };
  return {
    arn: `(new revision of ${ref.family})`,
    ...(found ? { target: found.target } : {}),
  };
}

export function diffScheduledTask(
  desired: DesiredScheduledTask,
  live: LiveState,
  options: DiffOptions,
  taskDefinitions: ReadonlyMap<string, { desired: DesiredTaskDefinition; target: TaskDefinitionTarget }>,
): ResourceDiff {
  const revision = targetRevision(desired, taskDefinitions);
  const desiredForm = normalizeDesiredSchedule({
    spec: plainSpec(desired.spec),
    clusterName: desired.cluster.clusterName,
    taskDefinition: revision.arn,
  });
  const schedule = live.schedules?.[desired.scheduleName];
  const taskDefinition = revision.target ? { taskDefinition: revision.target } : {};
  if (!schedule) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: compareCreate(desiredForm),
      replaceReasons: [],
      desired,
      ...taskDefinition,
    });
  }
  const liveTags = targetTagsToMap(schedule.Target?.EcsParameters?.Tags);
  const owned = isOwnedBy(liveTags, options.instance);
  const { action, changes } = adoptingAction(
    desired,
    liveTags,
    options.instance,
    owned,
    compareObjects(desiredForm, normalizeLiveSchedule(schedule)),
    [],
  );
  return makeDiff({
    key: desired.key,
    action,
    changes,
    replaceReasons: [],
    owned,
    ...(schedule.Arn ? { liveArn: schedule.Arn } : {}),
    desired,
    ...taskDefinition,
  });
}
