// Reads a whole ECS estate for `import`: clusters (with settings, configuration and tags), every
// ACTIVE service in them (with tags), the task definition revision each runs (with tags) and its
// Application Auto Scaling target, policies and scheduled actions, and the schedules of the
// controller's EventBridge Scheduler group. Batched like readLive; what could not be found is
// returned as data, never thrown. The controller's own bookkeeping clusters (the lease anchor, the
// hook ledger) are no part of an estate.
import type { AwsClients } from '../aws/clients.js';
import { serviceResourceId } from '../aws-model/ids.js';
import { clusterNameOfArn } from '../aws-model/schedules.js';
import { HOOK_LEDGER_TAGS } from '../reconcile/hook-ledger.js';
import { readScaling } from './autoscaling-reads.js';
import { mapLimit } from './batch.js';
import {
  describeClusters,
  describeRevisions,
  describeServices,
  listClusterArns,
  listServiceArns,
  nameFromArn,
  READ_CONCURRENCY,
} from './ecs-reads.js';
import type {
  LiveCluster,
  LiveScalableTarget,
  LiveScalingPolicy,
  LiveSchedule,
  LiveScheduledAction,
  LiveService,
  LiveTaskDefinition,
} from './model.js';
import { readScheduleGroup } from './scheduler-reads.js';
import { TaskDefinitionCache } from './task-definition-cache.js';

/** A service's scalable target with what hangs off it (Application Auto Scaling, PascalCase). */
export interface LiveScaling {
  readonly target: LiveScalableTarget;
  readonly policies: readonly LiveScalingPolicy[];
  readonly scheduledActions: readonly LiveScheduledAction[];
}

export interface EstateService {
  /** DescribeServices' service, with tags. */
  readonly service: LiveService;
  /** The revision the service runs; absent when it could not be described (deleted family). */
  readonly taskDefinition?: LiveTaskDefinition;
  readonly scaling?: LiveScaling;
}

export interface EstateCluster {
  /** DescribeClusters' cluster with SETTINGS, CONFIGURATIONS and TAGS. */
  readonly cluster: LiveCluster;
  readonly services: readonly EstateService[];
}

export interface Estate {
  readonly clusters: readonly EstateCluster[];
  /** Cluster names asked for that do not exist (or are INACTIVE). */
  readonly missingClusters: readonly string[];
  /** Service names asked for (`--service`) that no read cluster has. */
  readonly missingServices: readonly string[];
  /** GetSchedule answers of the controller's schedule group whose target is a cluster read (when asked). */
  readonly schedules?: readonly LiveSchedule[];
}

export interface ReadEstateOptions {
  /** Cluster names or ARNs; ignored with `allClusters`. */
  readonly clusters: readonly string[];
  readonly allClusters?: boolean;
  /** Only these service names (in any of the clusters); all when empty. */
  readonly services?: readonly string[];
  /** The controller's EventBridge Scheduler group: its schedules are read too. */
  readonly scheduleGroup?: string;
}

/** Tags that mark a cluster as the controller's own bookkeeping (lease anchor, hook ledger). */
const BOOKKEEPING_TAGS = ['ecs-gitops/lease-for', HOOK_LEDGER_TAGS.for];

function isBookkeeping(cluster: LiveCluster): boolean {
  return (cluster.tags ?? []).some((tag) => BOOKKEEPING_TAGS.includes(String(tag.key)));
}

export async function readEstate(clients: AwsClients, options: ReadEstateOptions): Promise<Estate> {
  const wanted = options.allClusters
    ? (await listClusterArns(clients)).map(nameFromArn)
    : [...new Set(options.clusters.map(nameFromArn))];
  const found =
    wanted.length > 0 ? await describeClusters(clients, wanted, true) : new Map<string, LiveCluster>();
  // Named explicitly, a bookkeeping cluster is imported as asked; --all-clusters leaves it out.
  const names = [...found.keys()]
    .filter((name) => !options.allClusters || !isBookkeeping(found.get(name)!))
    .sort();
  const onlyServices = new Set(options.services ?? []);

  const perCluster = await mapLimit(names, READ_CONCURRENCY, async (clusterName) => {
    const arns = await listServiceArns(clients, clusterName);
    const serviceNames = arns.map(nameFromArn).filter((n) => onlyServices.size === 0 || onlyServices.has(n));
    const described =
      serviceNames.length > 0
        ? await describeServices(clients, clusterName, serviceNames)
        : new Map<string, LiveService>();
    return { clusterName, services: [...described.values()] };
  });

  const cache = new TaskDefinitionCache();
  const runningArns = perCluster.flatMap(({ services }) =>
    services.map((s) => s.taskDefinition).filter((arn): arn is string => typeof arn === 'string'),
  );
  const revisions = await describeRevisions(clients, runningArns, cache);

  const resourceIds = perCluster
    .flatMap(({ clusterName, services }) =>
      services.map((s) => serviceResourceId(clusterName, String(s.serviceName))),
    )
    .sort();
  const { targets, policies, actions } = await readScaling(clients, resourceIds);

  const clusters: EstateCluster[] = perCluster.map(({ clusterName, services }) => ({
    cluster: found.get(clusterName) as LiveCluster,
    services: services
      .sort((a, b) => String(a.serviceName).localeCompare(String(b.serviceName)))
      .map((service) => {
        const arn = typeof service.taskDefinition === 'string' ? service.taskDefinition : undefined;
        const resourceId = serviceResourceId(clusterName, String(service.serviceName));
        const target = targets.get(resourceId);
        const taskDefinition = arn ? revisions.get(arn) : undefined;
        return {
          service,
          ...(taskDefinition ? { taskDefinition } : {}),
          ...(target
            ? {
                scaling: {
                  target,
                  policies: policies.get(resourceId) ?? [],
                  scheduledActions: actions.get(resourceId) ?? [],
                },
              }
            : {}),
        };
      }),
  }));
  const seenServices = new Set(
    perCluster.flatMap(({ services }) => services.map((s) => String(s.serviceName))),
  );
  const read = new Set(names);
  const schedules = options.scheduleGroup
    ? (await readScheduleGroup(clients, options.scheduleGroup)).filter((schedule) =>
        read.has(clusterNameOfArn(String(schedule.Target?.Arn ?? ''))),
      )
    : undefined;
  return {
    clusters,
    missingClusters: options.allClusters ? [] : wanted.filter((name) => !found.has(name)),
    missingServices: [...onlyServices].filter((name) => !seenServices.has(name)).sort(),
    ...(schedules ? { schedules } : {}),
  };
}
