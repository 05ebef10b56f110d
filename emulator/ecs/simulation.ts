// Runs a region's world forward to "now": task lifecycle steps in time order, a scheduler pass
// after each, and purging of what ECS forgets after an hour. Lazy: only requests observe state,
// so time advances when a request (or the admin clock) looks.
import type { OpContext } from '../context.js';
import { invokeDueSchedules, nextScheduleAt } from '../scheduler/invocations.js';
import type { RegionState, ServiceRecord, TaskRecord } from '../state.js';
import { onTaskFailedToStart, reconcileService } from './deployments.js';
import { advanceTask } from './tasks.js';

/** Stopped tasks, INACTIVE services and clusters stay visible this long (as on ECS). */
const RETENTION_MS = 60 * 60 * 1000;
/** Safety net against a runaway loop (each step is one instant with due lifecycle steps). */
const MAX_STEPS = 1_000_000;

export class Simulator {
  private readonly simulatedTo = new WeakMap<RegionState, number>();
  private readonly nextEvent = new WeakMap<RegionState, number | undefined>();
  private readonly dirty = new WeakSet<RegionState>();

  /** A write changed the region: the next sync runs a scheduler pass even with no due event. */
  markDirty(region: RegionState): void {
    this.dirty.add(region);
  }

  /** Brings the region up to ctx.nowMs. */
  sync(ctx: OpContext): void {
    const region = ctx.region;
    const target = ctx.nowMs;
    const next = this.nextEvent.get(region);
    const known = this.nextEvent.has(region);
    if (known && !this.dirty.has(region) && (next === undefined || next > target)) return;
    let steps = 0;
    for (;;) {
      const due = minDefined(earliest(region), nextScheduleAt(ctx));
      if (due === undefined || due > target || steps++ > MAX_STEPS) break;
      const stepCtx: OpContext = { ...ctx, nowMs: Math.max(due, this.simulatedTo.get(region) ?? due) };
      step(stepCtx, due);
      // A transition that did not move its own time on would be due forever.
      for (const deployment of Object.values(region.serviceDeployments ?? {})) {
        if (deployment.nextAtMs !== undefined && deployment.nextAtMs <= due) delete deployment.nextAtMs;
      }
      this.simulatedTo.set(region, stepCtx.nowMs);
    }
    reconcileAll(ctx);
    purge(ctx);
    this.simulatedTo.set(region, target);
    this.dirty.delete(region);
    this.nextEvent.set(
      region,
      minDefined(minDefined(earliest(region), nextScheduleAt(ctx)), nextPurge(region)),
    );
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** When the oldest retained STOPPED task / INACTIVE service or cluster is due to be forgotten. */
function nextPurge(region: RegionState): number | undefined {
  let min: number | undefined;
  const consider = (at: number | undefined) => {
    if (at !== undefined) min = minDefined(min, at + RETENTION_MS + 1);
  };
  for (const task of Object.values(region.tasks))
    if (task.lastStatus === 'STOPPED') consider(task.stoppedAtMs);
  for (const services of Object.values(region.services)) {
    for (const service of services) if (service.status === 'INACTIVE') consider(service.deletedAtMs);
  }
  for (const cluster of Object.values(region.clusters)) {
    if (cluster.status === 'INACTIVE') consider(cluster.deletedAtMs);
  }
  for (const instance of Object.values(region.containerInstances)) {
    if (instance.status === 'INACTIVE') consider(instance.deregisteredAtMs);
  }
  for (const provider of Object.values(region.capacityProviders)) {
    if (provider.status === 'INACTIVE') consider(provider.deletedAtMs);
  }
  return min;
}

function earliest(region: RegionState): number | undefined {
  let min: number | undefined;
  for (const task of Object.values(region.tasks)) {
    if (task.nextAtMs !== undefined && (min === undefined || task.nextAtMs < min)) min = task.nextAtMs;
  }
  // Service deployments move on at stage ends, bake ends, hook answers and timeouts.
  for (const deployment of Object.values(region.serviceDeployments ?? {})) {
    if (deployment.nextAtMs !== undefined && (min === undefined || deployment.nextAtMs < min))
      min = deployment.nextAtMs;
  }
  return min;
}

function serviceKey(cluster: string, service: string): string {
  return `${cluster}\u0000${service}`;
}

function findLiveService(ctx: OpContext, task: TaskRecord): ServiceRecord | undefined {
  if (!task.serviceName) return undefined;
  return (ctx.region.services[task.clusterName] ?? []).find(
    (service) => service.serviceName === task.serviceName && service.status !== 'INACTIVE',
  );
}

function step(ctx: OpContext, due: number): void {
  invokeDueSchedules(ctx);
  for (const task of Object.values(ctx.region.tasks)) {
    if (task.nextAtMs === undefined || task.nextAtMs > due) continue;
    const transition = advanceTask(ctx, task);
    if (transition?.failedToStart) {
      const service = findLiveService(ctx, task);
      if (service) onTaskFailedToStart(ctx, service, task);
    }
  }
  reconcileAll(ctx);
}

function reconcileAll(ctx: OpContext): void {
  const byService = new Map<string, TaskRecord[]>();
  for (const task of Object.values(ctx.region.tasks)) {
    if (!task.serviceName) continue;
    const key = serviceKey(task.clusterName, task.serviceName);
    const list = byService.get(key);
    if (list) list.push(task);
    else byService.set(key, [task]);
  }
  for (const [clusterName, services] of Object.entries(ctx.region.services)) {
    for (const service of services) {
      if (service.status === 'INACTIVE') continue;
      reconcileService(ctx, service, byService.get(serviceKey(clusterName, service.serviceName)) ?? []);
    }
  }
}

function purge(ctx: OpContext): void {
  const cutoff = ctx.nowMs - RETENTION_MS;
  for (const [id, task] of Object.entries(ctx.region.tasks)) {
    if (task.lastStatus === 'STOPPED' && (task.stoppedAtMs ?? 0) < cutoff) {
      delete ctx.region.tasks[id];
      delete ctx.region.tags[task.taskArn];
    }
  }
  for (const [cluster, services] of Object.entries(ctx.region.services)) {
    const kept = services.filter(
      (service) => service.status !== 'INACTIVE' || (service.deletedAtMs ?? 0) >= cutoff,
    );
    if (kept.length !== services.length) ctx.region.services[cluster] = kept;
  }
  for (const [name, cluster] of Object.entries(ctx.region.clusters)) {
    if (cluster.status === 'INACTIVE' && (cluster.deletedAtMs ?? 0) < cutoff)
      delete ctx.region.clusters[name];
  }
  for (const [id, instance] of Object.entries(ctx.region.containerInstances)) {
    if (instance.status === 'INACTIVE' && (instance.deregisteredAtMs ?? 0) < cutoff)
      delete ctx.region.containerInstances[id];
  }
  for (const [name, provider] of Object.entries(ctx.region.capacityProviders)) {
    if (provider.status === 'INACTIVE' && (provider.deletedAtMs ?? 0) < cutoff)
      delete ctx.region.capacityProviders[name];
  }
}
