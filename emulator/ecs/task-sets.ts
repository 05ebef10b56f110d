// Task sets of services on the EXTERNAL deployment controller: CreateTaskSet, DescribeTaskSets,
// UpdateTaskSet (scale), DeleteTaskSet (DRAINING until its tasks stopped), UpdateServicePrimaryTaskSet,
// and the scheduler pass that keeps each task set at ceil(service desiredCount × scale %).
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { Json, JsonObject, ServiceRecord, TaskRecord, TaskSetRecord } from '../state.js';
import { ApiError, invalidParameter, serviceNotActive, serviceNotFound } from '../wire/errors.js';
import { clone, compact, Input } from '../wire/input.js';
import { newDeploymentId, serviceNameFromArnOrName } from './arns.js';
import { requireCluster } from './cluster-lookup.js';
import { type Placement, validatePlacement } from './placement.js';
import { launchForService, type ServiceLaunch } from './service-launch.js';
import { findService } from './services-store.js';
import { MAX_TAGS, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';
import { resolveTaskDefinition } from './task-definitions.js';
import { requestStop } from './tasks.js';

const taskSetNotFound = () =>
  new ApiError('TaskSetNotFoundException', 'The specified task set does not exist.');

function requireExternalService(ctx: OpContext, input: Input): ServiceRecord {
  const cluster = requireCluster(ctx, input);
  const ref = input.requiredString('service');
  const service = findService(ctx, cluster.clusterName, serviceNameFromArnOrName(ref).name);
  if (!service) throw serviceNotFound();
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  const type = (service.service.deploymentController as JsonObject | undefined)?.type;
  if (type !== 'EXTERNAL') {
    throw invalidParameter(
      'Task sets are only supported for services that use the EXTERNAL deployment controller.',
    );
  }
  service.taskSets ??= [];
  return service;
}

function parseScale(value: JsonObject | undefined, fallback: JsonObject): JsonObject {
  if (!value) return fallback;
  const unit = value.unit ?? 'PERCENT';
  if (unit !== 'PERCENT') throw invalidParameter(`Invalid scale unit: ${String(unit)}.`);
  const number = value.value ?? 0;
  if (typeof number !== 'number' || number < 0 || number > 100) {
    throw invalidParameter('The scale value must be between 0 and 100.');
  }
  return { value: number, unit };
}

export function computedDesiredCount(service: ServiceRecord, taskSet: TaskSetRecord): number {
  if (taskSet.status === 'DRAINING') return 0;
  return Math.ceil((service.desiredCount * Number(taskSet.scale.value ?? 0)) / 100 - 1e-9);
}

function findTaskSet(service: ServiceRecord, ref: string): TaskSetRecord | undefined {
  const id = ref.includes(':task-set/') ? ref.slice(ref.indexOf('ecs-svc/')) : ref;
  return (service.taskSets ?? []).find((set) => set.id === id || set.arn === ref);
}

export function taskSetJson(ctx: OpContext, service: ServiceRecord, set: TaskSetRecord, tags: boolean) {
  return compact({
    id: set.id,
    taskSetArn: set.arn,
    serviceArn: service.serviceArn,
    clusterArn: String(service.service.clusterArn),
    startedBy: set.startedBy,
    externalId: set.externalId,
    status: set.status,
    taskDefinition: set.taskDefinition,
    computedDesiredCount: computedDesiredCount(service, set),
    pendingCount: set.pendingCount,
    runningCount: set.runningCount,
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
    launchType: set.placement.launchType,
    capacityProviderStrategy: set.placement.capacityProviderStrategy,
    platformVersion: set.placement.platformVersion,
    platformFamily: set.placement.platformFamily,
    networkConfiguration: set.placement.networkConfiguration,
    loadBalancers: set.loadBalancers,
    serviceRegistries: set.serviceRegistries,
    scale: set.scale,
    stabilityStatus: set.stabilityStatus,
    stabilityStatusAt: set.stabilityStatusAt,
    tags: tags ? tagsJson(tagsOf(ctx, set.arn)) : undefined,
  });
}

export function createTaskSet(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireExternalService(ctx, input);
  const cluster = requireCluster(ctx, input);
  const ref = input.requiredString('taskDefinition');
  const definition = resolveTaskDefinition(ctx, ref);
  if (!definition) throw new ApiError('ClientException', 'TaskDefinition not found.');
  if (definition.status !== 'ACTIVE') throw new ApiError('ClientException', 'TaskDefinition is inactive');
  const clientToken = input.string('clientToken');
  const repeated = clientToken ? service.taskSets?.find((set) => set.clientToken === clientToken) : undefined;
  if (repeated) return { taskSet: taskSetJson(ctx, service, repeated, false) };
  const placement: Placement = validatePlacement(ctx, cluster, definition, input);
  const tags = parseTags(input.raw('tags'));
  if (tags.length > MAX_TAGS)
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  const id = newDeploymentId();
  const now = epochSeconds(ctx.nowMs);
  const set: TaskSetRecord = {
    id,
    arn: `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:task-set/${service.clusterName}/${service.serviceName}/${id}`,
    status: 'ACTIVE',
    taskDefinition: String(definition.taskDefinition.taskDefinitionArn),
    placement: placement as JsonObject,
    loadBalancers: clone(input.objects('loadBalancers')) ?? [],
    serviceRegistries: clone(input.objects('serviceRegistries')) ?? [],
    scale: parseScale(input.object('scale'), { value: 0, unit: 'PERCENT' }),
    pendingCount: 0,
    runningCount: 0,
    createdAt: now,
    updatedAt: now,
    stabilityStatus: 'STABILIZING',
    stabilityStatusAt: now,
    ...(input.string('externalId') ? { externalId: input.string('externalId') as string } : {}),
    ...(clientToken ? { clientToken } : {}),
  };
  if (!set.placement.launchType && !set.placement.capacityProviderStrategy) set.placement.launchType = 'EC2';
  (service.taskSets as TaskSetRecord[]).push(set);
  setTags(ctx, set.arn, tags);
  return { taskSet: taskSetJson(ctx, service, set, false) };
}

export function describeTaskSets(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireExternalService(ctx, input);
  const refs = input.strings('taskSets');
  const tags = (input.strings('include') ?? []).includes('TAGS');
  const taskSets: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const set of service.taskSets ?? []) {
    if (!refs || refs.length === 0) taskSets.push(taskSetJson(ctx, service, set, tags));
  }
  for (const ref of refs ?? []) {
    const set = findTaskSet(service, ref);
    if (set) taskSets.push(taskSetJson(ctx, service, set, tags));
    else failures.push({ arn: ref, reason: 'MISSING' });
  }
  return { taskSets, failures };
}

export function updateTaskSet(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireExternalService(ctx, input);
  const set = findTaskSet(service, input.requiredString('taskSet'));
  if (!set || set.status === 'DRAINING') throw taskSetNotFound();
  const scale = input.object('scale');
  if (!scale) throw invalidParameter('scale can not be blank.');
  set.scale = parseScale(scale, set.scale);
  set.updatedAt = epochSeconds(ctx.nowMs);
  return { taskSet: taskSetJson(ctx, service, set, false) };
}

export function deleteTaskSet(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireExternalService(ctx, input);
  const set = findTaskSet(service, input.requiredString('taskSet'));
  if (!set || set.status === 'DRAINING') throw taskSetNotFound();
  if (computedDesiredCount(service, set) > 0 && input.boolean('force') !== true) {
    throw invalidParameter(
      'The task set cannot be deleted while it is scaled above 0. Scale it to 0 or use the force flag.',
    );
  }
  set.status = 'DRAINING';
  set.updatedAt = epochSeconds(ctx.nowMs);
  return { taskSet: taskSetJson(ctx, service, set, false) };
}

export function updateServicePrimaryTaskSet(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireExternalService(ctx, input);
  const set = findTaskSet(service, input.requiredString('primaryTaskSet'));
  if (!set || set.status === 'DRAINING') throw taskSetNotFound();
  for (const other of service.taskSets ?? []) if (other.status === 'PRIMARY') other.status = 'ACTIVE';
  set.status = 'PRIMARY';
  set.updatedAt = epochSeconds(ctx.nowMs);
  service.taskDefinition = set.taskDefinition;
  return { taskSet: taskSetJson(ctx, service, set, false) };
}

/** One scheduler pass over the task sets of an EXTERNAL service. */
export function reconcileTaskSets(
  ctx: OpContext,
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
): void {
  const now = epochSeconds(ctx.nowMs);
  const sets = service.taskSets ?? [];
  for (const set of sets) {
    const mine = tasks.filter((task) => task.taskSetId === set.id && task.desiredStatus === 'RUNNING');
    const wanted = computedDesiredCount(service, set);
    if (mine.length > wanted) {
      const extra = [...mine].sort(
        (a, b) => Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING'),
      );
      for (const task of extra.slice(0, mine.length - wanted)) {
        requestStop(
          ctx,
          task,
          'ServiceSchedulerInitiated',
          `Scaling activity initiated by (task set ${set.id})`,
        );
      }
    } else if (mine.length < wanted) {
      const definition = resolveTaskDefinition(ctx, set.taskDefinition);
      if (definition) {
        const launch: ServiceLaunch = {
          service,
          definition,
          placement: set.placement as Placement,
          startedBy: set.id,
          taskSetId: set.id,
        };
        launchForService(ctx, launch, wanted - mine.length);
      }
    }
  }
  const current = Object.values(ctx.region.tasks).filter(
    (task) => task.serviceName === service.serviceName && task.clusterName === service.clusterName,
  );
  let running = 0;
  let pending = 0;
  service.taskSets = sets.filter((set) => {
    const mine = current.filter((task) => task.taskSetId === set.id);
    const r = mine.filter((task) => task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING').length;
    const p = mine.filter((task) => task.desiredStatus === 'RUNNING' && task.lastStatus !== 'RUNNING').length;
    running += r;
    pending += p;
    if (r !== set.runningCount || p !== set.pendingCount) {
      set.runningCount = r;
      set.pendingCount = p;
      set.updatedAt = now;
    }
    const stability = r === computedDesiredCount(service, set) && p === 0 ? 'STEADY_STATE' : 'STABILIZING';
    if (stability !== set.stabilityStatus) {
      set.stabilityStatus = stability;
      set.stabilityStatusAt = now;
    }
    // A deleted task set leaves once its last task stopped.
    return set.status !== 'DRAINING' || mine.some((task) => task.lastStatus !== 'STOPPED');
  });
  service.service.runningCount = running;
  service.service.pendingCount = pending;
}
