// Builds a LiveState from a fixture's live.json: lists of objects exactly as the AWS APIs return them
// (DescribeClusters' clusters, DescribeServices' services, DescribeTaskDefinition responses,
// DescribeScalableTargets / DescribeScalingPolicies / DescribeScheduledActions items).

import { serviceKey } from '../../controller/aws-model/ids.js';
import type {
  LiveCapacityProvider,
  LiveCluster,
  LiveScalableTarget,
  LiveScalingPolicy,
  LiveSchedule,
  LiveScheduledAction,
  LiveService,
  LiveState,
  LiveTaskDefinition,
} from '../../controller/live/model.js';

export interface LiveFixture {
  readonly capacityProviders?: LiveCapacityProvider[];
  readonly clusters?: LiveCluster[];
  readonly services?: LiveService[];
  readonly taskDefinitions?: LiveTaskDefinition[];
  readonly scalableTargets?: LiveScalableTarget[];
  readonly scalingPolicies?: LiveScalingPolicy[];
  readonly scheduledActions?: LiveScheduledAction[];
  readonly scalableTargetTags?: Record<string, Record<string, string>>;
  /** GetSchedule answers of the controller's schedule group (absent: not read). */
  readonly schedules?: LiveSchedule[];
}

function groupByResource<T extends { readonly ResourceId?: string | undefined }>(
  items: readonly T[] = [],
): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) {
    const id = String(item.ResourceId);
    out[id] = [...(out[id] ?? []), item];
  }
  return out;
}

export function liveStateFromFixture(fixture: LiveFixture): LiveState {
  const latest: Record<string, { arn: string; revision: number }> = {};
  for (const { taskDefinition } of fixture.taskDefinitions ?? []) {
    if (taskDefinition.status !== 'ACTIVE') continue;
    const family = String(taskDefinition.family);
    const revision = Number(taskDefinition.revision);
    if (!latest[family] || latest[family].revision < revision) {
      latest[family] = { arn: String(taskDefinition.taskDefinitionArn), revision };
    }
  }
  return {
    capacityProviders: Object.fromEntries((fixture.capacityProviders ?? []).map((p) => [String(p.name), p])),
    clusters: Object.fromEntries((fixture.clusters ?? []).map((c) => [String(c.clusterName), c])),
    services: Object.fromEntries(
      (fixture.services ?? []).map((s) => {
        const cluster = String(s.clusterArn).split('/').pop() ?? '';
        return [serviceKey(cluster, String(s.serviceName)), s];
      }),
    ),
    taskDefinitions: Object.fromEntries(
      (fixture.taskDefinitions ?? []).map((td) => [String(td.taskDefinition.taskDefinitionArn), td]),
    ),
    latestRevisions: Object.fromEntries(Object.entries(latest).map(([family, { arn }]) => [family, arn])),
    scalableTargets: Object.fromEntries(
      (fixture.scalableTargets ?? []).map((t) => [String(t.ResourceId), t]),
    ),
    scalingPolicies: groupByResource(fixture.scalingPolicies),
    scheduledActions: groupByResource(fixture.scheduledActions),
    scalableTargetTags: fixture.scalableTargetTags ?? {},
    ...(fixture.schedules
      ? { schedules: Object.fromEntries(fixture.schedules.map((s) => [String(s.Name), s])) }
      : {}),
    orphans: [],
  };
}
