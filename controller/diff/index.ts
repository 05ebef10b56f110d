// diff/: pure comparison of the desired state with live state, one ResourceDiff per resource.

import { tagsToMap } from '../aws-model/tags.js';
import type { LiveState } from '../live/model.js';
import { isPruneProtected } from '../manifest/annotations.js';
import type { DesiredState, DesiredTaskDefinition } from '../manifest/model.js';
import { KINDS, keyString } from '../types.js';
import { diffCapacityProvider } from './capacity-provider.js';
import { diffCluster } from './cluster.js';
import { type DiffOptions, makeDiff } from './common.js';
import type { ResourceDiff, TaskDefinitionTarget } from './model.js';
import { diffScalingPolicy } from './scaling-policy.js';
import { diffScheduledTask } from './scheduled-task.js';
import { diffService } from './service.js';
import { diffTaskDefinition } from './task-definition.js';

export type { DiffOptions } from './common.js';
export { compareCreate, compareObjects, redactSecrets } from './compare.js';
export { taskDefinitionFingerprint } from './fingerprint.js';
export { taskDefinitionMatches } from './task-definition.js';

function orderOf(diff: ResourceDiff): [number, string] {
  return [KINDS.indexOf(diff.key.kind), diff.key.name];
}

/** Compares every desired resource with live state; with `pruneCandidates`, owned orphans become deletes. */
export function diffResources(desired: DesiredState, live: LiveState, options: DiffOptions): ResourceDiff[] {
  const diffs: ResourceDiff[] = [];
  const taskDefinitions = new Map<string, { desired: DesiredTaskDefinition; target: TaskDefinitionTarget }>();
  for (const resource of desired.resources) {
    if (resource.kind !== 'TaskDefinition') continue;
    const diff = diffTaskDefinition(resource, desired, live, options);
    diffs.push(diff);
    if (diff.taskDefinition)
      taskDefinitions.set(resource.name, { desired: resource, target: diff.taskDefinition });
  }
  for (const resource of desired.resources) {
    if (resource.kind === 'CapacityProvider') diffs.push(diffCapacityProvider(resource, live, options));
    else if (resource.kind === 'Cluster') diffs.push(diffCluster(resource, live, options));
    else if (resource.kind === 'Service') diffs.push(diffService(resource, live, options, taskDefinitions));
    else if (resource.kind === 'ScalingPolicy')
      diffs.push(diffScalingPolicy(resource, desired, live, options));
    else if (resource.kind === 'ScheduledTask')
      diffs.push(diffScheduledTask(resource, live, options, taskDefinitions));
    // A Task has no standing object in AWS: nothing to compare, its runs are reported instead.
    else if (resource.kind === 'Task')
      diffs.push(
        makeDiff({ key: resource.key, action: 'noop', changes: [], replaceReasons: [], desired: resource }),
      );
  }

  const byKey = new Map(diffs.map((diff, index) => [keyString(diff.key), index]));
  for (const orphan of live.orphans) {
    const key = { kind: orphan.kind, name: orphan.name };
    const index = byKey.get(keyString(key));
    const existing = index === undefined ? undefined : diffs[index];
    // The manifest may be gone: the protection recorded on the resource itself decides.
    const liveTags = orphan.live && 'tags' in orphan.live ? orphan.live.tags : undefined;
    const protectedByTag = isPruneProtected(orphan.tags ?? tagsToMap(liveTags));
    if (existing && index !== undefined) {
      // Same manifest name, different identity (cluster or name moved): the old one must go.
      if (existing.action === 'create') {
        const where = orphan.clusterName ? ` in cluster ${orphan.clusterName}` : '';
        diffs[index] = makeDiff({
          ...existing,
          action: 'replace',
          owned: true,
          ...(orphan.arn ? { liveArn: orphan.arn } : {}),
          ...(protectedByTag ? { pruneProtected: true } : {}),
          replaceReasons: [
            `${existing.key.kind}/${existing.key.name} exists as ${orphan.arn ?? orphan.name}${where}; its identity (name or cluster) is fixed at creation`,
          ],
        });
      }
      continue;
    }
    if (!options.pruneCandidates) continue;
    diffs.push(
      makeDiff({
        key,
        action: 'delete',
        changes: [],
        replaceReasons: [],
        owned: true,
        ...(orphan.arn ? { liveArn: orphan.arn } : {}),
        ...(protectedByTag ? { pruneProtected: true } : {}),
      }),
    );
  }
  return diffs.sort((a, b) => {
    const [ka, na] = orderOf(a);
    const [kb, nb] = orderOf(b);
    return (
      ka - kb ||
      (na < nb ? -1 : na > nb ? 1 : 0) ||
      (a.action === 'delete' ? 1 : 0) - (b.action === 'delete' ? 1 : 0)
    );
  });
}
