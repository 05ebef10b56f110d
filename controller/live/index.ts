// live/: the only AWS reader. Reads exactly what the diff of one desired state needs, batched.

import type { AwsClients } from '../aws/clients.js';
import { serviceKey, serviceResourceId } from '../aws-model/ids.js';
import { scheduleGroupOf } from '../aws-model/schedules.js';
import { isOwnedBy, tagsToMap } from '../aws-model/tags.js';
import { parseTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import { desiredTags } from '../diff/common.js';
import { taskDefinitionTrust, trustsTaskDefinition } from '../diff/fingerprint.js';
import { taskDefinitionMatches } from '../diff/task-definition.js';
import type {
  DesiredScalingPolicy,
  DesiredService,
  DesiredState,
  DesiredTaskDefinition,
} from '../manifest/model.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { describeScalableTargets, readScaling, scalableTargetTags } from './autoscaling-reads.js';
import { mapLimit } from './batch.js';
import {
  describeCapacityProviders,
  describeClusters,
  describeRevisions,
  describeServices,
  latestActiveRevisions,
  listClusterArns,
  listServiceArns,
  nameFromArn,
  READ_CONCURRENCY,
} from './ecs-reads.js';
import type {
  LiveCapacityProvider,
  LiveCluster,
  LiveService,
  LiveServiceDeployment,
  LiveState,
  LiveTaskDefinition,
  OrphanRef,
} from './model.js';
import { readSchedules } from './scheduler-reads.js';
import {
  currentDeploymentArn,
  readServiceDeployments,
  ServiceDeploymentCache,
} from './service-deployments.js';
import { TaskDefinitionCache } from './task-definition-cache.js';

export { ServiceDeploymentCache } from './service-deployments.js';
export { TaskDefinitionCache } from './task-definition-cache.js';

export interface ReadLiveOptions {
  /** The managed-by tag value that marks resources as this controller's. */
  readonly instance: string;
  /** Also find owned resources that left Git (prune and status). Costs List* calls. */
  readonly discoverOrphans?: boolean;
  /** Shared across passes; a new one per call when absent. */
  readonly cache?: TaskDefinitionCache;
  /** Finished service deployments, shared across passes (a steady pass then describes none). */
  readonly serviceDeploymentCache?: ServiceDeploymentCache;
  /** The clock of `readAt` (tests pass a manual one). */
  readonly now?: () => Date;
}

function ofKind<K extends DesiredState['resources'][number]['kind']>(desired: DesiredState, kind: K) {
  return desired.resources.filter((r) => r.kind === kind) as Extract<
    DesiredState['resources'][number],
    { kind: K }
  >[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function readLive(
  clients: AwsClients,
  desired: DesiredState,
  options: ReadLiveOptions,
): Promise<LiveState> {
  const cache = options.cache ?? new TaskDefinitionCache();
  const clustersWanted = ofKind(desired, 'Cluster');
  const servicesWanted = ofKind(desired, 'Service');
  const taskDefinitionsWanted = ofKind(desired, 'TaskDefinition');
  const policiesWanted = ofKind(desired, 'ScalingPolicy');

  // 1. Clusters: the desired ones plus every cluster a desired service lives in.
  const clusterNames = [
    ...new Set([
      ...clustersWanted.map((c) => c.clusterName),
      ...servicesWanted.map((s) => s.cluster.clusterName),
    ]),
  ].sort();
  const withConfiguration = clustersWanted.some((c) => c.spec.configuration !== undefined);
  const providerNames = ofKind(desired, 'CapacityProvider')
    .map((p) => p.providerName)
    .sort();
  const [clusters, capacityProviders] = await Promise.all([
    describeClusters(clients, clusterNames, withConfiguration),
    providerNames.length > 0
      ? describeCapacityProviders(clients, providerNames)
      : new Map<string, LiveCapacityProvider>(),
  ]);

  // 2. Services, one batch list per existing cluster.
  const services = new Map<string, LiveService>();
  const byCluster = groupBy(
    servicesWanted.filter((s) => clusters.has(s.cluster.clusterName)),
    (s) => s.cluster.clusterName,
  );
  await mapLimit([...byCluster], READ_CONCURRENCY, async ([cluster, wanted]) => {
    const found = await describeServices(clients, cluster, [...new Set(wanted.map((s) => s.serviceName))]);
    for (const [name, service] of found) services.set(serviceKey(cluster, name), service);
  });

  // 3. The revisions desired services run now: from the cache (warm), trusted by the service's tag
  // (cold, in sync), or described (cold, out of sync or tag missing).
  const taskDefinitions = trustedRevisions(servicesWanted, taskDefinitionsWanted, services, cache, options);
  const runningArns = servicesWanted
    .map((s) => services.get(serviceKey(s.cluster.clusterName, s.serviceName))?.taskDefinition)
    .filter((arn): arn is string => typeof arn === 'string' && !taskDefinitions.has(arn));
  for (const [arn, td] of await describeRevisions(clients, runningArns, cache)) taskDefinitions.set(arn, td);

  // 4. Latest ACTIVE revision, only for families where the diff needs it.
  const families = new Set<string>();
  for (const td of taskDefinitionsWanted) {
    if (needsLatestRevision(td, servicesWanted, services, taskDefinitions)) families.add(td.family);
  }
  for (const service of servicesWanted) {
    if (service.taskDefinition.type !== 'external') continue;
    const parsed = parseTaskDefinitionRef(service.taskDefinition.value);
    if (parsed.revision === undefined) families.add(parsed.family);
  }
  const latestRevisions: Record<string, string> = {};
  for (const [family, { arn, td }] of await latestActiveRevisions(clients, [...families].sort(), cache)) {
    latestRevisions[family] = arn;
    taskDefinitions.set(arn, td);
  }

  // 5. Autoscaling of existing desired services (all of them when looking for orphaned policies).
  const serviceById = new Map(servicesWanted.map((s) => [s.name, s]));
  const targetIds = new Set<string>();
  for (const policy of policiesWanted) {
    const service = serviceById.get(policy.serviceName);
    if (!service || services.has(serviceKey(service.cluster.clusterName, service.serviceName)))
      targetIds.add(policy.resourceId);
  }
  if (options.discoverOrphans) {
    for (const service of servicesWanted) {
      if (services.has(serviceKey(service.cluster.clusterName, service.serviceName))) {
        targetIds.add(serviceResourceId(service.cluster.clusterName, service.serviceName));
      }
    }
  }
  const [scaling, deployments] = await Promise.all([
    readScaling(clients, [...targetIds].sort()),
    readServiceDeployments(
      clients,
      services.values(),
      options.serviceDeploymentCache ?? new ServiceDeploymentCache(),
    ),
  ]);
  const serviceDeployments: Record<string, LiveServiceDeployment> = {};
  for (const [key, service] of services) {
    const arn = currentDeploymentArn(service);
    const deployment = arn ? deployments.get(arn) : undefined;
    if (deployment) serviceDeployments[key] = deployment;
  }

  const state: Mutable<LiveState> = {
    capacityProviders: Object.fromEntries(capacityProviders),
    clusters: Object.fromEntries(clusters),
    services: Object.fromEntries(services),
    taskDefinitions: Object.fromEntries(taskDefinitions),
    latestRevisions,
    scalableTargets: Object.fromEntries(scaling.targets),
    scalingPolicies: Object.fromEntries(scaling.policies),
    scheduledActions: Object.fromEntries(scaling.actions),
    scalableTargetTags: {},
    orphans: [],
    serviceDeployments,
    readAt: (options.now?.() ?? new Date()).toISOString(),
  };
  if (options.discoverOrphans) await discoverOrphans(clients, desired, state, options.instance, cache);
  const schedulesWanted = ofKind(desired, 'ScheduledTask');
  if (schedulesWanted.length > 0 || options.discoverOrphans) {
    const read = await readSchedules(
      clients,
      scheduleGroupOf(options.instance),
      schedulesWanted.map((s) => s.scheduleName),
      options.discoverOrphans === true,
    );
    state.schedules = read.schedules;
    // Only schedules whose target carries this controller's record are its orphans.
    const owned = read.orphans.filter((orphan) => orphan.tags[OWNERSHIP_TAGS.managedBy] === options.instance);
    state.orphans = [
      ...state.orphans,
      ...owned.map((orphan) => ({
        kind: 'ScheduledTask' as const,
        name: orphan.name,
        ...(orphan.arn ? { arn: orphan.arn } : {}),
        tags: orphan.tags,
      })),
    ];
  }
  return state;
}

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/**
 * Revisions a restarted controller need not describe: the service runs exactly the revision its
 * `ecs-gitops/task-definition` tag names, with the fingerprint of Git's manifest (revisions are
 * immutable). A described revision in the cache always wins.
 */
function trustedRevisions(
  servicesWanted: readonly DesiredService[],
  taskDefinitionsWanted: readonly DesiredTaskDefinition[],
  services: ReadonlyMap<string, LiveService>,
  cache: TaskDefinitionCache,
  options: ReadLiveOptions,
): Map<string, LiveTaskDefinition> {
  const out = new Map<string, LiveTaskDefinition>();
  const byName = new Map(taskDefinitionsWanted.map((td) => [td.name, td]));
  for (const service of servicesWanted) {
    if (service.taskDefinition.type !== 'manifest') continue;
    const desired = byName.get(service.taskDefinition.name);
    const live = services.get(serviceKey(service.cluster.clusterName, service.serviceName));
    const arn = live?.taskDefinition;
    if (!desired || typeof arn !== 'string' || out.has(arn) || cache.has(arn)) continue;
    const tag = tagsToMap(live?.tags)[OWNERSHIP_TAGS.taskDefinition];
    if (!trustsTaskDefinition(tag, arn, desired)) continue;
    out.set(arn, {
      taskDefinition: {
        taskDefinitionArn: arn,
        family: desired.family,
        revision: parseTaskDefinitionRef(arn).revision,
        // Assumed: the service runs it. A deregistered revision shows on the next description.
        status: 'ACTIVE',
      },
      tags: [
        ...Object.entries(desiredTags(desired)).map(([key, value]) => ({ key, value })),
        { key: OWNERSHIP_TAGS.managedBy, value: options.instance },
      ],
      trusted: taskDefinitionTrust(desired),
    });
  }
  return out;
}

/** The diff needs a family's latest revision unless every service using it already runs the desired content. */
function needsLatestRevision(
  td: DesiredTaskDefinition,
  servicesWanted: readonly DesiredService[],
  services: ReadonlyMap<string, LiveService>,
  taskDefinitions: ReadonlyMap<string, LiveTaskDefinition>,
): boolean {
  const consumers = servicesWanted.filter(
    (s) => s.taskDefinition.type === 'manifest' && s.taskDefinition.name === td.name,
  );
  if (consumers.length === 0) return true;
  return consumers.some((service) => {
    const arn = services.get(serviceKey(service.cluster.clusterName, service.serviceName))?.taskDefinition;
    return typeof arn !== 'string' || !taskDefinitionMatches(td, taskDefinitions.get(arn));
  });
}

/**
 * Owned resources that no manifest mentions: owned clusters (ListClusters + DescribeClusters),
 * owned services in desired and owned clusters (ListServices + DescribeServices), the owned task
 * definition families those services run, and scalable targets of orphaned services or of desired
 * services without a ScalingPolicy manifest (owned by tag).
 */
async function discoverOrphans(
  clients: AwsClients,
  desired: DesiredState,
  state: Mutable<LiveState>,
  instance: string,
  cache: TaskDefinitionCache,
): Promise<void> {
  const orphans: OrphanRef[] = [];
  const desiredClusters = new Set(ofKind(desired, 'Cluster').map((c) => c.clusterName));
  const servicesWanted = ofKind(desired, 'Service');
  const families = new Set(ofKind(desired, 'TaskDefinition').map((td) => td.family));

  // Owned clusters anywhere in the account/region.
  const known = new Map(Object.entries(state.clusters));
  const others = (await listClusterArns(clients)).map(nameFromArn).filter((name) => !known.has(name));
  const described =
    others.length > 0 ? await describeClusters(clients, others, false) : new Map<string, LiveCluster>();
  const ownedClusters: string[] = [];
  for (const [name, cluster] of [...known, ...described]) {
    if (!isOwnedBy(cluster.tags, instance)) continue;
    ownedClusters.push(name);
    if (!desiredClusters.has(name)) {
      orphans.push({ kind: 'Cluster', name, arn: String(cluster.clusterArn ?? ''), live: cluster });
    }
  }

  // Owned services that left Git, in every cluster we look after.
  const wantedByCluster = groupBy(servicesWanted, (s) => s.cluster.clusterName);
  const clusters = [...new Set([...Object.keys(state.clusters), ...ownedClusters])].sort();
  const orphanServices: { cluster: string; service: LiveService }[] = [];
  await mapLimit(clusters, READ_CONCURRENCY, async (cluster) => {
    const wanted = new Set((wantedByCluster.get(cluster) ?? []).map((s) => s.serviceName));
    const names = (await listServiceArns(clients, cluster))
      .map(nameFromArn)
      .filter((name) => !wanted.has(name));
    if (names.length === 0) return;
    for (const [, service] of await describeServices(clients, cluster, names)) {
      if (isOwnedBy(service.tags, instance)) orphanServices.push({ cluster, service });
    }
  });
  orphanServices.sort((a, b) =>
    `${a.cluster}/${a.service.serviceName}`.localeCompare(`${b.cluster}/${b.service.serviceName}`),
  );
  for (const { cluster, service } of orphanServices) {
    orphans.push({
      kind: 'Service',
      name: String(service.serviceName),
      clusterName: cluster,
      arn: String(service.serviceArn ?? ''),
      live: service,
    });
  }

  // Task definition families run by orphaned services, when owned and not desired.
  const orphanArns = orphanServices
    .map((o) => o.service.taskDefinition)
    .filter((a): a is string => typeof a === 'string');
  const revisions = await describeRevisions(clients, orphanArns, cache);
  const seenFamilies = new Set<string>();
  for (const [arn, td] of revisions) {
    const family = String(td.taskDefinition.family ?? parseTaskDefinitionRef(arn).family);
    if (families.has(family) || seenFamilies.has(family) || !isOwnedBy(td.tags, instance)) continue;
    seenFamilies.add(family);
    orphans.push({ kind: 'TaskDefinition', name: family, arn, tags: tagsToMap(td.tags) });
  }

  // Scalable targets: of orphaned services (owned with them), and of desired services without a ScalingPolicy manifest (owned by tag).
  const policyTargets = new Set(
    ofKind(desired, 'ScalingPolicy').map((p: DesiredScalingPolicy) => p.resourceId),
  );
  const orphanTargetIds = orphanServices.map(({ cluster, service }) =>
    serviceResourceId(cluster, String(service.serviceName)),
  );
  const orphanTargets =
    orphanTargetIds.length > 0 ? await describeScalableTargets(clients, orphanTargetIds) : new Map();
  const tags: Record<string, Record<string, string>> = { ...state.scalableTargetTags };
  for (const [resourceId, target] of orphanTargets) {
    const [, cluster = '', name = ''] = resourceId.split('/');
    // A prune candidate: its own tags say whether it may go (ecs-gitops/prune=disabled).
    if (typeof target.ScalableTargetARN === 'string')
      tags[resourceId] = await scalableTargetTags(clients, target.ScalableTargetARN);
    orphans.push({
      kind: 'ScalingPolicy',
      name,
      clusterName: cluster,
      arn: String(target.ScalableTargetARN ?? ''),
      live: target,
      ...(tags[resourceId] ? { tags: tags[resourceId] } : {}),
    });
  }
  for (const [resourceId, target] of Object.entries(state.scalableTargets)) {
    if (policyTargets.has(resourceId) || typeof target.ScalableTargetARN !== 'string') continue;
    tags[resourceId] = await scalableTargetTags(clients, target.ScalableTargetARN);
    if (isOwnedBy(tags[resourceId], instance)) {
      const [, cluster = '', name = ''] = resourceId.split('/');
      orphans.push({
        kind: 'ScalingPolicy',
        name,
        clusterName: cluster,
        arn: target.ScalableTargetARN,
        live: target,
        tags: tags[resourceId],
      });
    }
  }
  state.scalableTargetTags = tags;
  state.orphans = orphans;
}
