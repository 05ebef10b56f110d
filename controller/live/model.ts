// What live/ reads from AWS, as plain data in the exact JSON shapes the APIs return
// (camelCase for ECS, PascalCase for Application Auto Scaling). The shapes are the SDK's own types
// (type-only imports: nothing of the SDK runs in the pure core) in their JSON form, see `Wire`.
import type {
  ScalableTarget,
  ScalingPolicy,
  ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import type {
  CapacityProvider,
  Cluster,
  Deployment,
  ServiceDeployment as SdkServiceDeployment,
  Service,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { GetScheduleOutput } from '@aws-sdk/client-scheduler';
import { normalizeTimestamp } from '../aws-model/time.js';
import type { ResourceDiff } from '../diff/model.js';

/**
 * An SDK shape as live/ keeps it: read-only, after a JSON round trip (live/batch.ts `plain`), so
 * every `Date` of the SDK's types is the ISO-8601 string it serializes to, and every member
 * optional: the SDK does not check responses, and an API (or the emulator) may leave out what its
 * model calls required. Fixtures (test/fixtures/…/live.json) are written in this form.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? readonly Wire<U>[]
    : T extends object
      ? { readonly [K in keyof T]?: Wire<T[K]> }
      : T;

/** DescribeServices' `service` (events trimmed to the newest, see live/ecs-reads.ts). */
export type LiveService = Wire<Service>;
/** One of a service's `deployments`. */
export type LiveDeployment = Wire<Deployment>;
/** DescribeServiceDeployments' `ServiceDeployment` (BLUE_GREEN / LINEAR / CANARY services). */
export type LiveServiceDeployment = Wire<SdkServiceDeployment>;
/** DescribeClusters' `cluster` (with settings, configuration and tags when asked for). */
export type LiveCluster = Wire<Cluster>;
/** DescribeCapacityProviders' capacity provider (with tags). */
export type LiveCapacityProvider = Wire<CapacityProvider>;
/** DescribeTaskDefinition's `taskDefinition`. */
export type LiveTaskDefinitionObject = Wire<TaskDefinition>;
/** DescribeScalableTargets' `ScalableTarget`. */
export type LiveScalableTarget = Wire<ScalableTarget>;
/** DescribeScalingPolicies' `ScalingPolicy`. */
export type LiveScalingPolicy = Wire<ScalingPolicy>;
/** DescribeScheduledActions' `ScheduledAction`. */
export type LiveScheduledAction = Wire<ScheduledAction>;

/** GetSchedule's answer (EventBridge Scheduler). */
export type LiveSchedule = Wire<Omit<GetScheduleOutput, '$metadata'>>;

/** DescribeTaskDefinition's response: the task definition and its tags (list form). */
export interface LiveTaskDefinition {
  readonly taskDefinition: LiveTaskDefinitionObject;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /**
   * Not described: the service running this revision carries the controller's tag vouching that it
   * holds the manifest's content and tags (this trust fingerprint, see diff/fingerprint.ts). Then
   * `taskDefinition` has the identity fields only (ARN, family, revision, status) and `tags` the
   * ones the controller wrote.
   */
  readonly trusted?: string;
}

/**
 * One of a service's deployments with ECS's absent counts as 0 and timestamps as ISO strings: what
 * health/ judges, rollouts follow and the status shows. `serviceDeployments` is the one converter.
 */
export interface ServiceDeployment {
  readonly id: string;
  /** PRIMARY | ACTIVE | INACTIVE */
  readonly status: string;
  /** IN_PROGRESS | COMPLETED | FAILED (absent on the CODE_DEPLOY and EXTERNAL controllers) */
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly failedTasks: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export function serviceDeployment(d: LiveDeployment): ServiceDeployment {
  return {
    id: d.id ?? '',
    status: d.status ?? '',
    ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
    ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
    taskDefinition: d.taskDefinition ?? '',
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    ...(d.createdAt ? { createdAt: String(normalizeTimestamp(d.createdAt)) } : {}),
    ...(d.updatedAt ? { updatedAt: String(normalizeTimestamp(d.updatedAt)) } : {}),
  };
}

/** A service's deployments (none when it is missing), newest first as ECS lists them. */
export function serviceDeployments(service: LiveService | undefined): ServiceDeployment[] {
  const deployments = Array.isArray(service?.deployments) ? (service?.deployments ?? []) : [];
  return deployments.filter((d) => d !== null && typeof d === 'object').map(serviceDeployment);
}

/** An owned resource that no manifest of the revision mentions: a prune candidate. */
export interface OrphanRef {
  readonly kind: 'Cluster' | 'Service' | 'TaskDefinition' | 'ScalingPolicy' | 'ScheduledTask';
  /** The name the resource would have as a manifest (serviceName, clusterName, family, serviceName). */
  readonly name: string;
  /** clusterName for Services and ScalingPolicies. */
  readonly clusterName?: string;
  readonly arn?: string;
  /** The live object as described (service, cluster, scalable target), when it was read. */
  readonly live?: LiveService | LiveCluster | LiveScalableTarget | LiveCapacityProvider;
  /**
   * The resource's tags as a map, where `live` does not carry them (a task definition family: its
   * revision's tags; a scalable target: ListTagsForResource). Prune reads `ecs-gitops/prune` here.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface LiveState {
  /** provider name → DescribeCapacityProviders' capacity provider (with tags). Absent: missing / INACTIVE. */
  readonly capacityProviders: Readonly<Record<string, LiveCapacityProvider>>;
  /** clusterName → DescribeClusters' cluster (with tags and settings). Absent: does not exist / INACTIVE. */
  readonly clusters: Readonly<Record<string, LiveCluster>>;
  /** `${clusterName}/${serviceName}` → DescribeServices' service (with tags). Absent: missing or INACTIVE. */
  readonly services: Readonly<Record<string, LiveService>>;
  /** taskDefinitionArn → the described revision (every revision a desired service runs, plus latest ACTIVE per family). */
  readonly taskDefinitions: Readonly<Record<string, LiveTaskDefinition>>;
  /** family → ARN of its latest ACTIVE revision. Absent: the family has no ACTIVE revision. */
  readonly latestRevisions: Readonly<Record<string, string>>;
  /** ResourceId (`service/<cluster>/<service>`) → DescribeScalableTargets' ScalableTarget. */
  readonly scalableTargets: Readonly<Record<string, LiveScalableTarget>>;
  /** ResourceId → DescribeScalingPolicies' ScalingPolicies for that target. */
  readonly scalingPolicies: Readonly<Record<string, readonly LiveScalingPolicy[]>>;
  /** ResourceId → DescribeScheduledActions' ScheduledActions for that target. */
  readonly scheduledActions: Readonly<Record<string, readonly LiveScheduledAction[]>>;
  /** ResourceId → tags of the scalable target (Application Auto Scaling ListTagsForResource), when read. */
  readonly scalableTargetTags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** EventBridge Scheduler schedules in the controller's group, by name (absent: none were read). */
  readonly schedules?: Readonly<Record<string, LiveSchedule>>;
  /** Owned resources missing from Git (only filled when discovery was asked for). */
  readonly orphans: readonly OrphanRef[];
  /**
   * `${clusterName}/${serviceName}` → the current service deployment of a BLUE_GREEN / LINEAR /
   * CANARY service (live/service-deployments.ts). Absent for ROLLING services.
   */
  readonly serviceDeployments?: Readonly<Record<string, LiveServiceDeployment>>;
  /** ISO-8601 time the picture was read (health says how long a bake has left). */
  readonly readAt?: string;
}

export function emptyLiveState(): LiveState {
  return {
    capacityProviders: {},
    clusters: {},
    services: {},
    taskDefinitions: {},
    latestRevisions: {},
    scalableTargets: {},
    scalingPolicies: {},
    scheduledActions: {},
    scalableTargetTags: {},
    orphans: [],
  };
}

/**
 * The revision a TaskDefinition's status is judged on: the one the plan targets, else the one the
 * diff found live, else the family's latest ACTIVE revision.
 */
export function liveTaskDefinitionArn(diff: ResourceDiff, live: LiveState): string | undefined {
  if (diff.desired?.kind !== 'TaskDefinition') return undefined;
  return diff.taskDefinition?.arn ?? diff.liveArn ?? live.latestRevisions[diff.desired.family];
}
