// Clusters: CreateCluster, DescribeClusters, ListClusters, UpdateCluster, UpdateClusterSettings,
// PutClusterCapacityProviders, DeleteCluster.
import type { OpContext } from '../context.js';
import type { ClusterRecord, Json, JsonObject } from '../state.js';
import { ApiError, invalidParameter } from '../wire/errors.js';
import { clone, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { effectiveSetting } from './account-settings.js';
import { clusterArn, nameFromArnOrName } from './arns.js';
import { findProvider, isFargateProvider } from './capacity-providers.js';
import { requireCluster } from './cluster-lookup.js';
import { registeredCount } from './container-instances.js';
import { parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
/** CreateCluster answers with the settings and tags it stored (DescribeClusters needs `include`). */
const ECHOED = ['SETTINGS', 'TAGS'] as const;

function parseSettings(input: Input, member: string): { name: string; value: string }[] | undefined {
  const settings = input.objects(member);
  if (settings === undefined) return undefined;
  return settings.map((setting) => {
    if (setting.name !== 'containerInsights') {
      throw invalidParameter(`Cluster setting name is invalid: ${String(setting.name)}.`);
    }
    const value = setting.value;
    if (value !== 'enabled' && value !== 'disabled' && value !== 'enhanced') {
      throw invalidParameter(
        'Cluster setting value for containerInsights must be enabled, enhanced or disabled.',
      );
    }
    return { name: setting.name, value };
  });
}

function parseProviders(
  ctx: OpContext,
  input: Input,
  clusterName: string,
): { providers?: string[]; strategy?: JsonObject[] } {
  const providers = input.strings('capacityProviders')?.map((p) => nameFromArnOrName(p, 'capacity-provider'));
  const strategy = input.objects('defaultCapacityProviderStrategy');
  for (const provider of providers ?? []) {
    if (isFargateProvider(provider)) continue;
    const record = findProvider(ctx, provider);
    if (!record || (record.cluster !== undefined && record.cluster !== clusterName)) {
      throw invalidParameter(`The specified capacity provider ${provider} does not exist.`);
    }
    // An Auto Scaling group provider serves one cluster.
    const elsewhere = Object.values(ctx.region.clusters).find(
      (other) =>
        other.status === 'ACTIVE' &&
        other.clusterName !== clusterName &&
        other.capacityProviders.includes(provider),
    );
    if (elsewhere) {
      throw invalidParameter(
        `The specified capacity provider ${provider} is already associated with cluster ${elsewhere.clusterName}.`,
      );
    }
  }
  for (const item of strategy ?? []) {
    const name = item.capacityProvider;
    if (typeof name !== 'string' || !(providers ?? []).includes(name)) {
      throw invalidParameter(
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
      );
    }
  }
  return {
    ...(providers ? { providers } : {}),
    ...(strategy ? { strategy: strategy.map((item) => normalizeStrategyItem(item)) } : {}),
  };
}

export function normalizeStrategyItem(item: JsonObject): JsonObject {
  return compact({
    capacityProvider: item.capacityProvider,
    weight: typeof item.weight === 'number' ? item.weight : 0,
    base: typeof item.base === 'number' ? item.base : 0,
  });
}

function counts(ctx: OpContext, cluster: ClusterRecord) {
  let running = 0;
  let pending = 0;
  for (const task of Object.values(ctx.region.tasks)) {
    if (task.clusterName !== cluster.clusterName) continue;
    if (task.lastStatus === 'RUNNING') running++;
    else if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') pending++;
  }
  const services = (ctx.region.services[cluster.clusterName] ?? []).filter((s) => s.status === 'ACTIVE');
  return { running, pending, activeServices: services.length };
}

export function clusterJson(ctx: OpContext, cluster: ClusterRecord, include: readonly string[]): JsonObject {
  const { running, pending, activeServices } = counts(ctx, cluster);
  const out: Record<string, Json | undefined> = {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    configuration: cluster.configuration,
    status: cluster.status,
    registeredContainerInstancesCount: registeredCount(ctx, cluster.clusterName),
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: activeServices,
    statistics: [],
    tags: include.includes('TAGS') ? tagsJson(tagsOf(ctx, cluster.clusterArn)) : [],
    settings: include.includes('SETTINGS') ? cluster.settings : undefined,
    capacityProviders: [...cluster.capacityProviders],
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
    serviceConnectDefaults: cluster.serviceConnectDefaults,
  };
  return compact(out);
}

export function createCluster(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = input.string('clusterName') ?? 'default';
  if (!NAME.test(name)) {
    throw invalidParameter(
      'Cluster name is invalid. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const tags = parseTags(input.raw('tags'));
  if (tags.length > 50) throw invalidParameter('The number of tags on a resource cannot exceed 50.');
  // Without settings, the account's containerInsights setting decides (disabled on a new account).
  const settings = parseSettings(input, 'settings') ?? [
    { name: 'containerInsights', value: effectiveSetting(ctx, 'containerInsights') },
  ];
  const { providers, strategy } = parseProviders(ctx, input, name);
  const existing = ctx.region.clusters[name];
  // CreateCluster on an existing ACTIVE cluster returns it unchanged (ECS treats it as idempotent).
  if (existing && existing.status === 'ACTIVE') return { cluster: clusterJson(ctx, existing, ECHOED) };
  const arn = clusterArn(ctx, name);
  const configuration = input.object('configuration');
  const cluster: ClusterRecord = {
    clusterArn: arn,
    clusterName: name,
    status: 'ACTIVE',
    settings,
    capacityProviders: providers ?? [],
    defaultCapacityProviderStrategy: strategy ?? [],
    ...(configuration ? { configuration: clone(configuration) } : {}),
    ...(input.object('serviceConnectDefaults')
      ? { serviceConnectDefaults: serviceConnectDefaults(ctx, input.object('serviceConnectDefaults')!) }
      : {}),
  };
  ctx.region.clusters[name] = cluster;
  setTags(ctx, arn, tags);
  return { cluster: clusterJson(ctx, cluster, ECHOED) };
}

function serviceConnectDefaults(ctx: OpContext, value: JsonObject): JsonObject {
  const namespace = String(value.namespace ?? '');
  return {
    namespace: namespace.startsWith('arn:')
      ? namespace
      : `arn:aws:servicediscovery:${ctx.regionName}:${ctx.accountId}:namespace/ns-${namespace}`,
  };
}

export function describeClusters(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const names = input.strings('clusters') ?? ['default'];
  if (names.length > 100) throw invalidParameter('clusters can have at most 100 items.');
  const include = input.strings('include') ?? [];
  const clusters: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of names) {
    const name = nameFromArnOrName(ref, 'cluster');
    const cluster = ctx.region.clusters[name];
    if (cluster) clusters.push(clusterJson(ctx, cluster, include));
    else failures.push({ arn: clusterArn(ctx, name), reason: 'MISSING' });
  }
  return { clusters, failures };
}

export function listClusters(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  // INACTIVE clusters stay listed until ECS forgets them (callers filter by DescribeClusters status).
  const arns = Object.values(ctx.region.clusters)
    .map((cluster) => cluster.clusterArn)
    .sort();
  const page = paginate(arns, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ clusterArns: page.items, nextToken: page.nextToken });
}

export function updateCluster(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const settings = parseSettings(input, 'settings');
  if (settings) cluster.settings = mergeSettings(cluster.settings, settings);
  const configuration = input.object('configuration');
  if (configuration) cluster.configuration = clone(configuration);
  const connect = input.object('serviceConnectDefaults');
  if (connect) cluster.serviceConnectDefaults = serviceConnectDefaults(ctx, connect);
  return { cluster: clusterJson(ctx, cluster, ['SETTINGS']) };
}

function mergeSettings(current: { name: string; value: string }[], next: { name: string; value: string }[]) {
  const byName = new Map(current.map((s) => [s.name, s.value]));
  for (const setting of next) byName.set(setting.name, setting.value);
  return [...byName].map(([name, value]) => ({ name, value }));
}

export function updateClusterSettings(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const settings = parseSettings(input, 'settings');
  if (!settings || settings.length === 0) throw invalidParameter('settings can not be empty.');
  cluster.settings = mergeSettings(cluster.settings, settings);
  return { cluster: clusterJson(ctx, cluster, ['SETTINGS']) };
}

export function putClusterCapacityProviders(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  if (!input.has('capacityProviders') || !input.has('defaultCapacityProviderStrategy')) {
    throw invalidParameter('capacityProviders and defaultCapacityProviderStrategy are required.');
  }
  const { providers, strategy } = parseProviders(ctx, input, cluster.clusterName);
  for (const removed of cluster.capacityProviders.filter((name) => !(providers ?? []).includes(name))) {
    const inUse = (ctx.region.services[cluster.clusterName] ?? []).some(
      (service) =>
        service.status !== 'INACTIVE' &&
        ((service.service.capacityProviderStrategy as JsonObject[] | undefined) ?? []).some(
          (item) => item.capacityProvider === removed,
        ),
    );
    if (inUse) {
      throw new ApiError(
        'ResourceInUseException',
        'The specified capacity provider is in use and cannot be removed.',
      );
    }
  }
  cluster.capacityProviders = providers ?? [];
  cluster.defaultCapacityProviderStrategy = strategy ?? [];
  return { cluster: clusterJson(ctx, cluster, []) };
}

export function deleteCluster(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const services = (ctx.region.services[cluster.clusterName] ?? []).filter((s) => s.status !== 'INACTIVE');
  if (services.length > 0) {
    throw new ApiError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    );
  }
  if (registeredCount(ctx, cluster.clusterName) > 0) {
    throw new ApiError(
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
    );
  }
  const tasks = Object.values(ctx.region.tasks).filter(
    (task) => task.clusterName === cluster.clusterName && task.lastStatus !== 'STOPPED',
  );
  if (tasks.length > 0) {
    throw new ApiError(
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
  }
  cluster.status = 'INACTIVE';
  cluster.deletedAtMs = ctx.nowMs;
  const out = clusterJson(ctx, cluster, []);
  setTags(ctx, cluster.clusterArn, []);
  return { cluster: out };
}
