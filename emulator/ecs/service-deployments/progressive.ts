// BLUE_GREEN, LINEAR and CANARY deployments on the emulated clock: the green revision starts at full
// size next to blue, test then production traffic shifts by the strategy's steps, lifecycle hooks
// hold the stage they run at (PAUSE until ContinueServiceDeployment or their timeout, AWS_LAMBDA as
// the admin rule says), bake times hold both revisions, blue is cleaned up, and any failure (a hook,
// an alarm, StopServiceDeployment) shifts traffic back to blue and removes green.
import { randomBytes } from 'node:crypto';
import type { OpContext } from '../../context.js';
import { epochSeconds } from '../../context.js';
import type {
  DeploymentRecord,
  LifecycleHookRun,
  ServiceDeploymentRecord,
  ServiceRecord,
  TaskRecord,
} from '../../state.js';
import { addEvent } from '../service-events.js';
import { triggeredAlarms } from './alarms.js';
import { STAGE_MS } from './plan.js';
import { currentOf, UNFINISHED } from './records.js';
import { hooksOf } from './strategy-config.js';

/** What the progressive driver needs from the service scheduler (deployments.ts). */
export interface SchedulerOps {
  /** Tasks of a classic deployment that are meant to run (desiredStatus RUNNING). */
  activeTasks(deploymentId: string): TaskRecord[];
  /** Tasks of a classic deployment that have not reached STOPPED yet. */
  liveTasks(deploymentId: string): TaskRecord[];
  runningTasks(deploymentId: string): TaskRecord[];
  launch(deployment: DeploymentRecord, count: number): void;
  stop(tasks: readonly TaskRecord[], reason: string): void;
  updateCounts(): void;
}

/** The unfinished progressive service deployment of a service, if any. */
export function progressiveInFlight(
  ctx: OpContext,
  service: ServiceRecord,
): ServiceDeploymentRecord | undefined {
  const record = currentOf(ctx, service);
  return record?.plan && UNFINISHED.has(record.status) ? record : undefined;
}

const DEFAULT_RULE = { result: 'SUCCEEDED' as const, inProgressSeconds: 0 };

function touch(ctx: OpContext, record: ServiceDeploymentRecord): void {
  record.updatedAt = epochSeconds(ctx.nowMs);
}

function startHooks(ctx: OpContext, record: ServiceDeploymentRecord, stage: string): void {
  record.hooks = [];
  for (const hook of hooksOf(record.deploymentConfiguration)) {
    if (!hook.stages.includes(stage)) continue;
    const expiresAtMs = ctx.nowMs + hook.timeoutMinutes * 60_000;
    if (hook.targetType === 'PAUSE') {
      record.hooks.push({
        hookId: `ecs-pause-${randomBytes(32).toString('base64url').slice(0, 43)}`,
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAtMs,
        timeoutAction: hook.timeoutAction,
      });
      continue;
    }
    const rules = ctx.region.hookRules ?? {};
    const rule = rules[hook.hookTargetArn ?? ''] ?? rules['*'] ?? DEFAULT_RULE;
    record.hooks.push({
      hookId: `ecs-lambda-${randomBytes(32).toString('base64url').slice(0, 43)}`,
      targetType: 'AWS_LAMBDA',
      ...(hook.hookTargetArn ? { targetArn: hook.hookTargetArn } : {}),
      status: 'IN_PROGRESS',
      expiresAtMs,
      timeoutAction: hook.timeoutAction,
      answerAtMs: ctx.nowMs + rule.inProgressSeconds * 1000,
    });
  }
}

type HookOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'waiting'; readonly untilMs: number }
  | { readonly kind: 'rollback'; readonly reason: string };

function settleHooks(ctx: OpContext, record: ServiceDeploymentRecord): HookOutcome {
  let until: number | undefined;
  const stage = record.lifecycleStage ?? '';
  for (const hook of record.hooks) {
    if (hook.status === 'AWAITING_ACTION' || hook.status === 'IN_PROGRESS') {
      const answer = hook.targetType === 'AWS_LAMBDA' ? (hook.answerAtMs ?? ctx.nowMs) : undefined;
      if (answer !== undefined && answer <= ctx.nowMs && answer < hook.expiresAtMs) {
        const rules = ctx.region.hookRules ?? {};
        const rule = rules[hook.targetArn ?? ''] ?? rules['*'] ?? DEFAULT_RULE;
        hook.status = rule.result;
        touch(ctx, record);
      } else if (ctx.nowMs >= hook.expiresAtMs) {
        hook.status = 'TIMED_OUT';
        touch(ctx, record);
      } else {
        const next = Math.min(hook.expiresAtMs, answer ?? Number.POSITIVE_INFINITY);
        until = until === undefined ? next : Math.min(until, next);
        continue;
      }
    }
    if (hook.status === 'FAILED') {
      return { kind: 'rollback', reason: `Lifecycle hook ${hook.hookId} failed at ${stage}.` };
    }
    if (hook.status === 'TIMED_OUT' && hook.timeoutAction === 'ROLLBACK') {
      return { kind: 'rollback', reason: `Lifecycle hook ${hook.hookId} timed out at ${stage}.` };
    }
  }
  return until === undefined ? { kind: 'done' } : { kind: 'waiting', untilMs: until };
}

/** Asks for a rollback; it starts STAGE_MS later (so ROLLBACK_REQUESTED is observable). */
export function requestRollback(ctx: OpContext, record: ServiceDeploymentRecord, reason: string): void {
  const now = epochSeconds(ctx.nowMs);
  record.status = 'ROLLBACK_REQUESTED';
  record.statusReason = reason;
  record.rollback = {
    reason,
    startedAt: now,
    ...(record.sources[0] ? { serviceRevisionArn: record.sources[0].revisionArn } : {}),
  };
  for (const hook of record.hooks) {
    if (hook.status === 'AWAITING_ACTION' || hook.status === 'IN_PROGRESS') hook.status = 'FAILED';
  }
  record.updatedAt = now;
  record.nextAtMs = ctx.nowMs + STAGE_MS;
}

function enterStep(
  ctx: OpContext,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  index: number,
  ops: SchedulerOps,
): void {
  const step = record.plan?.[index];
  if (!step) return;
  record.stepIndex = index;
  record.lifecycleStage = step.stage;
  record.stepEnteredAtMs = ctx.nowMs;
  touch(ctx, record);
  if (step.stage === 'TEST_TRAFFIC_SHIFT') record.testWeight = 100;
  if (step.stage === 'PRODUCTION_TRAFFIC_SHIFT' && step.productionWeight !== undefined) {
    record.productionWeight = step.productionWeight;
  }
  if (step.stage === 'CLEAN_UP') {
    for (const source of record.sources) {
      ops.stop(
        ops.activeTasks(source.deploymentId),
        `Scaling activity initiated by (deployment ${record.targetDeploymentId})`,
      );
    }
  }
  startHooks(ctx, record, step.stage);
  record.hooksSettled = record.hooks.length === 0;
  if (record.hooks.length > 0) {
    addEvent(
      ctx,
      service,
      `(service ${service.serviceName}) (service deployment ${record.arn}) is running lifecycle hooks at ${step.stage}.`,
    );
  }
}

function stageReady(record: ServiceDeploymentRecord, service: ServiceRecord, ops: SchedulerOps): boolean {
  const stage = record.lifecycleStage;
  if (stage === 'SCALE_UP') {
    return ops.runningTasks(record.targetDeploymentId).length >= service.desiredCount;
  }
  if (stage === 'CLEAN_UP') {
    return record.sources.every((source) => ops.liveTasks(source.deploymentId).length === 0);
  }
  return true;
}

function findDeployment(service: ServiceRecord, id: string): DeploymentRecord | undefined {
  return service.deployments.find((d) => d.id === id);
}

/** Moves the deployment forward as far as the clock, the tasks and the hooks allow. */
function advance(
  ctx: OpContext,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  ops: SchedulerOps,
): void {
  const plan = record.plan ?? [];
  for (let guard = 0; guard <= plan.length + 1; guard++) {
    const index = record.stepIndex ?? -1;
    if (index < 0) {
      enterStep(ctx, service, record, 0, ops);
      continue;
    }
    const hooks = settleHooks(ctx, record);
    if (hooks.kind === 'rollback') {
      requestRollback(ctx, record, hooks.reason);
      return;
    }
    if (hooks.kind === 'waiting') {
      record.nextAtMs = hooks.untilMs;
      return;
    }
    // The hold (a bake time) counts from when the stage's hooks let go; their details stay listed.
    if (!record.hooksSettled) {
      record.hooksSettled = true;
      record.stepEnteredAtMs = ctx.nowMs;
    }
    if (!stageReady(record, service, ops)) {
      delete record.nextAtMs;
      return;
    }
    const step = plan[index];
    const holdUntil = (record.stepEnteredAtMs ?? ctx.nowMs) + (step?.holdMs ?? STAGE_MS);
    if (ctx.nowMs < holdUntil) {
      record.nextAtMs = holdUntil;
      return;
    }
    if (index + 1 < plan.length) {
      enterStep(ctx, service, record, index + 1, ops);
      continue;
    }
    succeed(ctx, service, record);
    return;
  }
}

function succeed(ctx: OpContext, service: ServiceRecord, record: ServiceDeploymentRecord): void {
  const now = epochSeconds(ctx.nowMs);
  record.status = 'SUCCESSFUL';
  record.statusReason = 'Service deployment completed successfully.';
  record.productionWeight = 100;
  record.testWeight = 100;
  record.finishedAt = now;
  record.updatedAt = now;
  record.hooks = [];
  delete record.nextAtMs;
  if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
  addEvent(
    ctx,
    service,
    `(service ${service.serviceName}) (service deployment ${record.arn}) completed successfully.`,
  );
}

function startRollback(
  ctx: OpContext,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  ops: SchedulerOps,
): void {
  const now = epochSeconds(ctx.nowMs);
  const target = findDeployment(service, record.targetDeploymentId);
  const blue = record.sources
    .map((s) => findDeployment(service, s.deploymentId))
    .find((d) => d !== undefined);
  record.updatedAt = now;
  delete record.nextAtMs;
  record.productionWeight = 0;
  record.testWeight = 0;
  const reason = record.rollback?.reason ?? 'rollback requested';
  if (!blue) {
    record.status = 'ROLLBACK_FAILED';
    record.statusReason = `${reason} There is no previous service revision to roll back to.`;
    record.finishedAt = now;
    if (target) {
      target.rolloutState = 'FAILED';
      target.rolloutStateReason = `ECS deployment ${target.id} failed: ${reason}`;
    }
    return;
  }
  record.status = 'ROLLBACK_IN_PROGRESS';
  if (target) {
    target.status = 'ACTIVE';
    target.rolloutState = 'FAILED';
    target.rolloutStateReason = `ECS deployment ${target.id} rolled back: ${reason}`;
    target.updatedAt = now;
    ops.stop(ops.activeTasks(target.id), `Scaling activity initiated by (deployment ${blue.id})`);
    addEvent(
      ctx,
      service,
      `(service ${service.serviceName}) (deployment ${target.id}) deployment failed: ${reason}`,
    );
  }
  for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  blue.status = 'PRIMARY';
  service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
  service.taskDefinition = blue.taskDefinition;
  addEvent(ctx, service, `(service ${service.serviceName}) rolling back to deployment ${blue.id}.`);
}

function finishRollback(
  ctx: OpContext,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  ops: SchedulerOps,
): void {
  const blue = service.deployments[0];
  if (!blue) return;
  const missing = service.desiredCount - ops.activeTasks(blue.id).length;
  if (missing > 0) ops.launch(blue, missing);
  const greenLeft = ops.liveTasks(record.targetDeploymentId).length;
  if (greenLeft > 0 || ops.runningTasks(blue.id).length < service.desiredCount) return;
  const now = epochSeconds(ctx.nowMs);
  record.status = 'ROLLBACK_SUCCESSFUL';
  record.finishedAt = now;
  record.updatedAt = now;
  addEvent(
    ctx,
    service,
    `(service ${service.serviceName}) (service deployment ${record.arn}) rolled back successfully.`,
  );
}

/** Green runs at full size from SCALE_UP on, next to blue. */
function scaleGreen(
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  target: DeploymentRecord,
  ops: SchedulerOps,
): void {
  const scaled = (record.plan ?? []).findIndex((step) => step.stage === 'SCALE_UP');
  if (scaled < 0 || (record.stepIndex ?? -1) < scaled) return;
  const missing = service.desiredCount - ops.activeTasks(target.id).length;
  if (missing > 0) ops.launch(target, missing);
}

/**
 * One scheduler pass of a service whose current deployment is progressive and unfinished.
 * Returns true while it is still in flight (the rolling scheduler stays out of the way).
 */
export function reconcileProgressive(
  ctx: OpContext,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
  ops: SchedulerOps,
): boolean {
  service.steady = false;
  const now = epochSeconds(ctx.nowMs);
  if (record.status === 'PENDING') {
    if (record.nextAtMs === undefined) {
      record.nextAtMs = ctx.nowMs + STAGE_MS;
      ops.updateCounts();
      return true;
    }
    if (ctx.nowMs < record.nextAtMs) return true;
    record.status = 'IN_PROGRESS';
    record.startedAt = now;
    record.updatedAt = now;
    delete record.nextAtMs;
  }
  const target = findDeployment(service, record.targetDeploymentId);
  if (record.status === 'IN_PROGRESS' && target) {
    target.desiredCount = service.desiredCount;
    scaleGreen(service, record, target, ops);
    const alarms = triggeredAlarms(ctx, record);
    if (alarms.length > 0) {
      record.alarms.status = 'TRIGGERED';
      record.alarms.triggeredAlarmNames = alarms;
      const rollback =
        (record.deploymentConfiguration.alarms as { rollback?: boolean } | undefined)?.rollback === true;
      const reason = `CloudWatch alarm(s) ${alarms.join(', ')} in ALARM state.`;
      if (rollback) requestRollback(ctx, record, reason);
      else stop(ctx, record, reason);
    } else {
      advance(ctx, service, record, ops);
      if (record.status === 'IN_PROGRESS') scaleGreen(service, record, target, ops);
    }
  }
  if (record.status === 'ROLLBACK_REQUESTED' && ctx.nowMs >= (record.nextAtMs ?? 0))
    startRollback(ctx, service, record, ops);
  if (record.status === 'ROLLBACK_IN_PROGRESS') finishRollback(ctx, service, record, ops);
  if (record.status === 'STOP_REQUESTED')
    stop(ctx, record, record.statusReason ?? 'Service deployment stopped.');
  ops.updateCounts();
  return UNFINISHED.has(record.status);
}

/** ABORT (or an alarm without rollback): the deployment stops where it is; both revisions keep running. */
function stop(ctx: OpContext, record: ServiceDeploymentRecord, reason: string): void {
  const now = epochSeconds(ctx.nowMs);
  record.status = 'STOPPED';
  record.statusReason = reason;
  record.stoppedAt = now;
  record.finishedAt = now;
  record.updatedAt = now;
  record.hooks = [];
  delete record.nextAtMs;
}

/** ContinueServiceDeployment on a PAUSE hook: CONTINUE lets the stage go on, ROLLBACK rolls back. */
export function answerHook(
  ctx: OpContext,
  record: ServiceDeploymentRecord,
  hook: LifecycleHookRun,
  action: string,
): void {
  if (action === 'ROLLBACK') {
    hook.status = 'FAILED';
    requestRollback(
      ctx,
      record,
      `Rolled back through ContinueServiceDeployment at lifecycle hook ${hook.hookId} (${record.lifecycleStage ?? ''}).`,
    );
    return;
  }
  hook.status = 'SUCCEEDED';
  record.updatedAt = epochSeconds(ctx.nowMs);
  delete record.nextAtMs;
}
