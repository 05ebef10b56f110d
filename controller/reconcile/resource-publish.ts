// Step 10 of a pass for one resource (docs/architecture.md#one-pass-step-by-step): its health
// (with stopped tasks' reasons when it fails, a hook Task's runs), sync and conditions into the
// status store, and the events of its edges (resource-status.ts decides them; this gathers the facts).
import { serviceKey } from '../aws-model/ids.js';
import type { ResourceDiff } from '../diff/model.js';
import { type LiveState, type ServiceDeployment, serviceDeployments } from '../live/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import type { ControllerEvent } from '../status/model.js';
import type { StatusStore } from '../status/store.js';
import { type DriftPolicy, type HealthState, keyString } from '../types.js';
import { type ChangeOrigin, effectiveDriftPolicy } from './drift.js';
import type { HookGate } from './hooks.js';
import type { ReconcileMemory } from './memory.js';
import type { AppliedEntry, HealthPort } from './ports.js';
import { nextResourceStatus } from './resource-status.js';
import type { StoppedReasons } from './stopped-reasons.js';

export interface StatusDeps {
  /** Read for the applied record and this controller's deployments; a Healthy rollout is forgotten. */
  readonly memory: ReconcileMemory;
  readonly health: HealthPort;
  readonly stoppedReasons: Pick<StoppedReasons, 'of'>;
  readonly hooks: Pick<HookGate, 'healthOf' | 'runsOf'>;
  readonly store: Pick<StatusStore, 'getResource' | 'setResource'>;
  /** The controller's --drift, for resources without their own ecs-gitops/drift. */
  readonly drift: DriftPolicy;
  readonly instance: string;
  readonly publish: (event: ControllerEvent) => void;
}

/**
 * Status: one resource's sync, health (with stopped tasks' reasons when it fails, a hook Task's
 * runs) and conditions, and the events of its edges. Returns its health.
 */
export async function publishResourceStatus(
  deps: StatusDeps,
  diff: ResourceDiff,
  facts: {
    readonly entry: ChangeSetEntry | undefined;
    readonly applied: AppliedEntry | undefined;
    readonly origin: ChangeOrigin;
    readonly live: LiveState;
    readonly revision: string;
    readonly nowIso: string;
  },
): Promise<HealthState> {
  const { entry, applied, origin, live, revision, nowIso } = facts;
  const key = keyString(diff.key);
  const expected = deps.memory.ownDeployments.get(key)?.id;
  const deployments = diff.key.kind === 'Service' ? deploymentsOf(diff, live) : undefined;
  const serviceDeployment = deps.health.serviceDeployment?.(diff, live);
  const preliminary = deps.health.of(diff, live, expected);
  const stoppedReasons = deployments
    ? await deps.stoppedReasons.of(key, diff, deployments, expected, preliminary.state === 'Degraded')
    : undefined;
  const hookHealth = diff.key.kind === 'Task' ? deps.hooks.healthOf(diff.key.name, revision) : undefined;
  const health =
    hookHealth ?? (stoppedReasons ? deps.health.of(diff, live, expected, stoppedReasons) : preliminary);
  const record = deps.memory.applied.get(key);
  const transition = nextResourceStatus(
    deps.store.getResource(key),
    {
      diff,
      origin,
      driftPolicy: effectiveDriftPolicy(diff.desired?.policy.drift, deps.drift),
      ...(entry ? { entry } : {}),
      ...(applied ? { applied } : {}),
      health,
      revision,
      ...(record ? { lastAppliedRevision: record.revision, lastAppliedAt: record.at } : {}),
      ...(diff.desired ? { source: diff.desired.source.file } : {}),
      ...(deployments ? { deployments } : {}),
      ...(stoppedReasons ? { stoppedReasons } : {}),
      ...(serviceDeployment ? { serviceDeployment } : {}),
      ownRollout: expected !== undefined && health.reason !== 'RolloutCompleted',
    },
    nowIso,
    deps.instance,
  );
  if (transition.status.health === 'Healthy' && expected) deps.memory.ownDeployments.delete(key);
  if (diff.key.kind === 'Task') {
    // A hook's failure is told once, by the hook gate's SyncFailed; its health edges are not alerts.
    const runs = deps.hooks.runsOf(diff.key.name);
    deps.store.setResource({
      ...transition.status,
      ...(hookHealth?.state === 'Degraded' ? { sync: 'Failed' as const } : {}),
      ...(runs.length > 0 ? { hookRuns: runs } : {}),
    });
    return transition.status.health;
  }
  deps.store.setResource(transition.status);
  for (const event of transition.events) deps.publish(event);
  return transition.status.health;
}

/** A Service's deployments as the status shows them (live/model.ts's one converter). */
function deploymentsOf(diff: ResourceDiff, live: LiveState): ServiceDeployment[] {
  const desired = diff.desired;
  if (desired?.kind !== 'Service') return [];
  return serviceDeployments(live.services[serviceKey(desired.cluster.clusterName, desired.serviceName)]);
}
