// Pieces every kind's diff uses: tag comparison, ownership, adoption, the action rule.

import { comparableTags, tagsToMap } from '../aws-model/tags.js';
import { policyTags } from '../manifest/annotations.js';
import type { DesiredResource } from '../manifest/model.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { compareObjects } from './compare.js';
import type { DesiredAction, FieldChange, ResourceDiff } from './model.js';

export interface DiffOptions {
  /** This controller's instance name (the managed-by tag value). */
  readonly instance: string;
  /** Include owned resources that left Git as `delete` diffs. */
  readonly pruneCandidates?: boolean;
}

/** The tags a desired resource must carry: its manifest's, plus those recording its annotations. */
export function desiredTags(desired: DesiredResource & { readonly tags?: Readonly<Record<string, string>> }) {
  return { ...(desired.tags ?? {}), ...policyTags(desired.policy) };
}

export function tagChanges(desiredTags: unknown, liveTags: unknown): FieldChange[] {
  return compareObjects({ tags: comparableTags(desiredTags) }, { tags: comparableTags(liveTags) });
}

/** An unowned resource the manifest adopts gets the managed-by tag: that is a change to make. */
export function adoptionChanges(
  desired: DesiredResource,
  liveTags: unknown,
  instance: string,
  owned: boolean,
): FieldChange[] {
  if (owned || !desired.policy.adopt) return [];
  const current = tagsToMap(liveTags)[OWNERSHIP_TAGS.managedBy];
  return [
    current === undefined
      ? { path: `tags[${OWNERSHIP_TAGS.managedBy}]`, op: 'add', desired: instance }
      : { path: `tags[${OWNERSHIP_TAGS.managedBy}]`, op: 'change', desired: instance, live: current },
  ];
}

/**
 * The action and changes of an existing resource, adoption included: an unowned resource the manifest
 * adopts is `adopt` when nothing else differs (tags only), else an `update` that also writes the
 * managed-by tag.
 */
export function adoptingAction(
  desired: DesiredResource,
  liveTags: unknown,
  instance: string,
  owned: boolean,
  changes: readonly FieldChange[],
  replaceReasons: readonly string[],
): { action: DesiredAction; changes: FieldChange[] } {
  const adopting = !owned && desired.policy.adopt;
  if (adopting && changes.length === 0 && replaceReasons.length === 0)
    return { action: 'adopt', changes: [] };
  const all = [...changes, ...adoptionChanges(desired, liveTags, instance, owned)];
  return { action: actionFor(true, all, replaceReasons), changes: all };
}

export function actionFor(
  exists: boolean,
  changes: readonly FieldChange[],
  replaceReasons: readonly string[],
): DesiredAction {
  if (!exists) return 'create';
  if (replaceReasons.length > 0) return 'replace';
  return changes.length > 0 ? 'update' : 'noop';
}

/**
 * Builds a ResourceDiff leaving out absent optional fields (clean JSON, stable golden files), in
 * the one field order the golden files are written in.
 */
export function makeDiff<D extends ResourceDiff>(diff: D): D {
  const out: Record<string, unknown> = {
    key: diff.key,
    action: diff.action,
    changes: diff.changes,
    replaceReasons: diff.replaceReasons,
  };
  if (diff.owned !== undefined) out.owned = diff.owned;
  if (diff.liveArn !== undefined) out.liveArn = diff.liveArn;
  if (diff.desired !== undefined) out.desired = diff.desired;
  if (diff.taskDefinition !== undefined) out.taskDefinition = diff.taskDefinition;
  if (diff.pruneProtected !== undefined) out.pruneProtected = diff.pruneProtected;
  return out as D;
}
