// Cluster: every field is updatable (UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders, tags).

import { isOwnedBy } from '../aws-model/tags.js';
import type { LiveState } from '../live/model.js';
import type { DesiredCluster } from '../manifest/model.js';
import { adoptingAction, type DiffOptions, desiredTags, makeDiff, tagChanges } from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import type { ResourceDiff } from './model.js';
import { normalizeCluster } from './normalize/cluster.js';
import { asObject, plainSpec } from './normalize/values.js';

export function diffCluster(desired: DesiredCluster, live: LiveState, options: DiffOptions): ResourceDiff {
  const spec = plainSpec(desired.spec);
  const liveCluster = live.clusters[desired.clusterName];
  const desiredForm = normalizeCluster(spec);
  if (!liveCluster) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: [...compareCreate(desiredForm), ...tagChanges(desiredTags(desired), undefined)],
      replaceReasons: [],
      desired,
    });
  }
  const liveForm = normalizeCluster(asObject(liveCluster), spec);
  const owned = isOwnedBy(liveCluster.tags, options.instance);
  const { action, changes } = adoptingAction(
    desired,
    liveCluster.tags,
    options.instance,
    owned,
    [...compareObjects(desiredForm, liveForm), ...tagChanges(desiredTags(desired), liveCluster.tags)],
    [],
  );
  return makeDiff({
    key: desired.key,
    action,
    changes,
    replaceReasons: [],
    owned,
    liveArn: typeof liveCluster.clusterArn === 'string' ? liveCluster.clusterArn : undefined,
    desired,
  });
}
