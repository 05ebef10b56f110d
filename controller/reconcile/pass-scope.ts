// Which resources a pass looks at. The resync timer, startup, retries and "Sync now" run full passes
// (every live object read: that is where drift is found). A pass asked for only by a Git change or by
// a rollout follow-up is targeted: it reads, diffs and applies only the resources whose desired state
// changed since the last pass (plus those still rolling out, plus what they depend on), and its
// results merge into the last full picture. A resource that left Git makes the pass full (prune and
// status need the whole picture).
import { serviceKey } from '../aws-model/ids.js';
import type { LiveState } from '../live/model.js';
import type { DesiredResource, DesiredState } from '../manifest/model.js';
import { type KeyString, keyString } from '../types.js';

/** Reasons that alone allow a targeted pass. */
export const REVISION_REASON = 'new revision';
export const ROLLOUT_REASON = 'rollout progressing';

function targetable(reason: string): boolean {
  return reason === REVISION_REASON || reason === ROLLOUT_REASON || reason.startsWith('push ');
}

export interface ScopeInput {
  readonly reasons: readonly string[];
  /** Fingerprints of the desired state the last pass reconciled; undefined before any full pass. */
  readonly previous: ReadonlyMap<KeyString, string> | undefined;
  readonly current: ReadonlyMap<KeyString, string>;
  /** Resources still rolling out after the last pass. */
  readonly progressing: ReadonlySet<KeyString>;
}

/** The keys a pass must reconcile, or undefined for a full pass. */
export function passScope(input: ScopeInput): ReadonlySet<KeyString> | undefined {
  if (!input.previous || input.reasons.length === 0 || !input.reasons.every(targetable)) return undefined;
  const scope = new Set<KeyString>();
  for (const key of input.previous.keys()) if (!input.current.has(key)) return undefined;
  for (const [key, fingerprint] of input.current) {
    if (input.previous.get(key) !== fingerprint) scope.add(key);
  }
  for (const key of input.progressing) if (input.current.has(key)) scope.add(key);
  return scope;
}

/** The scope plus what each resource in it depends on (a service's cluster and task definition, a policy's service). */
export function withDependencies(desired: DesiredState, scope: ReadonlySet<KeyString>): DesiredState {
  const byKey = new Map(desired.resources.map((r) => [keyString(r.key), r]));
  const keep = new Set<KeyString>();
  const add = (key: KeyString) => {
    const resource = byKey.get(key);
    if (!resource || keep.has(key)) return;
    keep.add(key);
    for (const dependency of dependenciesOf(resource)) add(dependency);
  };
  for (const key of scope) add(key);
  return { ...desired, resources: desired.resources.filter((r) => keep.has(keyString(r.key))) };
}

function dependenciesOf(resource: DesiredResource): KeyString[] {
  switch (resource.kind) {
    case 'Service':
      return [
        ...(resource.cluster.type === 'manifest' ? [`Cluster/${resource.cluster.name}` as KeyString] : []),
        ...(resource.taskDefinition.type === 'manifest'
          ? [`TaskDefinition/${resource.taskDefinition.name}` as KeyString]
          : []),
      ];
    case 'ScalingPolicy':
      return [`Service/${resource.serviceName}` as KeyString];
    default:
      return [];
  }
}

/**
 * The last full picture with what a targeted pass just read laid over it: for the resources the pass
 * read, its answer wins (absent there = absent now); everything else, orphans included, stays as the
 * last full pass saw it.
 */
export function mergeLive(base: LiveState, update: LiveState, read: DesiredState): LiveState {
  type Writable<T> = { -readonly [K in keyof T]: T[K] };
  const capacityProviders: Writable<LiveState['capacityProviders']> = { ...base.capacityProviders };
  const clusters: Writable<LiveState['clusters']> = { ...base.clusters };
  const services: Writable<LiveState['services']> = { ...base.services };
  const latestRevisions: Writable<LiveState['latestRevisions']> = { ...base.latestRevisions };
  const scalableTargets: Writable<LiveState['scalableTargets']> = { ...base.scalableTargets };
  const scalingPolicies: Writable<LiveState['scalingPolicies']> = { ...base.scalingPolicies };
  const scheduledActions: Writable<LiveState['scheduledActions']> = { ...base.scheduledActions };
  const take = <T>(into: Record<string, T>, from: Readonly<Record<string, T>>, key: string) => {
    const value = from[key];
    if (value === undefined) delete into[key];
    else into[key] = value;
  };
  for (const resource of read.resources) {
    switch (resource.kind) {
      case 'CapacityProvider':
        take(capacityProviders, update.capacityProviders, resource.providerName);
        break;
      case 'Cluster':
        take(clusters, update.clusters, resource.clusterName);
        break;
      case 'Service':
        take(clusters, update.clusters, resource.cluster.clusterName);
        take(services, update.services, serviceKey(resource.cluster.clusterName, resource.serviceName));
        break;
      case 'TaskDefinition':
        if (update.latestRevisions[resource.family])
          take(latestRevisions, update.latestRevisions, resource.family);
        break;
      case 'ScalingPolicy':
        take(scalableTargets, update.scalableTargets, resource.resourceId);
        take(scalingPolicies, update.scalingPolicies, resource.resourceId);
        take(scheduledActions, update.scheduledActions, resource.resourceId);
        break;
    }
  }
  return {
    capacityProviders,
    clusters,
    services,
    taskDefinitions: { ...base.taskDefinitions, ...update.taskDefinitions },
    latestRevisions,
    scalableTargets,
    scalingPolicies,
    scheduledActions,
    scalableTargetTags: { ...base.scalableTargetTags, ...update.scalableTargetTags },
    orphans: base.orphans,
  };
}
