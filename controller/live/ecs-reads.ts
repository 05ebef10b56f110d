// Batched ECS reads: DescribeClusters (≤ 100), DescribeServices (≤ 10 per cluster), ListServices,
// ListClusters and DescribeTaskDefinition through the immutable-revision cache.
import {
  type CapacityProvider,
  type Cluster,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { type AwsClients, toAwsError } from '../aws/clients.js';
import { parseTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import { chunk, mapLimit, plain } from './batch.js';
import type { LiveCapacityProvider, LiveCluster, LiveService, LiveTaskDefinition } from './model.js';
import type { TaskDefinitionCache } from './task-definition-cache.js';

/** Parallel requests per read phase: well inside ECS's describe token buckets (20/s sustained). */
export const READ_CONCURRENCY = 5;

export async function callAws<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAwsError(operation, error);
  }
}

/** ACTIVE capacity providers by name, with tags (≤ 100 names per call); INACTIVE ones count as missing. */
export async function describeCapacityProviders(
  clients: AwsClients,
  names: readonly string[],
): Promise<Map<string, LiveCapacityProvider>> {
  const out = new Map<string, LiveCapacityProvider>();
  const batches = await mapLimit(chunk(names, 100), READ_CONCURRENCY, (batch) =>
    callAws('DescribeCapacityProviders', () =>
      clients.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: batch, include: ['TAGS'] })),
    ),
  );
  for (const response of batches) {
    for (const provider of (response.capacityProviders ?? []) as CapacityProvider[]) {
      if (!provider.name || provider.status !== 'ACTIVE') continue;
      out.set(provider.name, plain(provider));
    }
  }
  return out;
}

/** ACTIVE (and PROVISIONING) clusters by name; INACTIVE ones count as missing. */
export async function describeClusters(
  clients: AwsClients,
  names: readonly string[],
  withConfiguration: boolean,
): Promise<Map<string, LiveCluster>> {
  const include = ['SETTINGS', 'TAGS', ...(withConfiguration ? ['CONFIGURATIONS'] : [])] as (
    | 'SETTINGS'
    | 'TAGS'
    | 'CONFIGURATIONS'
  )[];
  const out = new Map<string, LiveCluster>();
  const batches = await mapLimit(chunk(names, 100), READ_CONCURRENCY, (batch) =>
    callAws('DescribeClusters', () =>
      clients.ecs.send(new DescribeClustersCommand({ clusters: batch, include })),
    ),
  );
  for (const response of batches) {
    for (const cluster of (response.clusters ?? []) as Cluster[]) {
      if (!cluster.clusterName || cluster.status === 'INACTIVE') continue;
      out.set(cluster.clusterName, plain(cluster));
    }
  }
  return out;
}

/** Newest service events kept per service: health looks for a failed deployment's message there. */
export const SERVICE_EVENTS_KEPT = 20;

/** ACTIVE services of one cluster by name (DRAINING/INACTIVE and failures = missing). */
export async function describeServices(
  clients: AwsClients,
  cluster: string,
  names: readonly string[],
): Promise<Map<string, LiveService>> {
  const out = new Map<string, LiveService>();
  const batches = await mapLimit(chunk(names, 10), READ_CONCURRENCY, (batch) =>
    callAws('DescribeServices', () =>
      clients.ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] })),
    ),
  );
  for (const response of batches) {
    for (const service of (response.services ?? []) as Service[]) {
      if (!service.serviceName || service.status !== 'ACTIVE') continue;
      // ECS returns up to 100 events per service; a resync of 1,000 services would hold 100,000.
      const events = service.events?.slice(0, SERVICE_EVENTS_KEPT);
      out.set(service.serviceName, plain<Service>({ ...service, ...(events ? { events } : {}) }));
    }
  }
  return out;
}

export async function listServiceArns(clients: AwsClients, cluster: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const response = await callAws('ListServices', () =>
      clients.ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken })),
    );
    arns.push(...(response.serviceArns ?? []));
    nextToken = response.nextToken;
  } while (nextToken);
  return arns;
}

export async function listClusterArns(clients: AwsClients): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const response = await callAws('ListClusters', () =>
      clients.ecs.send(new ListClustersCommand({ maxResults: 100, nextToken })),
    );
    arns.push(...(response.clusterArns ?? []));
    nextToken = response.nextToken;
  } while (nextToken);
  return arns;
}

/** `arn:…:service/cluster/name` (or the old `service/name` form) → name. */
export function nameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function isMissingTaskDefinition(error: unknown): boolean {
  const aws = toAwsError('DescribeTaskDefinition', error);
  return (
    aws.awsCode === 'ClientException' &&
    /unable to describe|does not exist|not found|invalid revision/i.test(aws.message)
  );
}

async function describeTaskDefinition(
  clients: AwsClients,
  reference: string,
): Promise<LiveTaskDefinition | undefined> {
  try {
    const response = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }),
    );
    if (!response.taskDefinition) return undefined;
    return {
      taskDefinition: plain(response.taskDefinition),
      tags: (response.tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
    };
  } catch (error) {
    if (isMissingTaskDefinition(error)) return undefined;
    throw toAwsError('DescribeTaskDefinition', error);
  }
}

/** Describes revisions by ARN, answering from the cache first (revisions are immutable). */
export async function describeRevisions(
  clients: AwsClients,
  arns: readonly string[],
  cache: TaskDefinitionCache,
): Promise<Map<string, LiveTaskDefinition>> {
  const out = new Map<string, LiveTaskDefinition>();
  const missing: string[] = [];
  for (const arn of new Set(arns)) {
    const cached = cache.get(arn);
    if (cached) out.set(arn, cached);
    else missing.push(arn);
  }
  const described = await mapLimit(missing, READ_CONCURRENCY, (arn) => describeTaskDefinition(clients, arn));
  missing.forEach((arn, index) => {
    const td = described[index];
    if (!td) return;
    cache.set(arn, td);
    out.set(arn, td);
  });
  return out;
}

/**
 * The latest ACTIVE revision of each family: DescribeTaskDefinition by family name answers exactly
 * that in one call (and the answer fills the cache by ARN). Never cached by family: a newer revision
 * can appear at any time.
 */
export async function describeLatestRevisions(
  clients: AwsClients,
  families: readonly string[],
  cache: TaskDefinitionCache,
): Promise<Map<string, { arn: string; td: LiveTaskDefinition }>> {
  const out = new Map<string, { arn: string; td: LiveTaskDefinition }>();
  const described = await mapLimit(families, READ_CONCURRENCY, (family) =>
    describeTaskDefinition(clients, family),
  );
  families.forEach((family, index) => {
    const td = described[index];
    const arn = td?.taskDefinition.taskDefinitionArn;
    if (!td || typeof arn !== 'string' || td.taskDefinition.status !== 'ACTIVE') return;
    cache.set(arn, td);
    out.set(family, { arn, td });
  });
  return out;
}

/** Families looked up at once beyond which one account-wide listing is cheaper than a describe each. */
export const LATEST_BY_LISTING = 10;

/**
 * Every ACTIVE revision ARN of the account (ListTaskDefinitions, 100 per page), or undefined once it
 * would take more than `maxPages` calls (an account with many revisions: describing is cheaper).
 */
async function listActiveRevisionArns(clients: AwsClients, maxPages: number): Promise<string[] | undefined> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (pages >= maxPages) return undefined;
    const response = await callAws('ListTaskDefinitions', () =>
      clients.ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE', maxResults: 100, nextToken })),
    );
    pages += 1;
    arns.push(...(response.taskDefinitionArns ?? []));
    nextToken = response.nextToken;
  } while (nextToken);
  return arns;
}

/**
 * The latest ACTIVE revision of many families: one listing tells which families exist (none, on an
 * empty account) and their newest ARN, which the cache usually holds already (the revision the
 * service runs). Only revisions neither cached nor seen are described. Falls back to a describe per
 * family when the account holds too many revisions to list cheaply.
 */
export async function latestActiveRevisions(
  clients: AwsClients,
  families: readonly string[],
  cache: TaskDefinitionCache,
): Promise<Map<string, { arn: string; td: LiveTaskDefinition }>> {
  if (families.length <= LATEST_BY_LISTING) return describeLatestRevisions(clients, families, cache);
  const listed = await listActiveRevisionArns(clients, Math.ceil(families.length / 4));
  if (!listed) return describeLatestRevisions(clients, families, cache);
  const wanted = new Set(families);
  const newest = new Map<string, { arn: string; revision: number }>();
  for (const arn of listed) {
    const { family, revision = 0 } = parseTaskDefinitionRef(arn);
    if (!wanted.has(family)) continue;
    const seen = newest.get(family);
    if (!seen || revision > seen.revision) newest.set(family, { arn, revision });
  }
  const described = await describeRevisions(
    clients,
    [...newest.values()].map((n) => n.arn),
    cache,
  );
  const out = new Map<string, { arn: string; td: LiveTaskDefinition }>();
  for (const family of families) {
    const arn = newest.get(family)?.arn;
    const td = arn ? described.get(arn) : undefined;
    if (arn && td && td.taskDefinition.status === 'ACTIVE') out.set(family, { arn, td });
  }
  return out;
}
