// Cross-document rules and reference resolution: Service → Cluster / TaskDefinition, ScalingPolicy →
// Service. Rule for what is "external" (outside the repository):
//   - a task definition given as `family:revision` or as a task definition ARN;
//   - a cluster given as a cluster ARN, or as a bare name when the Service is annotated
//     `ecs-gitops/external-cluster: "true"`.
// Any other bare name must be the metadata.name of a manifest of that kind in the same revision.
import { EXTERNAL_CLUSTER_ANNOTATION } from './annotations.js';
import type { Loaded, ProblemSink } from './loaded.js';
import type { ClusterRef, TaskDefinitionRef } from './model.js';
import { didYouMean } from './suggest.js';

export const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/([A-Za-z0-9_-]{1,255})$/;
export const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/([A-Za-z0-9_-]{1,255}):(\d+)$/;
export const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):(\d+)$/;

export interface Manifests {
  readonly capacityProviders: ReadonlyMap<string, Loaded<'CapacityProvider'>>;
  readonly clusters: ReadonlyMap<string, Loaded<'Cluster'>>;
  readonly taskDefinitions: ReadonlyMap<string, Loaded<'TaskDefinition'>>;
  readonly services: ReadonlyMap<string, Loaded<'Service'>>;
  readonly scalingPolicies: ReadonlyMap<string, Loaded<'ScalingPolicy'>>;
  readonly tasks: ReadonlyMap<string, Loaded<'Task'>>;
  readonly scheduledTasks: ReadonlyMap<string, Loaded<'ScheduledTask'>>;
  /** `Kind/name` of documents that failed their schema (already reported; references to them are not). */
  readonly invalid: ReadonlySet<string>;
}

export interface Resolved {
  readonly clusterRefs: ReadonlyMap<string, ClusterRef>;
  readonly taskDefinitionRefs: ReadonlyMap<string, TaskDefinitionRef>;
  /** Task name → what it runs, where. */
  readonly taskRefs: ReadonlyMap<
    string,
    { readonly cluster: ClusterRef; readonly taskDefinition: TaskDefinitionRef }
  >;
  /** ScheduledTask name → what its target runs, where. */
  readonly scheduledTaskRefs: ReadonlyMap<
    string,
    { readonly cluster: ClusterRef; readonly taskDefinition: TaskDefinitionRef }
  >;
  /** ScalingPolicy name → the Service it scales. */
  readonly policyTargets: ReadonlyMap<string, Loaded<'Service'>>;
  /** Service names that a ScalingPolicy targets. */
  readonly autoscaled: ReadonlySet<string>;
  /** Managed Instances CapacityProvider name → the cluster it belongs to (a Cluster manifest, or as written). */
  readonly providerClusters: ReadonlyMap<
    string,
    { readonly clusterName: string; readonly manifest?: string }
  >;
}

export const clusterNameOf = (cluster: Loaded<'Cluster'>): string => cluster.spec.clusterName ?? cluster.name;
export const providerNameOf = (provider: Loaded<'CapacityProvider'>): string =>
  provider.spec.name ?? provider.name;
export const familyOf = (td: Loaded<'TaskDefinition'>): string => td.spec.family ?? td.name;
export const serviceNameOf = (service: Loaded<'Service'>): string => service.spec.serviceName ?? service.name;

/** Where a reference is written: a Service's or Task's spec.X, a ScheduledTask's spec.target.X. */
function referenceAt(
  item: Loaded<'Service'> | Loaded<'Task'> | Loaded<'ScheduledTask'>,
  field: 'cluster' | 'taskDefinition',
): { value: string; pointer: string } {
  if (item.kind === 'ScheduledTask')
    return { value: item.spec.target[field], pointer: `/spec/target/${field}` };
  return { value: item.spec[field], pointer: `/spec/${field}` };
}

function resolveCluster(
  service: Loaded<'Service'> | Loaded<'Task'> | Loaded<'ScheduledTask'>,
  manifests: Manifests,
  sink: ProblemSink,
): ClusterRef | undefined {
  const { value, pointer } = referenceAt(service, 'cluster');
  const annotated = service.metadata.annotations?.[EXTERNAL_CLUSTER_ANNOTATION] === 'true';
  const arn = CLUSTER_ARN.exec(value);
  if (arn?.[1]) return { type: 'external', value, clusterName: arn[1] };
  if (value.startsWith('arn:')) {
    sink.add(service, pointer, `"${value}" is not a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)`);
    return undefined;
  }
  const manifest = manifests.clusters.get(value);
  if (manifest && annotated) {
    sink.add(
      service,
      pointer,
      `Cluster/${value} is defined in this repository, but the ${service.kind} is annotated ${EXTERNAL_CLUSTER_ANNOTATION}: "true"; remove one`,
    );
    return undefined;
  }
  if (manifest) return { type: 'manifest', name: value, clusterName: clusterNameOf(manifest) };
  if (manifests.invalid.has(`Cluster/${value}`)) return undefined;
  if (annotated) {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
      sink.add(service, pointer, `"${value}" is not a valid cluster name`);
      return undefined;
    }
    return { type: 'external', value, clusterName: value };
  }
  sink.add(
    service,
    pointer,
    `Cluster "${value}" is not defined in this repository${didYouMean(value, manifests.clusters.keys())}; to use an existing cluster, give its ARN or annotate the ${service.kind} with ${EXTERNAL_CLUSTER_ANNOTATION}: "true"`,
  );
  return undefined;
}

function resolveTaskDefinition(
  service: Loaded<'Service'> | Loaded<'Task'> | Loaded<'ScheduledTask'>,
  manifests: Manifests,
  sink: ProblemSink,
): TaskDefinitionRef | undefined {
  const { value, pointer } = referenceAt(service, 'taskDefinition');
  const pinned = TASK_DEFINITION_ARN.exec(value) ?? FAMILY_REVISION.exec(value);
  if (pinned) {
    const family = pinned[1];
    const managed = [...manifests.taskDefinitions.values()].find((td) => familyOf(td) === family);
    if (managed) {
      sink.warn(
        service,
        pointer,
        `pins a revision of family "${family}", which ${managed.label} manages; changes to that manifest will not deploy to this service (name the manifest instead: taskDefinition: ${managed.name})`,
      );
    }
    return { type: 'external', value };
  }
  if (value.startsWith('arn:')) {
    sink.add(
      service,
      pointer,
      `"${value}" is not a task definition ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION)`,
    );
    return undefined;
  }
  const manifest = manifests.taskDefinitions.get(value);
  if (manifest) return { type: 'manifest', name: value, family: familyOf(manifest) };
  if (manifests.invalid.has(`TaskDefinition/${value}`)) return undefined;
  sink.add(
    service,
    pointer,
    `TaskDefinition "${value}" is not defined in this repository${didYouMean(value, manifests.taskDefinitions.keys())}; an external task definition must be given as family:revision or as its ARN`,
  );
  return undefined;
}

/** Rules that need the Service and what it references together. */
function checkServiceAgainst(
  service: Loaded<'Service'>,
  td: Loaded<'TaskDefinition'> | undefined,
  cluster: Loaded<'Cluster'> | undefined,
  sink: ProblemSink,
): void {
  const spec = service.spec;
  const strategy =
    spec.capacityProviderStrategy ??
    (spec.launchType ? undefined : cluster?.spec.defaultCapacityProviderStrategy);
  const onFargate =
    spec.launchType === 'FARGATE' ||
    (strategy ?? []).some((item) => item.capacityProvider.startsWith('FARGATE'));
  if (cluster && spec.capacityProviderStrategy) {
    const providers = new Set(cluster.spec.capacityProviders ?? []);
    spec.capacityProviderStrategy.forEach((item, i) => {
      if (!providers.has(item.capacityProvider)) {
        sink.add(
          service,
          `/spec/capacityProviderStrategy/${i}/capacityProvider`,
          `capacity provider "${item.capacityProvider}" is not associated with ${cluster.label} (add it to its spec.capacityProviders)`,
        );
      }
    });
  }
  if (!td) return;
  const compatibilities = td.spec.requiresCompatibilities ?? [];
  if (onFargate && !compatibilities.includes('FARGATE')) {
    sink.add(
      service,
      spec.launchType ? '/spec/launchType' : '/spec/capacityProviderStrategy',
      `runs on Fargate, but ${td.label} does not list FARGATE in requiresCompatibilities`,
    );
  }
  if (
    cluster &&
    !spec.launchType &&
    !strategy?.length &&
    compatibilities.length > 0 &&
    !compatibilities.includes('EC2')
  ) {
    sink.add(
      service,
      '/spec',
      `has no launchType or capacityProviderStrategy and ${cluster.label} has no defaultCapacityProviderStrategy, so ECS would use EC2, which ${td.label} does not support (set launchType: ${compatibilities[0]})`,
    );
  }
  const awsvpc =
    td.spec.networkMode === 'awsvpc' ||
    (td.spec.networkMode === undefined && compatibilities.includes('FARGATE'));
  if (awsvpc && !spec.networkConfiguration?.awsvpcConfiguration) {
    sink.add(
      service,
      '/spec',
      `${td.label} uses networkMode awsvpc, so the Service needs networkConfiguration.awsvpcConfiguration (subnets and security groups)`,
    );
  }
  if (!awsvpc && spec.networkConfiguration?.awsvpcConfiguration) {
    sink.add(
      service,
      '/spec/networkConfiguration',
      `networkConfiguration is only valid with networkMode awsvpc; ${td.label} uses "${td.spec.networkMode ?? 'bridge'}"`,
    );
  }
  spec.loadBalancers?.forEach((lb, i) => {
    if (lb.containerName === undefined) return;
    const container = td.spec.containerDefinitions.find((candidate) => candidate.name === lb.containerName);
    if (!container) {
      sink.add(
        service,
        `/spec/loadBalancers/${i}/containerName`,
        `${td.label} has no container named "${lb.containerName}"${didYouMean(
          lb.containerName,
          td.spec.containerDefinitions.map((c) => c.name),
        )}`,
      );
      return;
    }
    if (
      lb.containerPort !== undefined &&
      !(container.portMappings ?? []).some((mapping) => mapping.containerPort === lb.containerPort)
    ) {
      sink.add(
        service,
        `/spec/loadBalancers/${i}/containerPort`,
        `container "${lb.containerName}" in ${td.label} has no port mapping for containerPort ${lb.containerPort}`,
      );
    }
  });
}

/** A Task's RunTask input against its task definition (what RunTask would refuse). */
function checkTaskAgainst(task: Loaded<'Task'>, td: Loaded<'TaskDefinition'>, sink: ProblemSink): void {
  const compatibilities = td.spec.requiresCompatibilities ?? [];
  const onFargate =
    task.spec.launchType === 'FARGATE' ||
    (task.spec.capacityProviderStrategy ?? []).some((item) => item.capacityProvider.startsWith('FARGATE'));
  if (onFargate && !compatibilities.includes('FARGATE')) {
    sink.add(
      task,
      '/spec',
      `runs on Fargate, but ${td.label} does not list FARGATE in requiresCompatibilities`,
    );
  }
  const awsvpc =
    td.spec.networkMode === 'awsvpc' ||
    (td.spec.networkMode === undefined && compatibilities.includes('FARGATE'));
  if (awsvpc && !task.spec.networkConfiguration?.awsvpcConfiguration) {
    sink.add(
      task,
      '/spec',
      `${td.label} uses networkMode awsvpc, so the Task needs networkConfiguration.awsvpcConfiguration (subnets and security groups)`,
    );
  }
  task.spec.overrides?.containerOverrides?.forEach((override, i) => {
    if (override.name === undefined) return;
    if (!td.spec.containerDefinitions.some((container) => container.name === override.name)) {
      sink.add(
        task,
        `/spec/overrides/containerOverrides/${i}/name`,
        `${td.label} has no container named "${override.name}"${didYouMean(
          override.name,
          td.spec.containerDefinitions.map((c) => c.name),
        )}`,
      );
    }
  });
}

/** `ecs-gitops/hook-for` names Service manifests of this revision. */
function checkHookTargets(task: Loaded<'Task'>, manifests: Manifests, sink: ProblemSink): void {
  const value = task.metadata.annotations?.['ecs-gitops/hook-for'];
  if (value === undefined) return;
  const pointer = '/metadata/annotations/ecs-gitops~1hook-for';
  for (const part of value.split(',').map((item) => item.trim())) {
    const match = /^Service\/(.+)$/.exec(part);
    if (!match) {
      sink.add(
        task,
        pointer,
        `"${part}" is not Service/NAME; a hook guards Services (comma-separated for several)`,
      );
      continue;
    }
    const name = match[1]!;
    if (!manifests.services.has(name) && !manifests.invalid.has(`Service/${name}`)) {
      sink.add(
        task,
        pointer,
        `Service "${name}" is not defined in this repository${didYouMean(name, manifests.services.keys())}; a hook guards Service manifests`,
      );
    }
  }
}

export function resolveReferences(manifests: Manifests, sink: ProblemSink): Resolved {
  const clusterRefs = new Map<string, ClusterRef>();
  const taskDefinitionRefs = new Map<string, TaskDefinitionRef>();
  const serviceIdentities = new Map<string, Loaded<'Service'>>();
  for (const service of manifests.services.values()) {
    const cluster = resolveCluster(service, manifests, sink);
    const taskDefinition = resolveTaskDefinition(service, manifests, sink);
    if (cluster) clusterRefs.set(service.name, cluster);
    if (taskDefinition) taskDefinitionRefs.set(service.name, taskDefinition);
    checkServiceAgainst(
      service,
      taskDefinition?.type === 'manifest' ? manifests.taskDefinitions.get(taskDefinition.name) : undefined,
      cluster?.type === 'manifest' ? manifests.clusters.get(cluster.name) : undefined,
      sink,
    );
    if (cluster) {
      const identity = `${cluster.clusterName}/${serviceNameOf(service)}`;
      const other = serviceIdentities.get(identity);
      if (other) {
        sink.add(
          service,
          service.spec.serviceName ? '/spec/serviceName' : '/metadata/name',
          `${other.label} already defines service "${serviceNameOf(service)}" in cluster "${cluster.clusterName}"`,
        );
      } else {
        serviceIdentities.set(identity, service);
      }
    }
  }

  const policyTargets = new Map<string, Loaded<'Service'>>();
  const byService = new Map<string, Loaded<'ScalingPolicy'>>();
  for (const policy of manifests.scalingPolicies.values()) {
    const target = manifests.services.get(policy.spec.service);
    if (!target) {
      if (manifests.invalid.has(`Service/${policy.spec.service}`)) continue;
      sink.add(
        policy,
        '/spec/service',
        `Service "${policy.spec.service}" is not defined in this repository${didYouMean(policy.spec.service, manifests.services.keys())}; a ScalingPolicy can only scale a Service manifest`,
      );
      continue;
    }
    const first = byService.get(target.name);
    if (first) {
      sink.add(
        policy,
        '/spec/service',
        `${target.label} is already scaled by ${first.label}; a Service has at most one ScalingPolicy (put all policies in one)`,
      );
      continue;
    }
    byService.set(target.name, policy);
    policyTargets.set(policy.name, target);
    if (target.spec.schedulingStrategy === 'DAEMON') {
      sink.add(
        policy,
        '/spec/service',
        `${target.label} uses the DAEMON scheduling strategy, which cannot be autoscaled`,
      );
    }
    const desired = target.spec.desiredCount;
    if (desired !== undefined && (desired < policy.spec.minCapacity || desired > policy.spec.maxCapacity)) {
      sink.warn(
        target,
        '/spec/desiredCount',
        `${desired} is outside ${policy.label}'s range ${policy.spec.minCapacity}–${policy.spec.maxCapacity}; it is only used when the service is created and autoscaling then moves it into the range`,
      );
    }
  }

  // One AWS identity per manifest: two manifests must not fight over the same cluster or family.
  const identities = <K extends 'CapacityProvider' | 'Cluster' | 'TaskDefinition'>(
    items: Iterable<Loaded<K>>,
    nameOf: (item: Loaded<K>) => string,
    field: string,
    what: string,
  ) => {
    const seen = new Map<string, Loaded<K>>();
    for (const item of items) {
      const id = nameOf(item);
      const other = seen.get(id);
      const explicit = (item.spec as Record<string, unknown>)[field] !== undefined;
      if (other)
        sink.add(
          item,
          explicit ? `/spec/${field}` : '/metadata/name',
          `${other.label} already manages ${what} "${id}"`,
        );
      else seen.set(id, item);
    }
  };
  identities(manifests.clusters.values(), clusterNameOf, 'clusterName', 'cluster');
  identities(manifests.taskDefinitions.values(), familyOf, 'family', 'task definition family');

  identities(manifests.capacityProviders.values(), providerNameOf, 'name', 'capacity provider');

  // A Managed Instances provider belongs to one cluster: created after it, so that cluster cannot list it.
  const providerClusters = new Map<string, { clusterName: string; manifest?: string }>();
  for (const provider of manifests.capacityProviders.values()) {
    const value = provider.spec.cluster;
    if (value === undefined) continue;
    const manifest = manifests.clusters.get(value);
    const arn = CLUSTER_ARN.exec(value);
    const clusterName = manifest ? clusterNameOf(manifest) : (arn?.[1] ?? value);
    providerClusters.set(provider.name, { clusterName, ...(manifest ? { manifest: value } : {}) });
    if (manifest && (manifest.spec.capacityProviders ?? []).includes(provider.name)) {
      sink.add(
        manifest,
        '/spec/capacityProviders',
        `${provider.label} is a Managed Instances provider created in this cluster after it; a cluster manifest cannot list it yet (use it in a Service's capacityProviderStrategy)`,
      );
    }
  }

  const taskRefs = new Map<string, { cluster: ClusterRef; taskDefinition: TaskDefinitionRef }>();
  for (const task of manifests.tasks.values()) {
    const cluster = resolveCluster(task, manifests, sink);
    const taskDefinition = resolveTaskDefinition(task, manifests, sink);
    if (cluster && taskDefinition) taskRefs.set(task.name, { cluster, taskDefinition });
    const td =
      taskDefinition?.type === 'manifest' ? manifests.taskDefinitions.get(taskDefinition.name) : undefined;
    if (td) checkTaskAgainst(task, td, sink);
    checkHookTargets(task, manifests, sink);
  }

  const scheduledTaskRefs = new Map<string, { cluster: ClusterRef; taskDefinition: TaskDefinitionRef }>();
  for (const scheduled of manifests.scheduledTasks.values()) {
    const cluster = resolveCluster(scheduled, manifests, sink);
    const taskDefinition = resolveTaskDefinition(scheduled, manifests, sink);
    if (cluster && taskDefinition) scheduledTaskRefs.set(scheduled.name, { cluster, taskDefinition });
  }

  return {
    clusterRefs,
    taskDefinitionRefs,
    taskRefs,
    scheduledTaskRefs,
    policyTargets,
    autoscaled: new Set(byService.keys()),
    providerClusters,
  };
}
