// Starting a service's tasks (deployments and task sets): which capacity provider each task goes
// to (base, then weight), EC2 placement on container instances, the unplaced-task service event
// (written once per cause, as ECS omits duplicates), and managed scaling of EC2 capacity providers.
import type { OpContext } from '../context.js';
import type {
  CapacityProviderRecord,
  JsonObject,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from '../state.js';
import { scalesOut, scalingStep } from './capacity-providers.js';
import { DEFAULT_INSTANCE, registerInstance } from './container-instances.js';
import {
  placeOnInstance,
  requiredAttributeNames,
  SERVICE_DEFAULT_STRATEGY,
  taskNeeds,
  unplacedMessage,
} from './instance-placement.js';
import { targetOf } from './launch-target.js';
import type { Placement } from './placement.js';
import { addEvent } from './service-events.js';
import { launchTask } from './tasks.js';

/** Instances managed scaling adds to one provider at most (standing in for the group's maximum size). */
const MANAGED_SCALING_MAX_INSTANCES = 100;

export interface ServiceLaunch {
  readonly service: ServiceRecord;
  readonly definition: TaskDefinitionRecord;
  readonly placement: Placement;
  readonly startedBy: string;
  readonly deploymentId?: string;
  readonly taskSetId?: string;
}

/** The strategy item the next task uses: bases first, then the lowest tasks-per-weight. */
function chooseProvider(strategy: readonly JsonObject[], counts: Map<string, number>): string | undefined {
  for (const item of strategy) {
    const name = String(item.capacityProvider);
    if ((counts.get(name) ?? 0) < Number(item.base ?? 0)) return name;
  }
  let best: { name: string; load: number } | undefined;
  for (const item of strategy) {
    const weight = Number(item.weight ?? 0);
    if (weight <= 0) continue;
    const name = String(item.capacityProvider);
    const load = (counts.get(name) ?? 0) / weight;
    if (!best || load < best.load) best = { name, load };
  }
  return best?.name ?? (strategy[0] ? String(strategy[0].capacityProvider) : undefined);
}

function providerCounts(ctx: OpContext, service: ServiceRecord): Map<string, number> {
  const counts = new Map<string, number>();
  for (const task of Object.values(ctx.region.tasks)) {
    if (task.serviceName !== service.serviceName || task.clusterName !== service.clusterName) continue;
    if (task.desiredStatus !== 'RUNNING') continue;
    const name = task.task.capacityProviderName;
    if (typeof name === 'string') counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Adds instances to a scaling provider for a task that fits an empty instance; false when it cannot. */
function scaleOut(
  ctx: OpContext,
  service: ServiceRecord,
  provider: CapacityProviderRecord,
  cpu: number,
  memory: number,
): boolean {
  if (!scalesOut(provider)) return false;
  if (cpu > DEFAULT_INSTANCE.cpu || memory > DEFAULT_INSTANCE.memory) return false;
  const cluster = ctx.region.clusters[service.clusterName];
  if (!cluster?.capacityProviders.includes(provider.name)) return false;
  const owned = Object.values(ctx.region.containerInstances).filter(
    (instance) => instance.capacityProviderName === provider.name && instance.status !== 'INACTIVE',
  ).length;
  const step = Math.min(scalingStep(provider), MANAGED_SCALING_MAX_INSTANCES - owned);
  if (step <= 0) return false;
  for (let i = 0; i < step; i++) registerInstance(ctx, cluster, { capacityProviderName: provider.name });
  return true;
}

function taskList(records: readonly TaskRecord[]): string {
  return records.map((task) => `(task ${task.taskId})`).join(' ');
}

/**
 * Starts up to `count` tasks for the service; returns those started. Tasks that fit nowhere are not
 * created: the scheduler tries again on its next pass, and the service event says why.
 */
export function launchForService(ctx: OpContext, launch: ServiceLaunch, count: number): TaskRecord[] {
  const { service, definition, placement } = launch;
  const started: TaskRecord[] = [];
  const counts = providerCounts(ctx, service);
  const strategy = placement.capacityProviderStrategy ?? [];
  const constraints = [
    ...((service.service.placementConstraints as JsonObject[] | undefined) ?? []),
    ...((definition.taskDefinition.placementConstraints as JsonObject[] | undefined) ?? []),
  ];
  const placementStrategy = (service.service.placementStrategy as JsonObject[] | undefined) ?? [];
  const needs = taskNeeds(definition.taskDefinition);
  let unplaced: string | undefined;
  for (let i = 0; i < count; i++) {
    const providerName = strategy.length > 0 ? chooseProvider(strategy, counts) : undefined;
    const target = targetOf(ctx, placement, providerName);
    let instance: ReturnType<typeof placeOnInstance>['placed'];
    if (target.kind === 'ec2') {
      const request = {
        clusterName: service.clusterName,
        needs,
        constraints,
        strategy: placementStrategy.length > 0 ? placementStrategy : SERVICE_DEFAULT_STRATEGY,
        group: `service:${service.serviceName}`,
        requiredAttributes: requiredAttributeNames(definition),
        ...(target.provider ? { capacityProviderName: target.provider.name } : {}),
      };
      let outcome = placeOnInstance(ctx, request);
      if (!outcome.placed && outcome.needsCapacity && target.provider) {
        if (scaleOut(ctx, service, target.provider, needs.cpu, needs.memory))
          outcome = placeOnInstance(ctx, request);
      }
      if (!outcome.placed) {
        unplaced = outcome.reason;
        break;
      }
      instance = outcome.placed;
    }
    const record = launchTask(ctx, {
      clusterName: service.clusterName,
      taskDefinition: definition,
      placement,
      group: `service:${service.serviceName}`,
      startedBy: launch.startedBy,
      serviceName: service.serviceName,
      ...(launch.deploymentId ? { deploymentId: launch.deploymentId } : {}),
      ...(launch.taskSetId ? { taskSetId: launch.taskSetId } : {}),
      ...(providerName ? { capacityProviderName: providerName } : {}),
      ...(instance ? { containerInstance: instance, reservation: needs } : {}),
    });
    if (providerName) counts.set(providerName, (counts.get(providerName) ?? 0) + 1);
    started.push(record);
  }
  if (started.length > 0) {
    const who = launch.taskSetId
      ? `(service ${service.serviceName}, taskSet ${launch.taskSetId})`
      : `(service ${service.serviceName})`;
    addEvent(ctx, service, `${who} has started ${started.length} tasks: ${taskList(started)}.`);
  }
  if (unplaced !== undefined) {
    const message = unplacedMessage(service.serviceName, unplaced);
    if (service.unplacedMessage !== message) addEvent(ctx, service, message);
    service.unplacedMessage = message;
  } else if (count > 0) {
    delete service.unplacedMessage;
  }
  return started;
}
