// What live/ reads from AWS, as plain data in the exact JSON shapes the APIs return
// (camelCase for ECS, PascalCase for Application Auto Scaling). diff/ consumes it without any SDK.
import type { ResourceDiff } from '../diff/model.js';

/** One object as an AWS API returns it (a DescribeServices `service`, a `ScalableTarget`, …). */
export type AwsObject = Readonly<Record<string, unknown>>;

/** DescribeTaskDefinition's response: the task definition and its tags (list form). */
export interface LiveTaskDefinition {
  readonly taskDefinition: AwsObject;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /**
   * Not described: the service running this revision carries the controller's tag vouching that it
   * holds the manifest's content and tags (this trust fingerprint, see diff/fingerprint.ts). Then
   * `taskDefinition` has the identity fields only (ARN, family, revision, status) and `tags` the
   * ones the controller wrote.
   */
  readonly trusted?: string;
}

/** An owned resource that no manifest of the revision mentions: a prune candidate. */
export interface OrphanRef {
  readonly kind: 'Cluster' | 'Service' | 'TaskDefinition' | 'ScalingPolicy';
  /** The name the resource would have as a manifest (serviceName, clusterName, family, serviceName). */
  readonly name: string;
  /** clusterName for Services and ScalingPolicies. */
  readonly clusterName?: string;
  readonly arn?: string;
  /** The live object as described (service, cluster, scalable target), when it was read. */
  readonly live?: AwsObject;
  /**
   * The resource's tags as a map, where `live` does not carry them (a task definition family: its
   * revision's tags; a scalable target: ListTagsForResource). Prune reads `ecs-gitops/prune` here.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface LiveState {
  /** provider name → DescribeCapacityProviders' capacity provider (with tags). Absent: missing / INACTIVE. */
  readonly capacityProviders: Readonly<Record<string, AwsObject>>;
  /** clusterName → DescribeClusters' cluster (with tags and settings). Absent: does not exist / INACTIVE. */
  readonly clusters: Readonly<Record<string, AwsObject>>;
  /** `${clusterName}/${serviceName}` → DescribeServices' service (with tags). Absent: missing or INACTIVE. */
  readonly services: Readonly<Record<string, AwsObject>>;
  /** taskDefinitionArn → the described revision (every revision a desired service runs, plus latest ACTIVE per family). */
  readonly taskDefinitions: Readonly<Record<string, LiveTaskDefinition>>;
  /** family → ARN of its latest ACTIVE revision. Absent: the family has no ACTIVE revision. */
  readonly latestRevisions: Readonly<Record<string, string>>;
  /** ResourceId (`service/<cluster>/<service>`) → DescribeScalableTargets' ScalableTarget. */
  readonly scalableTargets: Readonly<Record<string, AwsObject>>;
  /** ResourceId → DescribeScalingPolicies' ScalingPolicies for that target. */
  readonly scalingPolicies: Readonly<Record<string, readonly AwsObject[]>>;
  /** ResourceId → DescribeScheduledActions' ScheduledActions for that target. */
  readonly scheduledActions: Readonly<Record<string, readonly AwsObject[]>>;
  /** ResourceId → tags of the scalable target (Application Auto Scaling ListTagsForResource), when read. */
  readonly scalableTargetTags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Owned resources missing from Git (only filled when discovery was asked for). */
  readonly orphans: readonly OrphanRef[];
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
