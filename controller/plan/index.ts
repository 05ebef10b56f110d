// plan/: pure. ResourceDiffs → an ordered, safety-checked ChangeSet.

import { shortTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import type { ResourceDiff } from '../diff/model.js';
import { type Action, ANNOTATIONS, type KeyString, KINDS, keyString, type ResourceKey } from '../types.js';
import type { BlockReason, ChangeSet, ChangeSetEntry, ChangeSetSummary } from './model.js';

export { changeSetToJson, configurationInSync, renderChangeSet } from './render.js';

export interface PlanOptions {
  /** Source revision the plan was made from (recorded in tags by apply). */
  readonly revision: string;
  /** Deleting owned resources that left Git is allowed at all. */
  readonly prune: boolean;
  /** Most deletions one plan may run without `pruneConfirm` (see config.pruneLimit). */
  readonly pruneLimit: number;
  readonly pruneConfirm: boolean;
  /** Entries the caller blocks for its own reasons (drift policy, …), by KeyString. */
  readonly blocked?: ReadonlyMap<string, { reason: BlockReason; message: string }>;
}

type Blocked = { reason: BlockReason; message: string };

function kindIndex(key: ResourceKey): number {
  return KINDS.indexOf(key.kind);
}

function byName(a: ChangeSetEntry, b: ChangeSetEntry): number {
  return a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0;
}

function safetyBlock(diff: ResourceDiff, options: PlanOptions): Blocked | undefined {
  const key = keyString(diff.key);
  const external = options.blocked?.get(key);
  if (external) return external;
  if (diff.action === 'noop') return undefined;
  const desired = diff.desired;
  if (desired && !desired.policy.sync) {
    return {
      reason: 'sync-disabled',
      message: `${key} has ${ANNOTATIONS.sync}: disabled; the controller leaves it alone`,
    };
  }
  if (diff.action === 'delete') {
    if (diff.owned !== true)
      return { reason: 'unowned', message: `${key} is not managed by this controller; it is never deleted` };
    if (diff.pruneProtected) {
      return {
        reason: 'prune-disabled',
        message: `${key} is tagged ${ANNOTATIONS.prune}=disabled; it is never deleted`,
      };
    }
    if (!options.prune) {
      return { reason: 'prune-off', message: `${key} is no longer in Git; pass --prune to delete it` };
    }
    return undefined;
  }
  if (diff.owned === false && desired && !desired.policy.adopt) {
    return { reason: 'unowned', message: unownedMessage(diff, key) };
  }
  if (diff.action === 'replace') {
    if (!desired?.policy.replaceAllowed) {
      return {
        reason: 'replace-not-allowed',
        message: `${key} must be replaced (${diff.replaceReasons.join('; ')}); add the annotation ${ANNOTATIONS.replace}: allowed to permit deleting and recreating it`,
      };
    }
    if (desired && !desired.policy.prune) {
      return {
        reason: 'prune-disabled',
        message: `${key} must be replaced, but ${ANNOTATIONS.prune}: disabled forbids deleting it`,
      };
    }
    if (diff.pruneProtected) {
      return {
        reason: 'prune-disabled',
        message: `${key} must be replaced, but the resource it replaces is tagged ${ANNOTATIONS.prune}=disabled; it is never deleted`,
      };
    }
  }
  return undefined;
}

function unownedMessage(diff: ResourceDiff, key: string): string {
  const adopt = `${ANNOTATIONS.adopt}: "true"`;
  if (diff.key.kind === 'TaskDefinition' && diff.action === 'update' && diff.liveArn) {
    // Someone registered a revision outside Git and put it in service: the family looks unowned.
    const revision = shortTaskDefinitionRef(diff.liveArn);
    return `${key}: the revision in service, ${revision}, was not registered by this controller (changed outside Git?), so Git changes to this family are not applied. To keep ${revision}, copy it into Git (ecs-gitops import prints its manifest) and add the annotation ${adopt}; to let Git's revision win, add ${adopt} alone and Git's content is registered and deployed`;
  }
  return `${key} exists but is not managed by this controller; add the annotation ${adopt} to adopt it`;
}

/**
 * What each entry must wait for: Cluster → its CapacityProviders, Service → Cluster + TaskDefinition +
 * CapacityProviders, a Managed Instances CapacityProvider → its Cluster, ScalingPolicy → Service; deletes reversed.
 */
function dependencies(
  diff: ResourceDiff,
  diffs: readonly ResourceDiff[],
  changingKeys: ReadonlySet<string>,
): ResourceKey[] {
  const changing = (key: ResourceKey) => changingKeys.has(`${key.kind}/${key.name}`);
  const out: ResourceKey[] = [];
  const desired = diff.desired;
  if (diff.action === 'delete') {
    // Delete in reverse: policies before services, services before their cluster and task definition.
    for (const other of diffs) {
      if (other.action !== 'delete' || other === diff) continue;
      const before =
        (diff.key.kind === 'CapacityProvider' &&
          (other.key.kind === 'Cluster' || other.key.kind === 'Service')) ||
        (diff.key.kind === 'Service' &&
          other.key.kind === 'ScalingPolicy' &&
          other.key.name === diff.key.name) ||
        ((diff.key.kind === 'Cluster' || diff.key.kind === 'TaskDefinition') && other.key.kind === 'Service');
      if (before) out.push(other.key);
    }
    return out;
  }
  // Capacity providers named by their ECS name, created before the clusters and services using them.
  const providers = (names: readonly string[]) =>
    names.length === 0
      ? []
      : diffs
          .filter((d) => d.desired?.kind === 'CapacityProvider' && names.includes(d.desired.providerName))
          .map((d) => d.key);
  const strategyNames = (strategy: unknown) =>
    (Array.isArray(strategy) ? strategy : []).map((item) =>
      String((item as { capacityProvider?: unknown }).capacityProvider),
    );
  if (desired?.kind === 'Cluster') {
    out.push(
      ...providers([
        ...(desired.spec.capacityProviders ?? []),
        ...strategyNames(desired.spec.defaultCapacityProviderStrategy),
      ]),
    );
  } else if (desired?.kind === 'CapacityProvider' && desired.clusterName !== undefined) {
    out.push(
      ...diffs
        .filter((d) => d.desired?.kind === 'Cluster' && d.desired.clusterName === desired.clusterName)
        .map((d) => d.key),
    );
  }
  if (desired?.kind === 'Service') {
    out.push(...providers(strategyNames(desired.spec.capacityProviderStrategy)));
    if (desired.cluster.type === 'manifest') out.push({ kind: 'Cluster', name: desired.cluster.name });
    if (desired.taskDefinition.type === 'manifest')
      out.push({ kind: 'TaskDefinition', name: desired.taskDefinition.name });
  } else if (desired?.kind === 'ScalingPolicy') {
    out.push({ kind: 'Service', name: desired.serviceName });
  } else if (desired?.kind === 'ScheduledTask') {
    if (desired.cluster.type === 'manifest') out.push({ kind: 'Cluster', name: desired.cluster.name });
    if (desired.taskDefinition.type === 'manifest')
      out.push({ kind: 'TaskDefinition', name: desired.taskDefinition.name });
  }
  return out.filter(changing);
}

export function summarize(entries: readonly ChangeSetEntry[]): ChangeSetSummary {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, noop: 0 };
  let blocked = 0;
  for (const entry of entries) {
    if (entry.blocked) blocked += 1;
    else counts[entry.action] += 1;
  }
  return { ...counts, blocked };
}

export function planChanges(diffs: readonly ResourceDiff[], options: PlanOptions): ChangeSet {
  // Looked up once per dependency: a scan of every diff each time was quadratic in the estate.
  const changingKeys = new Set(
    diffs.filter((d) => d.action !== 'noop').map((d) => `${d.key.kind}/${d.key.name}`),
  );
  const entries: ChangeSetEntry[] = diffs.map((diff) => {
    const blocked = safetyBlock(diff, options);
    return {
      key: diff.key,
      action: diff.action,
      diff,
      dependsOn: dependencies(diff, diffs, changingKeys),
      ...(blocked ? { blocked } : {}),
    };
  });

  // The prune safety rail: too many deletions at once are refused as a whole.
  const deletes = entries.filter((entry) => entry.action === 'delete' && !entry.blocked);
  if (deletes.length > options.pruneLimit && !options.pruneConfirm) {
    const names = deletes.map((entry) => keyString(entry.key)).join(', ');
    const message = `refusing to delete ${deletes.length} resources (more than the limit of ${options.pruneLimit}) without --prune-confirm: ${names}`;
    for (let index = 0; index < entries.length; index += 1) {
      const entry = entries[index] as ChangeSetEntry;
      if (entry.action === 'delete' && !entry.blocked)
        entries[index] = { ...entry, blocked: { reason: 'prune-limit', message } };
    }
  }

  const forward = entries
    .filter((entry) => entry.action !== 'delete')
    .sort((a, b) => kindIndex(a.key) - kindIndex(b.key) || byName(a, b));
  const backward = entries
    .filter((entry) => entry.action === 'delete')
    .sort((a, b) => kindIndex(b.key) - kindIndex(a.key) || byName(a, b));
  const ordered = [...forward, ...backward];
  return { revision: options.revision, entries: ordered, summary: summarize(ordered) };
}

/** KeyStrings of entries that would change something (not noop, not blocked). */
export function pendingKeys(changeSet: ChangeSet): KeyString[] {
  return changeSet.entries.filter((e) => e.action !== 'noop' && !e.blocked).map((e) => keyString(e.key));
}
