// ScalingPolicy: one scalable target (ecs:service:DesiredCount) plus its policies and scheduled
// actions. Everything is updatable in place (RegisterScalableTarget and PutScalingPolicy overwrite).

import { serviceKey } from '../aws-model/ids.js';
import { isOwnedBy } from '../aws-model/tags.js';
import type { LiveState } from '../live/model.js';
import type { DesiredScalingPolicy, DesiredService, DesiredState } from '../manifest/model.js';
import { actionFor, type DiffOptions, makeDiff } from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import type { ResourceDiff } from './model.js';
import { normalizeDesiredScalingPolicy, normalizeLiveScalingPolicy } from './normalize/scaling-policy.js';
import { asObject, plainSpec } from './normalize/values.js';

export function diffScalingPolicy(
  desired: DesiredScalingPolicy,
  state: DesiredState,
  live: LiveState,
  options: DiffOptions,
): ResourceDiff {
  const spec = plainSpec(desired.spec);
  const desiredForm = normalizeDesiredScalingPolicy(spec);
  const target = live.scalableTargets[desired.resourceId];
  if (!target) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: compareCreate(desiredForm),
      replaceReasons: [],
      desired,
    });
  }
  const liveForm = normalizeLiveScalingPolicy(
    asObject(target),
    (live.scalingPolicies[desired.resourceId] ?? []).map(asObject),
    (live.scheduledActions[desired.resourceId] ?? []).map(asObject),
    spec,
  );
  // Ownership: the target's own tag when it was read, else the owning service's (autoscaling is part of it).
  const targetTags = live.scalableTargetTags[desired.resourceId];
  const service = state.resources.find(
    (r): r is DesiredService => r.kind === 'Service' && r.name === desired.serviceName,
  );
  const liveService = service
    ? live.services[serviceKey(service.cluster.clusterName, service.serviceName)]
    : undefined;
  const owned = targetTags
    ? isOwnedBy(targetTags, options.instance)
    : isOwnedBy(liveService?.tags, options.instance);
  const changes = compareObjects(desiredForm, liveForm);
  // The target's tags are written on adoption (ownership follows the service when they were not read).
  const adopting = !owned && desired.policy.adopt && changes.length === 0;
  return makeDiff({
    key: desired.key,
    action: adopting ? 'adopt' : actionFor(true, changes, []),
    changes,
    replaceReasons: [],
    owned,
    liveArn: typeof target.ScalableTargetARN === 'string' ? target.ScalableTargetARN : undefined,
    desired,
  });
}
