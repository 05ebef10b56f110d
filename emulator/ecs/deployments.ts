// The service scheduler: rolling deployments within maximumPercent / minimumHealthyPercent,
// rolloutState, the deployment circuit breaker (with rollback) and the events ECS writes.
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { DeploymentRecord, JsonObject, ServiceRecord, TaskRecord } from '../state.js';
import { newDeploymentId } from './arns.js';
import type { Placement } from './placement.js';
import {
  progressiveInFlight,
  reconcileProgressive,
  type SchedulerOps,
} from './service-deployments/progressive.js';
import { syncRolling } from './service-deployments/rolling.js';
import { addEvent } from './service-events.js';
import { launchForService } from './service-launch.js';
import { resolveTaskDefinition } from './task-definitions.js';
import { reconcileTaskSets } from './task-sets.js';
import { requestStop } from './tasks.js';

export { addEvent };

/** The circuit breaker's failed-task threshold bounds (ECS developer guide). */
const BREAKER_MIN = 3;
const BREAKER_MAX = 200;

export function breakerThreshold(desiredCount: number): number {
  return Math.min(BREAKER_MAX, Math.max(BREAKER_MIN, Math.ceil(desiredCount * 0.5)));
}

/** The placement a service's new deployments and tasks use (from its current configuration). */
export function placementOf(service: ServiceRecord): Placement {
  const s = service.service;
  return {
    ...(typeof s.launchType === 'string' ? { launchType: s.launchType } : {}),
    ...(Array.isArray(s.capacityProviderStrategy)
      ? { capacityProviderStrategy: s.capacityProviderStrategy as JsonObject[] }
      : {}),
    ...(typeof s.platformVersion === 'string' ? { platformVersion: s.platformVersion } : {}),
    ...(typeof s.platformFamily === 'string' ? { platformFamily: s.platformFamily } : {}),
    ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration as JsonObject } : {}),
  };
}

export function newDeployment(
  ctx: OpContext,
  service: ServiceRecord,
  taskDefinition: string,
  reason?: string,
): DeploymentRecord {
  const id = newDeploymentId();
  const placement = placementOf(service);
  const now = epochSeconds(ctx.nowMs);
  const deployment: DeploymentRecord = {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
  };
  if (placement.launchType) deployment.launchType = placement.launchType;
  if (placement.capacityProviderStrategy) {
    deployment.capacityProviderStrategy = structuredClone(placement.capacityProviderStrategy);
  }
  if (placement.platformVersion) {
    deployment.platformVersion = placement.platformVersion === 'LATEST' ? '1.4.0' : placement.platformVersion;
  }
  if (placement.platformFamily) deployment.platformFamily = placement.platformFamily;
  if (placement.networkConfiguration) {
    deployment.networkConfiguration = structuredClone(placement.networkConfiguration);
  }
  return deployment;
}

/** Makes `deployment` the PRIMARY one; the previous ones keep draining as ACTIVE. */
export function startDeployment(service: ServiceRecord, deployment: DeploymentRecord): void {
  for (const existing of service.deployments) existing.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  service.taskDefinition = deployment.taskDefinition;
  service.steady = false;
}

function circuitBreaker(service: ServiceRecord): { enable: boolean; rollback: boolean } {
  const config = service.service.deploymentConfiguration as JsonObject | undefined;
  const breaker = config?.deploymentCircuitBreaker as JsonObject | undefined;
  return { enable: breaker?.enable === true, rollback: breaker?.rollback === true };
}

function percents(service: ServiceRecord): { max: number; min: number } {
  const config = service.service.deploymentConfiguration as JsonObject | undefined;
  return {
    max: typeof config?.maximumPercent === 'number' ? config.maximumPercent : 200,
    min: typeof config?.minimumHealthyPercent === 'number' ? config.minimumHealthyPercent : 100,
  };
}

/** A task of this service failed to start: count it and trip the circuit breaker at its threshold. */
export function onTaskFailedToStart(ctx: OpContext, service: ServiceRecord, task: TaskRecord): void {
  const deployment = service.deployments.find((d) => d.id === task.deploymentId);
  if (!deployment) return;
  deployment.failedTasks++;
  deployment.updatedAt = epochSeconds(ctx.nowMs);
  const primary = service.deployments[0];
  if (deployment !== primary || deployment.rolloutState !== 'IN_PROGRESS') return;
  const breaker = circuitBreaker(service);
  if (!breaker.enable || deployment.failedTasks < breakerThreshold(service.desiredCount)) return;
  failDeployment(
    ctx,
    service,
    deployment,
    'ECS deployment circuit breaker: tasks failed to start.',
    breaker.rollback,
    'tasks failed to start.',
  );
}

/**
 * Fails a deployment (rolloutState FAILED) and, with `rollback`, starts a new PRIMARY deployment back
 * on the last COMPLETED task definition (the circuit breaker, an alarm, StopServiceDeployment).
 */
export function failDeployment(
  ctx: OpContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  reason: string,
  rollback: boolean,
  eventReason = reason,
): void {
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = reason;
  deployment.updatedAt = epochSeconds(ctx.nowMs);
  addEvent(
    ctx,
    service,
    `(service ${service.serviceName}) (deployment ${deployment.id}) deployment failed: ${eventReason}`,
  );
  const target = service.lastCompleted;
  if (!rollback || !target || !resolveTaskDefinition(ctx, target.taskDefinition)) return;
  const back = newDeployment(
    ctx,
    service,
    target.taskDefinition,
    `ECS deployment circuit breaker: rolling back to deploymentId ${target.deploymentId}.`,
  );
  startDeployment(service, back);
  addEvent(
    ctx,
    service,
    `(service ${service.serviceName}) rolling back to deployment ${target.deploymentId}.`,
  );
}

const isActive = (task: TaskRecord) => task.desiredStatus === 'RUNNING';
const isRunning = (task: TaskRecord) => task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';
const isStarting = (task: TaskRecord) => task.desiredStatus === 'RUNNING' && task.lastStatus !== 'RUNNING';

function taskList(records: readonly TaskRecord[]): string {
  return records.map((task) => `(task ${task.taskId})`).join(' ');
}

function stopTasks(
  ctx: OpContext,
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  reason: string,
): void {
  if (tasks.length === 0) return;
  for (const task of tasks) requestStop(ctx, task, 'ServiceSchedulerInitiated', reason);
  const running = tasks.filter((task) => task.task.startedAt !== undefined);
  if (running.length > 0) {
    addEvent(
      ctx,
      service,
      `(service ${service.serviceName}) has stopped ${running.length} running tasks: ${taskList(running)}.`,
    );
  }
}

/** One scheduler pass over a service, given its tasks (all states). */
export function reconcileService(
  ctx: OpContext,
  service: ServiceRecord,
  snapshot: readonly TaskRecord[],
): void {
  if (service.status === 'INACTIVE') return;
  // Tasks launched during this pass are added here too.
  const tasks = [...snapshot];
  const now = epochSeconds(ctx.nowMs);
  if (service.status === 'DRAINING') {
    const live = tasks.filter(isActive);
    stopTasks(ctx, service, live, 'Scaling activity initiated by deployment');
    if (tasks.every((task) => task.lastStatus === 'STOPPED')) {
      service.status = 'INACTIVE';
      service.deletedAtMs = ctx.nowMs;
      service.deployments = [];
    }
    updateCounts(service, tasks, now);
    return;
  }
  if ((service.service.deploymentController as JsonObject | undefined)?.type === 'EXTERNAL') {
    reconcileTaskSets(ctx, service, tasks);
    return;
  }
  const progressive = progressiveInFlight(ctx, service);
  if (
    progressive &&
    reconcileProgressive(ctx, service, progressive, schedulerOps(ctx, service, tasks, now))
  ) {
    return;
  }
  const primary = service.deployments[0];
  if (!primary) return;
  // Tasks on DRAINING container instances are replaced like an older deployment's.
  const draining = new Set(
    tasks
      .filter((task) => {
        const instance = task.containerInstanceId
          ? ctx.region.containerInstances[task.containerInstanceId]
          : undefined;
        return instance !== undefined && instance.status !== 'ACTIVE';
      })
      .map((task) => task.taskId),
  );
  const byDeployment = (id: string) =>
    tasks.filter((task) => task.deploymentId === id && isActive(task) && !draining.has(task.taskId));
  const onDraining = tasks.filter((task) => draining.has(task.taskId) && isActive(task));
  const desired = service.desiredCount;
  primary.desiredCount = desired;
  const { max, min } = percents(service);
  const minHealthy = Math.ceil((desired * min) / 100);
  const maxTotal = Math.floor((desired * max) / 100);

  // Scale the primary down first: starting tasks go before running ones, newest first.
  let primaryTasks = byDeployment(primary.id);
  if (primaryTasks.length > desired) {
    const ordered = [...primaryTasks].sort((a, b) => Number(isRunning(a)) - Number(isRunning(b)));
    stopTasks(
      ctx,
      service,
      ordered.slice(0, primaryTasks.length - desired),
      `Scaling activity initiated by (deployment ${primary.id})`,
    );
    primaryTasks = byDeployment(primary.id);
  }

  const old = service.deployments.slice(1);
  const oldActive = [...old.flatMap((deployment) => byDeployment(deployment.id)), ...onDraining];
  const breaker = circuitBreaker(service);
  const halted = primary.rolloutState === 'FAILED' && breaker.enable;
  if (!halted && primaryTasks.length < desired) {
    const ceiling = oldActive.length === 0 ? Math.max(maxTotal, desired) : maxTotal;
    const room = ceiling - primaryTasks.length - oldActive.length;
    const count = Math.min(desired - primaryTasks.length, room);
    const definition = resolveTaskDefinition(ctx, primary.taskDefinition);
    if (count > 0 && definition) {
      const started = launchForService(
        ctx,
        {
          service,
          definition,
          placement: placementOf(service),
          startedBy: primary.id,
          deploymentId: primary.id,
        },
        count,
      );
      tasks.push(...started);
    }
  }

  // Drain older deployments: tasks that never became healthy go first, running ones only while
  // the healthy count stays at or above minimumHealthyPercent.
  let healthy = tasks.filter(isRunning).length;
  const toStop: TaskRecord[] = [];
  const drainOrder = [
    ...[...old].reverse().flatMap((deployment) => byDeployment(deployment.id)),
    ...onDraining,
  ];
  for (const task of drainOrder) {
    if (isStarting(task)) toStop.push(task);
    else if (healthy > minHealthy) {
      toStop.push(task);
      healthy--;
    }
  }
  stopTasks(ctx, service, toStop, `Scaling activity initiated by (deployment ${primary.id})`);

  // A drained deployment disappears once none of its tasks is still stopping; a failed one stays
  // listed (ACTIVE, FAILED) until its replacement runs fully, so a rollback is observable.
  updateCounts(service, tasks, now);
  const replaced = primary.runningCount === desired && primary.pendingCount === 0;
  service.deployments = service.deployments.filter(
    (deployment, index) =>
      index === 0 ||
      tasks.some((task) => task.deploymentId === deployment.id && task.lastStatus !== 'STOPPED') ||
      (deployment.rolloutState === 'FAILED' && !replaced),
  );
  updateCounts(service, tasks, now);

  if (
    primary.rolloutState === 'IN_PROGRESS' &&
    service.deployments.length === 1 &&
    primary.runningCount === desired &&
    primary.pendingCount === 0
  ) {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = now;
    service.lastCompleted = { deploymentId: primary.id, taskDefinition: primary.taskDefinition };
    addEvent(
      ctx,
      service,
      `(service ${service.serviceName}) (deployment ${primary.id}) deployment completed.`,
    );
  }
  const steady =
    service.deployments.length === 1 &&
    primary.rolloutState !== 'IN_PROGRESS' &&
    primary.runningCount === desired &&
    primary.pendingCount === 0;
  if (steady && !service.steady)
    addEvent(ctx, service, `(service ${service.serviceName}) has reached a steady state.`);
  service.steady = steady;
  syncRolling(ctx, service, breakerThreshold(service.desiredCount), failDeployment);
}

/** The scheduler's task operations, for the progressive driver (which owns tasks while it runs). */
function schedulerOps(
  ctx: OpContext,
  service: ServiceRecord,
  tasks: TaskRecord[],
  now: number,
): SchedulerOps {
  return {
    activeTasks: (id) => tasks.filter((task) => task.deploymentId === id && isActive(task)),
    liveTasks: (id) => tasks.filter((task) => task.deploymentId === id && task.lastStatus !== 'STOPPED'),
    runningTasks: (id) => tasks.filter((task) => task.deploymentId === id && isRunning(task)),
    launch: (deployment, count) => {
      const definition = resolveTaskDefinition(ctx, deployment.taskDefinition);
      if (!definition || count <= 0) return;
      tasks.push(
        ...launchForService(
          ctx,
          {
            service,
            definition,
            placement: placementOf(service),
            startedBy: deployment.id,
            deploymentId: deployment.id,
          },
          count,
        ),
      );
    },
    stop: (list, reason) => stopTasks(ctx, service, list, reason),
    updateCounts: () => updateCounts(service, tasks, now),
  };
}

function updateCounts(service: ServiceRecord, tasks: readonly TaskRecord[], now: number): void {
  let running = 0;
  let pending = 0;
  for (const deployment of service.deployments) {
    const mine = tasks.filter((task) => task.deploymentId === deployment.id);
    const r = mine.filter(isRunning).length;
    const p = mine.filter(isStarting).length;
    if (deployment.status !== 'PRIMARY') deployment.desiredCount = mine.filter(isActive).length;
    if (r !== deployment.runningCount || p !== deployment.pendingCount) {
      deployment.runningCount = r;
      deployment.pendingCount = p;
      deployment.updatedAt = now;
    }
    running += r;
    pending += p;
  }
  service.service.runningCount = running;
  service.service.pendingCount = pending;
}
