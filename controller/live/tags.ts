// The tags on the live object behind a desired resource, as a map (the ownership record is read
// from them: managed-by, revision, spec-hash).

import { serviceKey } from '../aws-model/ids.js';
import { targetTagsToMap } from '../aws-model/schedules.js';
import { tagsToMap } from '../aws-model/tags.js';
import type { ResourceDiff } from '../diff/model.js';
import { type LiveState, liveTaskDefinitionArn } from './model.js';

export function liveTagsOf(diff: ResourceDiff, live: LiveState): Record<string, string> | undefined {
  const desired = diff.desired;
  if (!desired) return undefined;
  switch (desired.kind) {
    case 'CapacityProvider':
      return tagsToMap(live.capacityProviders[desired.providerName]?.tags);
    case 'Cluster':
      return tagsToMap(live.clusters[desired.clusterName]?.tags);
    case 'Service':
      return tagsToMap(live.services[serviceKey(desired.cluster.clusterName, desired.serviceName)]?.tags);
    case 'TaskDefinition': {
      const arn = liveTaskDefinitionArn(diff, live);
      return arn ? tagsToMap(live.taskDefinitions[arn]?.tags) : undefined;
    }
    case 'ScalingPolicy':
      return { ...(live.scalableTargetTags[desired.resourceId] ?? {}) };
    case 'ScheduledTask':
      return targetTagsToMap(live.schedules?.[desired.scheduleName]?.Target?.EcsParameters?.Tags);
    case 'Task':
      return undefined;
  }
}
