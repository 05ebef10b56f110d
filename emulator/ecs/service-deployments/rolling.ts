// The service deployment of a ROLLING deployment mirrors the scheduler's classic deployment:
// IN_PROGRESS while it rolls, SUCCESSFUL when it COMPLETED, ROLLBACK_* when the circuit breaker,
// an alarm or StopServiceDeployment rolled it back, STOPPED when it failed without rollback.
import type { OpContext } from '../../context.js';
import { epochSeconds } from '../../context.js';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from '../../state.js';
import { triggeredAlarms } from './alarms.js';
import { currentOf, revisionOfDeployment, UNFINISHED } from './records.js';

/** Fails a classic deployment (rolloutState FAILED) and, with `rollback`, starts the rollback one. */
export type FailDeployment = (
  ctx: OpContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  reason: string,
  rollback: boolean,
) => void;

function finish(
  ctx: OpContext,
  record: ServiceDeploymentRecord,
  status: ServiceDeploymentRecord['status'],
): void {
  const now = epochSeconds(ctx.nowMs);
  record.status = status;
  record.finishedAt = now;
  record.updatedAt = now;
  if (status === 'STOPPED') record.stoppedAt = now;
  if (record.breaker.status === 'MONITORING') record.breaker.status = 'MONITORING_COMPLETE';
  if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
}

/** Brings a ROLLING service deployment in line with the scheduler's deployments (after each pass). */
export function syncRolling(
  ctx: OpContext,
  service: ServiceRecord,
  threshold: number,
  fail: FailDeployment,
): void {
  const record = currentOf(ctx, service);
  if (!record || record.plan || !UNFINISHED.has(record.status)) return;
  const now = epochSeconds(ctx.nowMs);
  const target = service.deployments.find((d) => d.id === record.targetDeploymentId);
  if (record.status === 'PENDING') {
    record.status = 'IN_PROGRESS';
    record.startedAt = now;
    record.updatedAt = now;
  }
  if (record.status === 'ROLLBACK_IN_PROGRESS') {
    // The failed deployment may have left the list already; the rollback deployment decides.
    const rollback = service.deployments.find((d) => d.id === record.rollbackDeploymentId);
    if (rollback?.rolloutState === 'COMPLETED') finish(ctx, record, 'ROLLBACK_SUCCESSFUL');
    return;
  }
  if (
    target &&
    (target.failedTasks !== record.breaker.failureCount || record.breaker.threshold !== threshold)
  ) {
    record.breaker.failureCount = target.failedTasks;
    record.breaker.threshold = threshold;
    record.updatedAt = now;
  }
  if (record.status === 'ROLLBACK_REQUESTED' && ctx.nowMs >= (record.nextAtMs ?? 0)) {
    delete record.nextAtMs;
    if (target?.rolloutState === 'IN_PROGRESS') {
      fail(ctx, service, target, record.rollback?.reason ?? 'rollback requested', true);
    }
  }
  if (target?.rolloutState === 'IN_PROGRESS' && record.status === 'IN_PROGRESS') {
    const alarms = triggeredAlarms(ctx, record);
    if (alarms.length > 0) {
      record.alarms.status = 'TRIGGERED';
      record.alarms.triggeredAlarmNames = alarms;
      const rollback =
        (record.deploymentConfiguration.alarms as { rollback?: boolean } | undefined)?.rollback === true;
      fail(ctx, service, target, `CloudWatch alarm(s) ${alarms.join(', ')} in ALARM state.`, rollback);
    }
  }
  if (!target) return;
  if (target.rolloutState === 'COMPLETED' && record.status === 'IN_PROGRESS') {
    record.statusReason = 'Service deployment completed successfully.';
    finish(ctx, record, 'SUCCESSFUL');
    return;
  }
  if (target.rolloutState !== 'FAILED') return;
  if (record.breaker.status === 'MONITORING' && target.failedTasks >= threshold)
    record.breaker.status = 'TRIGGERED';
  const primary = service.deployments[0];
  const rollingBack = primary !== undefined && primary !== target;
  if (!rollingBack) {
    record.statusReason = target.rolloutStateReason;
    finish(ctx, record, record.status === 'ROLLBACK_REQUESTED' ? 'ROLLBACK_FAILED' : 'STOPPED');
    return;
  }
  const back = service.lastCompleted
    ? revisionOfDeployment(service, service.lastCompleted.deploymentId)
    : undefined;
  if (back) {
    service.revisionsByDeployment ??= {};
    service.revisionsByDeployment[primary.id] = back;
  }
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.statusReason = target.rolloutStateReason;
  record.rollbackDeploymentId = primary.id;
  record.rollback = {
    reason: record.rollback?.reason ?? target.rolloutStateReason,
    startedAt: record.rollback?.startedAt ?? now,
    ...(back ? { serviceRevisionArn: back } : {}),
  };
  record.updatedAt = now;
}
