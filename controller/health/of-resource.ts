// Which live object a desired resource's health is judged on, and by which kind's function.
import { serviceKey } from '../aws-model/ids.js';
import type { ResourceDiff } from '../diff/model.js';
import { type LiveState, liveTaskDefinitionArn } from '../live/model.js';
import { capacityProviderHealth } from './capacity-provider.js';
import { clusterHealth } from './cluster.js';
import { type HealthResult, health } from './model.js';
import { scalingPolicyHealth } from './scaling-policy.js';
import { scheduledTaskHealth } from './scheduled-task.js';
import { serviceHealth } from './service.js';
import { type ServiceDeploymentSummary, summarizeServiceDeployment } from './service-deployment.js';
import { taskDefinitionHealth } from './task-definition.js';

export function healthOf(
  diff: ResourceDiff,
  live: LiveState,
  expectedDeploymentId?: string,
  stoppedReasons?: readonly string[],
): HealthResult {
  const desired = diff.desired;
  if (!desired) return health('Unknown', 'NotInGit', 'not in Git');
  switch (desired.kind) {
    case 'CapacityProvider':
      return capacityProviderHealth(live.capacityProviders[desired.providerName]);
    case 'Cluster':
      return clusterHealth(live.clusters[desired.clusterName]);
    case 'TaskDefinition': {
      const arn = liveTaskDefinitionArn(diff, live);
      return taskDefinitionHealth(arn ? live.taskDefinitions[arn]?.taskDefinition : undefined);
    }
    case 'Service': {
      const key = serviceKey(desired.cluster.clusterName, desired.serviceName);
      const serviceDeployment = live.serviceDeployments?.[key];
      return serviceHealth(live.services[key], {
        ...(expectedDeploymentId ? { expectedDeploymentId } : {}),
        ...(stoppedReasons ? { stoppedReasons } : {}),
        ...(serviceDeployment ? { serviceDeployment } : {}),
        ...(live.readAt ? { now: new Date(live.readAt) } : {}),
        ...(desired.gate ? { gate: desired.gate } : {}),
      });
    }
    case 'ScalingPolicy': {
      const names = [...(desired.spec.targetTracking ?? []), ...(desired.spec.stepScaling ?? [])].map((p) =>
        String((p as { policyName?: string }).policyName ?? ''),
      );
      return scalingPolicyHealth(
        live.scalableTargets[desired.resourceId],
        live.scalingPolicies[desired.resourceId] ?? [],
        names.filter(Boolean),
      );
    }
    case 'ScheduledTask':
      return scheduledTaskHealth(live.schedules?.[desired.scheduleName], desired.spec.state ?? 'ENABLED');
    case 'Task':
      // Its runs decide (health/task-run.ts, reported by the hook runner); the manifest alone is fine.
      return health('Healthy', 'NotRun', 'runs as a hook or on demand; no run for this revision');
  }
}

/** Where a BLUE_GREEN / LINEAR / CANARY service's current service deployment is (status, dashboard). */
export function serviceDeploymentOf(
  diff: ResourceDiff,
  live: LiveState,
): ServiceDeploymentSummary | undefined {
  const desired = diff.desired;
  if (desired?.kind !== 'Service') return undefined;
  const key = serviceKey(desired.cluster.clusterName, desired.serviceName);
  const deployment = live.serviceDeployments?.[key];
  const service = live.services[key];
  if (!deployment || deployment.serviceDeploymentArn !== service?.currentServiceDeployment) return undefined;
  return summarizeServiceDeployment(deployment, desired.gate);
}
