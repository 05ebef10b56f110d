// Turns what one pass learned about a resource into its next status and the events of the
// transitions (one event per episode edge, never one per pass). Pure.

import type { FieldChange, ResourceDiff } from '../diff/model.js';
import type { ServiceDeploymentSummary } from '../health/service-deployment.js';
import type { ServiceDeployment } from '../live/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { getCondition, setCondition } from '../status/conditions.js';
import type { ControllerEvent, ResourceStatus } from '../status/model.js';
import type { Condition, DriftPolicy, HealthState, SyncState } from '../types.js';
import { keyString } from '../types.js';
import type { ChangeOrigin } from './drift.js';
import type { AppliedEntry } from './ports.js';

export interface ResourceFacts {
  readonly diff: ResourceDiff;
  readonly origin: ChangeOrigin;
  readonly driftPolicy: DriftPolicy;
  readonly entry?: ChangeSetEntry;
  readonly applied?: AppliedEntry;
  readonly health: { readonly state: HealthState; readonly reason: string; readonly message: string };
  readonly revision: string;
  /** Revision whose desired content is what live now runs (after this pass). */
  readonly lastAppliedRevision?: string;
  readonly lastAppliedAt?: string;
  readonly source?: string;
  readonly deployments?: readonly ServiceDeployment[];
  readonly stoppedReasons?: readonly string[];
  /** The deployment being judged was created by this controller (a rollback of it is a failed rollout). */
  readonly ownRollout: boolean;
  /** BLUE_GREEN / LINEAR / CANARY services: where the current service deployment is. */
  readonly serviceDeployment?: ServiceDeploymentSummary;
}

export interface StatusTransition {
  readonly status: ResourceStatus;
  readonly events: readonly ControllerEvent[];
}

function syncOf(facts: ResourceFacts): { sync: SyncState; message: string } {
  const { diff, origin, applied, entry } = facts;
  if (applied?.outcome === 'failed') {
    return {
      sync: 'Failed',
      message: applied.error ? `${applied.error.code}: ${applied.error.message}` : 'apply failed',
    };
  }
  if (
    applied &&
    (applied.outcome === 'created' || applied.outcome === 'configured' || applied.outcome === 'deleted')
  ) {
    return { sync: 'Synced', message: `${applied.outcome} at ${facts.revision}` };
  }
  if (diff.action === 'noop') return { sync: 'Synced', message: 'live matches Git' };
  if (entry?.blocked?.reason === 'rollout-failed' || entry?.blocked?.reason === 'stalled') {
    return { sync: 'Failed', message: entry.blocked.message };
  }
  if (origin === 'drift') {
    const fields = diff.changes.map((c) => c.path).join(', ');
    return { sync: 'Drifted', message: `changed outside Git: ${fields || diff.action}` };
  }
  if (entry?.blocked) {
    const reason = entry.blocked.reason;
    return {
      sync: reason === 'backoff' ? 'Failed' : 'OutOfSync',
      message: entry.blocked.message,
    };
  }
  return { sync: 'OutOfSync', message: `${diff.action} pending` };
}

function event(
  type: ControllerEvent['type'],
  severity: ControllerEvent['severity'],
  facts: ResourceFacts,
  instance: string,
  now: string,
  message: string,
  fields?: readonly FieldChange[],
): ControllerEvent {
  return {
    type,
    severity,
    time: now,
    instance,
    revision: facts.revision,
    resource: keyString(facts.diff.key),
    message,
    ...(fields && fields.length > 0 ? { fields } : {}),
  };
}

function describeFields(changes: readonly FieldChange[]): string {
  return changes
    .slice(0, 5)
    .map((c) => {
      const live = c.sensitive ? '***' : JSON.stringify(c.live);
      const desired = c.sensitive ? '***' : JSON.stringify(c.desired);
      return `${c.path} (Git: ${desired ?? 'absent'}, live: ${live ?? 'absent'})`;
    })
    .join('; ');
}

export function nextResourceStatus(
  previous: ResourceStatus | undefined,
  facts: ResourceFacts,
  now: string,
  instance: string,
): StatusTransition {
  const key = keyString(facts.diff.key);
  const events: ControllerEvent[] = [];
  const { sync, message } = syncOf(facts);
  const wrote = facts.applied && ['created', 'configured', 'deleted'].includes(facts.applied.outcome);
  // A service we just changed is rolling out, whatever the pre-apply read said.
  const health =
    wrote &&
    facts.diff.key.kind === 'Service' &&
    facts.applied?.outcome !== 'deleted' &&
    facts.diff.action !== 'adopt'
      ? { state: 'Progressing' as const, reason: 'RolloutStarted', message: 'deployment started' }
      : facts.health;

  let conditions: Condition[] = [...(previous?.conditions ?? [])];
  const drifted = facts.origin === 'drift';
  conditions = setCondition(
    conditions,
    drifted
      ? { type: 'Drifted', status: 'True', reason: 'LiveChanged', message }
      : {
          type: 'Drifted',
          status: 'False',
          reason: 'NoDrift',
          message: 'live matches the last applied Git state',
        },
    now,
  );
  const ready = sync === 'Synced' && health.state === 'Healthy';
  conditions = setCondition(
    conditions,
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      reason: ready ? 'Reconciled' : sync === 'Synced' ? health.reason : sync,
      message: ready ? 'in sync and healthy' : sync === 'Synced' ? health.message : message,
    },
    now,
  );
  const reconciling = Boolean(wrote) || health.state === 'Progressing';
  conditions = setCondition(
    conditions,
    {
      type: 'Reconciling',
      status: reconciling ? 'True' : 'False',
      reason: reconciling ? (wrote ? 'Applied' : 'Progressing') : 'Idle',
      message: reconciling ? health.message : 'nothing to do',
    },
    now,
  );
  // A terminal error stalls the resource under one reason, on the failing pass and the blocked ones after.
  const terminal = facts.applied?.error?.retryable === false || facts.entry?.blocked?.reason === 'stalled';
  const stalled =
    sync === 'Failed' ||
    (facts.entry?.blocked !== undefined && sync === 'OutOfSync') ||
    health.state === 'Degraded';
  conditions = setCondition(
    conditions,
    {
      type: 'Stalled',
      status: stalled ? 'True' : 'False',
      reason: stalled
        ? health.state === 'Degraded'
          ? health.reason
          : terminal
            ? 'TerminalError'
            : (facts.entry?.blocked?.reason ?? 'ApplyFailed')
        : 'None',
      message: stalled ? (health.state === 'Degraded' ? health.message : message) : 'making progress',
    },
    now,
  );

  // Episode edges → events.
  // Refusing to touch an unowned resource stops Git changes to it: loud, once, with what to do.
  const wasUnowned = previous ? getCondition(previous.conditions, 'Stalled')?.reason === 'unowned' : false;
  if (stalled && facts.entry?.blocked?.reason === 'unowned' && !wasUnowned) {
    // The plan's message names the resource already.
    events.push(event('SyncFailed', 'error', facts, instance, now, message));
  }
  const wasDrifted = previous ? getCondition(previous.conditions, 'Drifted')?.status === 'True' : false;
  if (drifted && !wasDrifted) {
    const healing = facts.driftPolicy === 'heal';
    if (facts.driftPolicy !== 'ignore') {
      events.push(
        event(
          'DriftDetected',
          'warning',
          facts,
          instance,
          now,
          `${key} drifted: ${describeFields(facts.diff.changes)}${healing ? ' (healing)' : ''}`,
          facts.diff.changes,
        ),
      );
    }
  }
  const healed = facts.origin === 'drift' && facts.driftPolicy === 'heal' && wrote;
  if (healed) {
    events.push(
      event(
        'DriftResolved',
        'info',
        facts,
        instance,
        now,
        `${key} reverted to Git (${facts.applied?.outcome})`,
      ),
    );
  } else if (!drifted && wasDrifted && facts.driftPolicy !== 'ignore') {
    events.push(event('DriftResolved', 'info', facts, instance, now, `${key} matches Git again`));
  }
  const previousError = previous?.lastError?.message;
  if (
    sync === 'Failed' &&
    facts.applied?.outcome === 'failed' &&
    facts.applied.error?.message !== previousError
  ) {
    events.push(event('SyncFailed', 'error', facts, instance, now, `${key}: ${message}`));
  }
  // lastError outlives the OutOfSync mark a pass puts on what it is about to write (in-progress.ts),
  // so a failure fixed by the next revision still ends its episode.
  const failureOpen = previous?.sync === 'Failed' || previous?.lastError !== undefined;
  if (facts.applied?.outcome !== 'failed' && failureOpen && sync === 'Synced') {
    events.push(event('SyncSucceeded', 'info', facts, instance, now, `${key} synced after earlier failures`));
  }
  if (health.state === 'Degraded' && previous?.health !== 'Degraded') {
    events.push(
      event('HealthDegraded', 'error', facts, instance, now, `${key} is Degraded: ${health.message}`),
    );
    if (facts.ownRollout) {
      events.push(
        event('RolloutFailed', 'error', facts, instance, now, `${key} rollout failed: ${health.message}`),
      );
    }
  } else if (health.state === 'Healthy' && previous?.health === 'Degraded') {
    events.push(event('HealthRecovered', 'info', facts, instance, now, `${key} is Healthy again`));
  }
  const gate = facts.serviceDeployment?.awaitingApproval ? facts.serviceDeployment : undefined;
  const hook = gate?.waitingFor?.hookId;
  if (gate && hook && previous?.serviceDeployment?.waitingFor?.hookId !== hook) {
    const since = gate.updatedAt ? ` since ${gate.updatedAt}` : '';
    const timeout = gate.waitingFor?.expiresAt
      ? `; ${gate.waitingFor.timeoutAction ?? 'ROLLBACK'} at ${gate.waitingFor.expiresAt} unless answered`
      : '';
    events.push(
      event(
        'AwaitingApproval',
        'warning',
        facts,
        instance,
        now,
        `${key} waits for approval at ${gate.stage ?? '?'}${since}${timeout}: ecs-gitops promote ${key} (or rollback)`,
      ),
    );
  }

  const lastError =
    facts.applied?.outcome === 'failed' && facts.applied.error
      ? { code: facts.applied.error.code, message: facts.applied.error.message, at: now }
      : sync === 'Failed'
        ? previous?.lastError
        : undefined;
  const diffFields = facts.applied && wrote ? [] : facts.diff.changes;
  const status: ResourceStatus = {
    kind: facts.diff.key.kind,
    name: facts.diff.key.name,
    key,
    sync,
    health: health.state,
    healthMessage: health.message,
    conditions,
    ...(facts.lastAppliedRevision ? { lastAppliedRevision: facts.lastAppliedRevision } : {}),
    lastAttemptedRevision:
      facts.entry && !facts.entry.blocked && facts.diff.action !== 'noop'
        ? facts.revision
        : (previous?.lastAttemptedRevision ?? facts.revision),
    ...(facts.lastAppliedAt ? { lastAppliedAt: facts.lastAppliedAt } : {}),
    observedAt: now,
    diff: diffFields,
    plannedAction: facts.diff.action,
    ...(lastError ? { lastError } : {}),
    ...(facts.source ? { source: facts.source } : {}),
    ...(facts.diff.liveArn ? { arn: facts.diff.liveArn } : {}),
    ...(facts.deployments ? { deployments: facts.deployments } : {}),
    ...(facts.stoppedReasons && facts.stoppedReasons.length > 0
      ? { stoppedReasons: facts.stoppedReasons }
      : {}),
    ...(facts.serviceDeployment ? { serviceDeployment: facts.serviceDeployment } : {}),
    ...(previous?.approvals ? { approvals: previous.approvals } : {}),
    ...(previous?.analyses ? { analyses: previous.analyses } : {}),
  };
  return { status, events };
}
