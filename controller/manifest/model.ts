// The validated, reference-resolved desired state: what every later stage (diff, plan, apply,
// status) consumes. Produced by manifest/ from the documents of one revision; pure data.
import type { ManifestProblem } from '../errors.js';
import type { DriftPolicy, Kind, ResourceKeyOf, SourceLocation } from '../types.js';
import type {
  CapacityProviderSpec,
  ClusterSpec,
  ScalingPolicySpec,
  ScheduledTaskSpec,
  ServiceSpec,
  TaskDefinitionSpec,
  TaskSpec,
} from './spec-types.js';

export interface Metadata {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Per-resource behaviour switches, parsed from annotations (docs/manifests.md). */
export interface ResourcePolicy {
  /** `ecs-gitops/sync: disabled` → false: the controller leaves the resource alone. */
  readonly sync: boolean;
  /** `ecs-gitops/prune: disabled` → false: never deleted. */
  readonly prune: boolean;
  /** `ecs-gitops/drift`; undefined = use the global policy. */
  readonly drift?: DriftPolicy;
  /** `ecs-gitops/replace: allowed`: create-only field changes may delete and recreate. */
  readonly replaceAllowed: boolean;
  /** `ecs-gitops/adopt: "true"`: an existing unowned resource is tagged and managed. */
  readonly adopt: boolean;
}

/** Where a document came from: its file (relative to the manifest root, `/`-separated) and position. */
export interface DocumentSource extends SourceLocation {
  /** Index of the document within its file (0-based, empty documents counted). */
  readonly documentIndex: number;
}

interface DesiredBase<K extends Kind> {
  readonly kind: K;
  readonly name: string;
  readonly key: ResourceKeyOf<K>;
  readonly metadata: Metadata;
  readonly policy: ResourcePolicy;
  readonly source: DocumentSource;
}

export interface DesiredCapacityProvider extends DesiredBase<'CapacityProvider'> {
  /** `spec.name`, defaulting to metadata.name. */
  readonly providerName: string;
  /** Managed Instances providers: the cluster's name in ECS (a Cluster manifest's clusterName, or as written). */
  readonly clusterName?: string;
  /** The CreateCapacityProvider input: name filled, cluster resolved, tags removed (they are in `tags`). */
  readonly spec: CapacityProviderSpec;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DesiredCluster extends DesiredBase<'Cluster'> {
  /** `spec.clusterName`, defaulting to metadata.name. */
  readonly clusterName: string;
  /** The CreateCluster input: clusterName filled, tags removed (they are in `tags`). */
  readonly spec: ClusterSpec;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DesiredTaskDefinition extends DesiredBase<'TaskDefinition'> {
  /** `spec.family`, defaulting to metadata.name. */
  readonly family: string;
  /** Deregister this controller's revisions older than the newest N (default 10). */
  readonly revisionHistoryLimit: number;
  /**
   * The RegisterTaskDefinition input (family filled, revisionHistoryLimit and tags removed). Task-level
   * cpu and memory are canonical strings of CPU units and MiB ("0.25 vCPU" → "256", "1 GB" → "1024").
   */
  readonly spec: TaskDefinitionSpec;
  readonly tags: Readonly<Record<string, string>>;
}

/** How a Service names its task definition. */
export type TaskDefinitionRef =
  /** A TaskDefinition manifest in this revision, by metadata.name; `family` is its resolved family. */
  | { readonly type: 'manifest'; readonly name: string; readonly family: string }
  /** Something outside the repo: `family:revision` or a full ARN. */
  | { readonly type: 'external'; readonly value: string };

/** How a Service names its cluster. */
export type ClusterRef =
  | { readonly type: 'manifest'; readonly name: string; readonly clusterName: string }
  | { readonly type: 'external'; readonly value: string; readonly clusterName: string };

export interface DesiredService extends DesiredBase<'Service'> {
  /** `spec.serviceName`, defaulting to metadata.name. */
  readonly serviceName: string;
  readonly cluster: ClusterRef;
  readonly taskDefinition: TaskDefinitionRef;
  /** True when a ScalingPolicy targets this service: desiredCount is set on create only. */
  readonly autoscaled: boolean;
  /** The CreateService input minus serviceName/cluster/taskDefinition/tags (those are above). */
  readonly spec: ServiceSpec;
  readonly tags: Readonly<Record<string, string>>;
  /** `ecs-gitops/approval` / `ecs-gitops/analysis`: the gate (its PAUSE hook is already in `spec`). */
  readonly gate?: import('./approval-gate.js').GatePolicy;
}

export interface DesiredScalingPolicy extends DesiredBase<'ScalingPolicy'> {
  /** metadata.name of the Service manifest it targets. */
  readonly serviceName: string;
  /** The targeted service's name in ECS (its spec.serviceName, defaulting to its metadata.name). */
  readonly awsServiceName: string;
  readonly clusterName: string;
  /** `service/<clusterName>/<awsServiceName>` — the scalable target's ResourceId. */
  readonly resourceId: string;
  /**
   * The manifest spec with shorthands expanded: every targetTracking entry carries exactly one of
   * predefinedMetricSpecification / customizedMetricSpecification (never predefinedMetricType).
   */
  readonly spec: ScalingPolicySpec;
}

export type HookPhase = 'PreSync' | 'PostSync' | 'SyncFail';

/** `ecs-gitops/hook*` annotations of a Task. */
export interface TaskHook {
  readonly phase: HookPhase;
  /** metadata.names of the Service manifests it guards; undefined = every Service of the revision. */
  readonly for?: readonly string[];
  readonly timeoutSeconds: number;
}

export interface DesiredTask extends DesiredBase<'Task'> {
  readonly cluster: ClusterRef;
  readonly taskDefinition: TaskDefinitionRef;
  /** Absent: not a hook (runs only on demand, `ecs-gitops run-task`). */
  readonly hook?: TaskHook;
  /** The RunTask input minus cluster / taskDefinition / tags (those are above). */
  readonly spec: Omit<TaskSpec, 'cluster' | 'taskDefinition' | 'tags'>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DesiredScheduledTask extends DesiredBase<'ScheduledTask'> {
  /** `spec.scheduleName`, defaulting to metadata.name. */
  readonly scheduleName: string;
  /** spec.target.cluster, resolved. */
  readonly cluster: ClusterRef;
  /** spec.target.taskDefinition, resolved (a manifest: the schedule runs its current revision). */
  readonly taskDefinition: TaskDefinitionRef;
  readonly spec: ScheduledTaskSpec;
}

export type DesiredResource =
  | DesiredCapacityProvider
  | DesiredCluster
  | DesiredTaskDefinition
  | DesiredService
  | DesiredScalingPolicy
  | DesiredScheduledTask
  | DesiredTask;

export type DesiredOf<K extends Kind> = Extract<DesiredResource, { kind: K }>;

/** Everything one valid revision asks for. */
export interface DesiredState {
  /** Commit sha, or a content hash for a plain folder. */
  readonly revision: string;
  readonly resources: readonly DesiredResource[];
}

/** One manifest file handed to the pure loader. */
export interface ManifestFile {
  /** Relative to the manifest root, `/`-separated (`apps/web.yaml`). */
  readonly path: string;
  readonly content: Buffer | string;
}

/** The outcome of loading one revision: all of it valid, or every problem found. */
export type ManifestResult =
  | { readonly ok: true; readonly desired: DesiredState; readonly warnings: readonly ManifestProblem[] }
  | {
      readonly ok: false;
      /** The first LIMITS.maxProblems problems in file order. */
      readonly problems: readonly ManifestProblem[];
      /** How many problems there are in all. */
      readonly problemCount: number;
      readonly warnings: readonly ManifestProblem[];
    };
