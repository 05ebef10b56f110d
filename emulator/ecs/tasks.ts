// Tasks: their lifecycle on the clock (PROVISIONING → PENDING → RUNNING, or a failed start, and
// DEPROVISIONING → STOPPED), and RunTask, StopTask, ListTasks, DescribeTasks.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type {
  ClusterRecord,
  ContainerInstanceRecord,
  InstanceResources,
  Json,
  JsonObject,
  Tag,
  TaskDefinitionRecord,
  TaskRecord,
} from '../state.js';
import { clientException, invalidParameter, serviceNotFound } from '../wire/errors.js';
import { clone, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { containerArn, nameFromArnOrName, newTaskId, taskArn } from './arns.js';
import { requireCluster } from './cluster-lookup.js';
import { findInstance } from './container-instances.js';
import {
  instanceProblem,
  type PlacementRequest,
  placeOnInstance,
  requiredAttributeNames,
  taskNeeds,
  validatePlacementRules,
} from './instance-placement.js';
import { targetOf } from './launch-target.js';
import { type Placement, validatePlacement } from './placement.js';
import { rememberRunTask, replayRunTask, validateClientToken } from './run-task-tokens.js';
import { parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';
import { resolveTaskDefinition } from './task-definitions.js';
import { applyDueExits, nextExitAt, plannedExits, terminateRemaining } from './task-exits.js';

export interface LaunchSpec {
  readonly clusterName: string;
  readonly taskDefinition: TaskDefinitionRecord;
  readonly placement: Placement;
  readonly group: string;
  readonly startedBy?: string;
  readonly serviceName?: string;
  readonly deploymentId?: string;
  readonly overrides?: JsonObject;
  readonly taskSetId?: string;
  /** The capacity provider the strategy chose for this task. */
  readonly capacityProviderName?: string;
  /** EC2 placement: the instance and what the task reserves on it. */
  readonly containerInstance?: ContainerInstanceRecord;
  readonly reservation?: InstanceResources;
}

const ms = (seconds: number) => Math.max(1, Math.round(seconds * 1000));

function failsToStart(ctx: OpContext, taskDefinition: JsonObject): string | undefined {
  const pattern = ctx.config.failImagePattern;
  if (!pattern) return undefined;
  const containers = (taskDefinition.containerDefinitions as JsonObject[] | undefined) ?? [];
  const failing = containers.find((container) => pattern.test(String(container.image)));
  return failing ? String(failing.image) : undefined;
}

function privateIp(): string {
  const bytes = randomBytes(2);
  return `10.0.${bytes[0]! % 250}.${(bytes[1]! % 250) + 2}`;
}

function eniAttachment(placement: Placement): JsonObject[] {
  const vpc = placement.networkConfiguration?.awsvpcConfiguration as JsonObject | undefined;
  if (!vpc) return [];
  const subnets = (vpc.subnets as string[] | undefined) ?? [];
  const ip = privateIp();
  return [
    {
      id: randomUUID(),
      type: 'ElasticNetworkInterface',
      status: 'PRECREATED',
      details: [
        { name: 'subnetId', value: subnets[0] ?? '' },
        { name: 'networkInterfaceId', value: `eni-${randomBytes(8).toString('hex').slice(0, 17)}` },
        { name: 'macAddress', value: '0a:00:00:00:00:01' },
        { name: 'privateDnsName', value: `ip-${ip.replaceAll('.', '-')}.ec2.internal` },
        { name: 'privateIPv4Address', value: ip },
      ],
    },
  ];
}

export function launchTask(ctx: OpContext, spec: LaunchSpec): TaskRecord {
  const id = newTaskId();
  const arn = taskArn(ctx, spec.clusterName, id);
  const definition = spec.taskDefinition.taskDefinition;
  const containers = (definition.containerDefinitions as JsonObject[] | undefined) ?? [];
  const providerName =
    spec.capacityProviderName ??
    (spec.placement.capacityProviderStrategy
      ? String(spec.placement.capacityProviderStrategy[0]?.capacityProvider ?? 'FARGATE')
      : undefined);
  const instance = spec.containerInstance;
  const fargate =
    !instance && (spec.placement.launchType === 'FARGATE' || (providerName?.startsWith('FARGATE') ?? false));
  const zone = instance?.attributes.find((a) => a.name === 'ecs.availability-zone')?.value;
  const failingImage = failsToStart(ctx, definition);
  const attachments = eniAttachment(spec.placement);
  const eni = attachments[0];
  const ip = (eni?.details as JsonObject[] | undefined)?.find((d) => d.name === 'privateIPv4Address')?.value;
  const networkInterfaces = eni ? [{ attachmentId: eni.id ?? null, privateIpv4Address: ip ?? null }] : [];
  const task = compact({
    attachments,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: zone ?? `${ctx.regionName}a`,
    capacityProviderName: providerName,
    clusterArn: `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:cluster/${spec.clusterName}`,
    containerInstanceArn: instance?.arn,
    containers: containers.map((container) =>
      compact({
        containerArn: containerArn(ctx, spec.clusterName, id),
        taskArn: arn,
        name: container.name,
        image: container.image,
        lastStatus: 'PENDING',
        networkInterfaces: clone(networkInterfaces),
        healthStatus: 'UNKNOWN',
        cpu: String(container.cpu ?? 0),
        memory: container.memory === undefined ? undefined : String(container.memory),
        memoryReservation:
          container.memoryReservation === undefined ? undefined : String(container.memoryReservation),
      }),
    ),
    cpu: definition.cpu,
    createdAt: epochSeconds(ctx.nowMs),
    desiredStatus: 'RUNNING',
    enableExecuteCommand: false,
    group: spec.group,
    healthStatus: 'UNKNOWN',
    lastStatus: 'PROVISIONING',
    launchType: spec.placement.launchType,
    memory: definition.memory,
    overrides: spec.overrides ?? {
      containerOverrides: containers.map((container) => ({ name: container.name ?? null })),
      inferenceAcceleratorOverrides: [],
    },
    platformVersion: fargate ? '1.4.0' : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    startedBy: spec.startedBy,
    tags: [],
    taskArn: arn,
    taskDefinitionArn: definition.taskDefinitionArn,
    version: 1,
    ephemeralStorage: fargate ? { sizeInGiB: 20 } : undefined,
  });
  const record: TaskRecord = {
    task,
    taskId: id,
    taskArn: arn,
    clusterName: spec.clusterName,
    group: spec.group,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    nextAtMs: ctx.nowMs + ms(ctx.config.timings.provisioningSeconds),
    willFail: failingImage !== undefined,
    ...(spec.serviceName ? { serviceName: spec.serviceName } : {}),
    ...(spec.deploymentId ? { deploymentId: spec.deploymentId } : {}),
    ...(spec.taskSetId ? { taskSetId: spec.taskSetId } : {}),
    ...(instance ? { containerInstanceId: instance.id } : {}),
    ...(spec.reservation ? { reservation: structuredClone(spec.reservation) } : {}),
  };
  if (failingImage) record.task.failingImage = failingImage;
  const exits = plannedExits(definition, spec.overrides);
  if (exits.length > 0) record.exits = exits;
  ctx.region.tasks[id] = record;
  return record;
}

function setStatus(record: TaskRecord, status: TaskRecord['lastStatus']): void {
  record.lastStatus = status;
  record.task.lastStatus = status;
  record.task.version = Number(record.task.version ?? 0) + 1;
  const containerStatus = status === 'RUNNING' ? 'RUNNING' : status === 'STOPPED' ? 'STOPPED' : undefined;
  if (containerStatus) {
    for (const container of (record.task.containers as JsonObject[] | undefined) ?? []) {
      container.lastStatus = containerStatus;
    }
  }
}

/** Asks a task to stop: it deprovisions for a while, then is STOPPED. */
export function requestStop(ctx: OpContext, record: TaskRecord, stopCode: string, reason: string): void {
  if (record.desiredStatus === 'STOPPED') return;
  record.desiredStatus = 'STOPPED';
  record.task.desiredStatus = 'STOPPED';
  record.task.stopCode = stopCode;
  record.task.stoppedReason = reason;
  record.task.stoppingAt = epochSeconds(ctx.nowMs);
  // lastStatus stays where it is (StopTask answers with RUNNING) until the task is STOPPED.
  record.task.version = Number(record.task.version ?? 0) + 1;
  record.nextAtMs = ctx.nowMs + ms(ctx.config.timings.stoppingSeconds);
}

export interface TaskTransition {
  readonly record: TaskRecord;
  /** The task failed to start (the circuit breaker counts these). */
  readonly failedToStart: boolean;
}

/** Moves one task through its next lifecycle step (the caller made sure it is due). */
export function advanceTask(ctx: OpContext, record: TaskRecord): TaskTransition | undefined {
  const now = epochSeconds(ctx.nowMs);
  if (record.desiredStatus === 'STOPPED' && record.lastStatus !== 'STOPPED')
    return finishStop(ctx, record, now);
  switch (record.lastStatus) {
    case 'PROVISIONING':
      setStatus(record, 'PENDING');
      record.task.pullStartedAt = now;
      record.nextAtMs = ctx.nowMs + ms(ctx.config.timings.pendingSeconds);
      return undefined;
    case 'PENDING':
      if (record.willFail) {
        const image = String(record.task.failingImage ?? '');
        delete record.task.failingImage;
        record.desiredStatus = 'STOPPED';
        record.task.desiredStatus = 'STOPPED';
        record.task.stopCode = 'TaskFailedToStart';
        record.task.stoppedReason = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: not found`;
        record.task.stoppingAt = now;
        record.task.stoppedAt = now;
        record.task.executionStoppedAt = now;
        setStatus(record, 'STOPPED');
        record.stoppedAtMs = ctx.nowMs;
        record.nextAtMs = undefined;
        return { record, failedToStart: true };
      }
      record.task.pullStoppedAt = now;
      record.task.startedAt = now;
      record.task.connectivity = 'CONNECTED';
      record.task.connectivityAt = now;
      for (const attachment of (record.task.attachments as JsonObject[] | undefined) ?? []) {
        attachment.status = 'ATTACHED';
      }
      setStatus(record, 'RUNNING');
      record.runningAtMs = ctx.nowMs;
      record.nextAtMs = nextExitAt(record);
      return undefined;
    case 'RUNNING':
      if (applyDueExits(record, ctx.nowMs).essentialExited) {
        requestStop(ctx, record, 'EssentialContainerExited', 'Essential container in task exited');
      } else {
        record.nextAtMs = nextExitAt(record);
      }
      record.task.version = Number(record.task.version ?? 0) + 1;
      return undefined;
    default:
      record.nextAtMs = undefined;
      return undefined;
  }
}

function finishStop(ctx: OpContext, record: TaskRecord, now: number): undefined {
  terminateRemaining(record);
  record.task.stoppedAt = now;
  record.task.executionStoppedAt = now;
  for (const attachment of (record.task.attachments as JsonObject[] | undefined) ?? []) {
    attachment.status = 'DELETED';
  }
  setStatus(record, 'STOPPED');
  record.stoppedAtMs = ctx.nowMs;
  record.nextAtMs = undefined;
  return undefined;
}

function taskIdOf(ref: string): string {
  return ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref;
}

function taskJson(ctx: OpContext, record: TaskRecord, includeTags: boolean): JsonObject {
  const { failingImage: _internal, ...out } = record.task;
  out.tags = includeTags ? tagsJson(tagsOf(ctx, record.taskArn)) : [];
  return out;
}

export function runTask(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const token = input.string('clientToken');
  validateClientToken(token);
  if (token !== undefined) {
    const replayed = replayRunTask(ctx, cluster.clusterName, token, body);
    if (replayed) return replayed;
  }
  const result = launchStandalone(ctx, input, cluster);
  if (token !== undefined) rememberRunTask(ctx, cluster.clusterName, token, body, result);
  return result;
}

function launchStandalone(ctx: OpContext, input: Input, cluster: ClusterRecord): JsonObject {
  const ref = input.string('taskDefinition');
  if (ref === undefined || ref === '') throw invalidParameter('TaskDefinition can not be blank.');
  const definition = resolveTaskDefinition(ctx, ref);
  if (!definition) throw clientException('TaskDefinition not found.');
  if (definition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  const count = input.integer('count') ?? 1;
  if (count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
  const placement = validatePlacement(ctx, cluster, definition, input);
  const tags = parseTags(input.raw('tags'));
  const family = String(definition.taskDefinition.family);
  const group = input.string('group') ?? `family:${family}`;
  const constraints = input.objects('placementConstraints') ?? [];
  const strategy = input.objects('placementStrategy') ?? [];
  validatePlacementRules(constraints, strategy);
  const provider = placement.capacityProviderStrategy
    ? String(placement.capacityProviderStrategy[0]?.capacityProvider)
    : undefined;
  const target = targetOf(ctx, placement, provider);
  const request = (): PlacementRequest => ({
    clusterName: cluster.clusterName,
    needs: taskNeeds(definition.taskDefinition),
    constraints: [
      ...constraints,
      ...((definition.taskDefinition.placementConstraints as JsonObject[] | undefined) ?? []),
    ],
    strategy: strategy.length > 0 ? strategy : RUN_TASK_DEFAULT_STRATEGY,
    group,
    requiredAttributes: requiredAttributeNames(definition),
    ...(target.kind === 'ec2' && target.provider ? { capacityProviderName: target.provider.name } : {}),
  });
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    let instance: ContainerInstanceRecord | undefined;
    if (target.kind === 'ec2') {
      const outcome = placeOnInstance(ctx, request());
      if (!outcome.placed) {
        if (outcome.failure === 'MISSING') {
          throw invalidParameter('No Container Instances were found in your cluster.');
        }
        failures.push(compact({ arn: outcome.closest?.arn, reason: outcome.failure }));
        continue;
      }
      instance = outcome.placed;
    }
    tasks.push(
      standalone(ctx, input, {
        clusterName: cluster.clusterName,
        definition,
        placement,
        group,
        tags,
        instance,
      }),
    );
  }
  return { tasks, failures };
}

interface StandaloneLaunch {
  readonly clusterName: string;
  readonly definition: TaskDefinitionRecord;
  readonly placement: Placement;
  readonly group: string;
  readonly tags: readonly Tag[];
  readonly instance: ContainerInstanceRecord | undefined;
}

/** One RunTask / StartTask task, tagged, as the response lists it. */
function standalone(ctx: OpContext, input: Input, launch: StandaloneLaunch): JsonObject {
  const record = launchTask(ctx, {
    clusterName: launch.clusterName,
    taskDefinition: launch.definition,
    placement: launch.placement,
    group: launch.group,
    ...(input.string('startedBy') ? { startedBy: input.string('startedBy')! } : {}),
    ...(input.object('overrides') ? { overrides: clone(input.object('overrides')!) } : {}),
    ...(launch.instance
      ? { containerInstance: launch.instance, reservation: taskNeeds(launch.definition.taskDefinition) }
      : {}),
  });
  setTags(ctx, record.taskArn, launch.tags);
  return taskJson(ctx, record, true);
}

/** RunTask without a strategy places at random (ECS's default for standalone tasks). */
const RUN_TASK_DEFAULT_STRATEGY: readonly JsonObject[] = [{ type: 'random' }];

/** StartTask: one task on each named container instance, if it fits there. */
export function startTask(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const refs = input.strings('containerInstances') ?? [];
  if (refs.length === 0) throw invalidParameter('containerInstances can not be empty.');
  if (refs.length > 10) throw invalidParameter('containerInstances can have at most 10 items.');
  const ref = input.string('taskDefinition');
  if (ref === undefined || ref === '') throw invalidParameter('TaskDefinition can not be blank.');
  const definition = resolveTaskDefinition(ctx, ref);
  if (!definition) throw clientException('TaskDefinition not found.');
  if (definition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  const placement = validatePlacement(
    ctx,
    cluster,
    definition,
    new Input({
      launchType: 'EC2',
      ...(input.object('networkConfiguration')
        ? { networkConfiguration: input.object('networkConfiguration')! }
        : {}),
    }),
  );
  const tags = parseTags(input.raw('tags'));
  const group = input.string('group') ?? `family:${String(definition.taskDefinition.family)}`;
  const needs = taskNeeds(definition.taskDefinition);
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const instanceRef of refs) {
    const instance = findInstance(ctx, cluster.clusterName, instanceRef);
    if (!instance || instance.status === 'INACTIVE') {
      failures.push({ arn: instanceRef, reason: 'MISSING' });
      continue;
    }
    const problem = instanceProblem(ctx, instance, {
      clusterName: cluster.clusterName,
      needs,
      constraints: (definition.taskDefinition.placementConstraints as JsonObject[] | undefined) ?? [],
      strategy: [],
      group,
      requiredAttributes: requiredAttributeNames(definition),
    });
    if (problem) {
      failures.push({ arn: instance.arn, reason: problem });
      continue;
    }
    tasks.push(
      standalone(ctx, input, {
        clusterName: cluster.clusterName,
        definition,
        placement,
        group,
        tags,
        instance,
      }),
    );
  }
  return { tasks, failures };
}

function requireTask(ctx: OpContext, clusterName: string, ref: string): TaskRecord {
  const record = ctx.region.tasks[taskIdOf(ref)];
  if (!record || record.clusterName !== clusterName)
    throw invalidParameter('The referenced task was not found.');
  return record;
}

export function stopTask(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const ref = input.string('task');
  if (ref === undefined || ref === '') throw invalidParameter('task can not be blank.');
  const record = requireTask(ctx, cluster.clusterName, ref);
  requestStop(ctx, record, 'UserInitiated', input.string('reason') ?? 'Task stopped by user');
  return { task: taskJson(ctx, record, false) };
}

export function describeTasks(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const refs = input.strings('tasks') ?? [];
  if (refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
  // ECS names the member taskIds in this message (not `tasks`, the request's name).
  if (refs.length > 100) throw invalidParameter('taskIds can have at most 100 items.');
  const includeTags = (input.strings('include') ?? []).includes('TAGS');
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const record = ctx.region.tasks[taskIdOf(ref)];
    if (record && record.clusterName === cluster.clusterName) tasks.push(taskJson(ctx, record, includeTags));
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : taskArn(ctx, cluster.clusterName, ref),
        reason: 'MISSING',
      });
  }
  return { tasks, failures };
}

export function listTasks(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const serviceName = input.string('serviceName');
  const family = input.string('family');
  const startedBy = input.string('startedBy');
  const launchType = input.string('launchType');
  const instanceRef = input.string('containerInstance');
  const instanceId = instanceRef?.slice(instanceRef.lastIndexOf('/') + 1);
  const desiredStatus = input.string('desiredStatus') ?? 'RUNNING';
  if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) {
    throw invalidParameter(`Invalid desiredStatus: ${desiredStatus}.`);
  }
  if (serviceName !== undefined) {
    const name = nameFromArnOrName(serviceName, 'service').split('/').pop() ?? serviceName;
    const exists = (ctx.region.services[cluster.clusterName] ?? []).some(
      (service) => service.serviceName === name,
    );
    if (!exists) throw serviceNotFound();
  }
  const arns = Object.values(ctx.region.tasks)
    .filter((record) => record.clusterName === cluster.clusterName)
    .filter((record) => {
      if (desiredStatus === 'PENDING')
        return record.desiredStatus === 'RUNNING' && record.lastStatus !== 'RUNNING';
      return record.desiredStatus === desiredStatus;
    })
    .filter(
      (record) => serviceName === undefined || record.group === `service:${serviceName.split('/').pop()}`,
    )
    .filter(
      (record) =>
        family === undefined || String(record.task.taskDefinitionArn).includes(`:task-definition/${family}:`),
    )
    .filter((record) => startedBy === undefined || record.task.startedBy === startedBy)
    .filter((record) => launchType === undefined || record.task.launchType === launchType)
    .filter((record) => instanceId === undefined || record.containerInstanceId === instanceId)
    .map((record) => record.taskArn);
  const page = paginate(arns, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ taskArns: page.items, nextToken: page.nextToken });
}
