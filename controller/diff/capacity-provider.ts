// CapacityProvider: managed scaling, termination protection and draining (Auto Scaling group) and the
// Managed Instances configuration update in place (UpdateCapacityProvider); the Auto Scaling group,
// the provider type and a Managed Instances provider's cluster are fixed at creation (replace).

import { isOwnedBy } from '../aws-model/tags.js';
import type { LiveState } from '../live/model.js';
import type { DesiredCapacityProvider } from '../manifest/model.js';
import { adoptingAction, type DiffOptions, desiredTags, makeDiff, tagChanges } from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import type { ResourceDiff } from './model.js';
import { normalizeCapacityProvider } from './normalize/capacity-provider.js';
import { asObject, type PlainObject, plainSpec } from './normalize/values.js';

export const CAPACITY_PROVIDER_CREATE_ONLY = [
  'cluster',
  'autoScalingGroupProvider.autoScalingGroupArn',
] as const;

function replaceReasons(desired: PlainObject, live: PlainObject): string[] {
  const reasons: string[] = [];
  const kind = (form: PlainObject) =>
    form.managedInstancesProvider ? 'Managed Instances' : 'Auto Scaling group';
  if (kind(desired) !== kind(live)) {
    reasons.push(
      `the provider changes from ${kind(live)} to ${kind(desired)}: the type is fixed at creation`,
    );
  }
  const arn = (form: PlainObject) => asObject(form.autoScalingGroupProvider).autoScalingGroupArn;
  if (arn(desired) !== undefined && arn(live) !== undefined && arn(desired) !== arn(live)) {
    reasons.push(
      'autoScalingGroupProvider.autoScalingGroupArn changes: the Auto Scaling group is fixed at creation',
    );
  }
  if ((desired.cluster ?? null) !== (live.cluster ?? null)) {
    reasons.push(
      `cluster changes from ${String(live.cluster ?? '(none)')} to ${String(desired.cluster ?? '(none)')}: it is fixed at creation`,
    );
  }
  return reasons;
}

export function diffCapacityProvider(
  desired: DesiredCapacityProvider,
  live: LiveState,
  options: DiffOptions,
): ResourceDiff {
  const desiredForm = normalizeCapacityProvider(plainSpec(desired.spec));
  const liveProvider = live.capacityProviders[desired.providerName];
  if (!liveProvider) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: [...compareCreate(desiredForm), ...tagChanges(desiredTags(desired), undefined)],
      replaceReasons: [],
      desired,
    });
  }
  const liveForm = normalizeCapacityProvider(asObject(liveProvider));
  const reasons = replaceReasons(desiredForm, liveForm);
  const owned = isOwnedBy(liveProvider.tags, options.instance);
  const { action, changes } = adoptingAction(
    desired,
    liveProvider.tags,
    options.instance,
    owned,
    [
      ...compareObjects(desiredForm, liveForm, { createOnly: new Set(CAPACITY_PROVIDER_CREATE_ONLY) }),
      ...tagChanges(desiredTags(desired), liveProvider.tags),
    ],
    reasons,
  );
  return makeDiff({
    key: desired.key,
    action,
    changes,
    replaceReasons: reasons,
    owned,
    liveArn:
      typeof liveProvider.capacityProviderArn === 'string' ? liveProvider.capacityProviderArn : undefined,
    desired,
  });
}
