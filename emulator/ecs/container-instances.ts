// EC2 container instances: RegisterContainerInstance (the agent's call, with or without the
// instance identity document), DeregisterContainerInstance, ListContainerInstances (status and the
// cluster query language `filter`), DescribeContainerInstances, UpdateContainerInstancesState
// (DRAINING moves service tasks elsewhere, see deployments.ts), and the resource accounting that
// placement uses: registered minus what non-STOPPED tasks on the instance reserve.
import { randomBytes } from 'node:crypto';
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type {
  ClusterRecord,
  ContainerInstanceRecord,
  InstanceResources,
  Json,
  JsonObject,
  TaskRecord,
} from '../state.js';
import { clientException, invalidParameter } from '../wire/errors.js';
import { compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { requireCluster } from './cluster-lookup.js';
import { compileQuery } from './query-language.js';
import { MAX_TAGS, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';

/** Ports the ECS agent reserves on every instance (SSH, Docker, the agent's own). */
export const AGENT_RESERVED_PORTS = ['22', '2375', '2376', '51678', '51679'];

/** What a freshly launched instance of the default type offers (an m5.large: 2 vCPU, 8 GiB). */
export const DEFAULT_INSTANCE = {
  instanceType: 'm5.large',
  cpu: 2048,
  memory: 7680,
} as const;

const STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'];

/** The capability attributes a current ECS-optimized AMI's agent reports (a representative set). */
const AGENT_CAPABILITIES = [
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.json-file',
  'com.amazonaws.ecs.capability.logging-driver.none',
  'com.amazonaws.ecs.capability.logging-driver.syslog',
  'com.amazonaws.ecs.capability.privileged-container',
  'com.amazonaws.ecs.capability.ecr-auth',
  'com.amazonaws.ecs.capability.task-iam-role',
  'com.amazonaws.ecs.capability.task-iam-role-network-host',
  ...Array.from({ length: 28 }, (_, i) => `com.amazonaws.ecs.capability.docker-remote-api.1.${17 + i}`),
  'ecs.capability.execution-role-awslogs',
  'ecs.capability.execution-role-ecr-pull',
  'ecs.capability.secrets.asm.environment-variables',
  'ecs.capability.secrets.ssm.environment-variables',
  'ecs.capability.container-health-check',
  'ecs.capability.container-ordering',
  'ecs.capability.task-eni',
  'ecs.capability.task-cpu-mem-limit',
  'ecs.capability.efsAuth',
  'ecs.capability.efs',
  'ecs.capability.firelens.fluentbit',
];

export interface InstanceSpec {
  readonly ec2InstanceId?: string;
  readonly instanceType?: string;
  readonly availabilityZone?: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly attributes?: readonly { name: string; value?: string }[];
  readonly capacityProviderName?: string;
}

const instanceArn = (ctx: OpContext, cluster: string, id: string) =>
  `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:container-instance/${cluster}/${id}`;

const newInstanceId = () => randomBytes(16).toString('hex');
const newEc2InstanceId = () => `i-${randomBytes(9).toString('hex').slice(0, 17)}`;

function defaultAttributes(ctx: OpContext, spec: InstanceSpec): { name: string; value?: string }[] {
  return [
    ...AGENT_CAPABILITIES.map((name) => ({ name })),
    { name: 'ecs.ami-id', value: 'ami-0ecsoptimized000' },
    { name: 'ecs.availability-zone', value: spec.availabilityZone ?? `${ctx.regionName}a` },
    { name: 'ecs.cpu-architecture', value: 'x86_64' },
    { name: 'ecs.instance-type', value: spec.instanceType ?? DEFAULT_INSTANCE.instanceType },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.vpc-id', value: 'vpc-0emulator' },
    { name: 'ecs.subnet-id', value: 'subnet-0emulator' },
  ];
}

/** Later attributes of the same name win (the agent's report, then PutAttributes). */
export function mergeAttributes(
  base: readonly { name: string; value?: string }[],
  added: readonly { name: string; value?: string }[],
): { name: string; value?: string }[] {
  const byName = new Map(base.map((a) => [a.name, a]));
  for (const attribute of added) byName.set(attribute.name, { ...attribute });
  return [...byName.values()];
}

/** Adds an instance to a cluster: the agent's registration and the admin API both end here. */
export function registerInstance(
  ctx: OpContext,
  cluster: ClusterRecord,
  spec: InstanceSpec,
): ContainerInstanceRecord {
  const id = newInstanceId();
  const record: ContainerInstanceRecord = {
    id,
    arn: instanceArn(ctx, cluster.clusterName, id),
    clusterName: cluster.clusterName,
    ec2InstanceId: spec.ec2InstanceId ?? newEc2InstanceId(),
    status: 'ACTIVE',
    registered: {
      cpu: spec.cpu ?? DEFAULT_INSTANCE.cpu,
      memory: spec.memory ?? DEFAULT_INSTANCE.memory,
      ports: [...AGENT_RESERVED_PORTS],
      portsUdp: [],
    },
    attributes: mergeAttributes(defaultAttributes(ctx, spec), spec.attributes ?? []),
    versionInfo: { agentVersion: '1.89.2', agentHash: 'a1b2c3d4', dockerVersion: 'DockerVersion: 25.0.8' },
    registeredAtMs: ctx.nowMs,
    agentConnected: true,
    version: 1,
    ...(spec.capacityProviderName ? { capacityProviderName: spec.capacityProviderName } : {}),
  };
  ctx.region.containerInstances[id] = record;
  return record;
}

/** Tasks that hold resources on the instance: everything not yet STOPPED. */
export function tasksOn(ctx: OpContext, instance: ContainerInstanceRecord): TaskRecord[] {
  return Object.values(ctx.region.tasks).filter(
    (task) => task.containerInstanceId === instance.id && task.lastStatus !== 'STOPPED',
  );
}

export function remainingOf(ctx: OpContext, instance: ContainerInstanceRecord): InstanceResources {
  const remaining: InstanceResources = {
    cpu: instance.registered.cpu,
    memory: instance.registered.memory,
    ports: [...instance.registered.ports],
    portsUdp: [...instance.registered.portsUdp],
  };
  for (const task of tasksOn(ctx, instance)) {
    const reserved = task.reservation;
    if (!reserved) continue;
    remaining.cpu -= reserved.cpu;
    remaining.memory -= reserved.memory;
    remaining.ports.push(...reserved.ports);
    remaining.portsUdp.push(...reserved.portsUdp);
  }
  return remaining;
}

function resourcesJson(resources: InstanceResources): JsonObject[] {
  const integer = (name: string, value: number) => ({
    name,
    type: 'INTEGER',
    doubleValue: 0,
    longValue: 0,
    integerValue: value,
  });
  const set = (name: string, values: string[]) => ({
    name,
    type: 'STRINGSET',
    doubleValue: 0,
    longValue: 0,
    integerValue: 0,
    stringSetValue: values,
  });
  return [
    integer('CPU', resources.cpu),
    integer('MEMORY', resources.memory),
    set('PORTS', resources.ports),
    set('PORTS_UDP', resources.portsUdp),
  ];
}

export function instanceJson(ctx: OpContext, instance: ContainerInstanceRecord, include: readonly string[]) {
  const tasks = tasksOn(ctx, instance);
  return compact({
    containerInstanceArn: instance.arn,
    ec2InstanceId: instance.ec2InstanceId,
    capacityProviderName: instance.capacityProviderName,
    version: instance.version,
    versionInfo: instance.versionInfo,
    remainingResources: resourcesJson(remainingOf(ctx, instance)),
    registeredResources: resourcesJson(instance.registered),
    status: instance.status,
    statusReason: instance.statusReason,
    agentConnected: instance.agentConnected,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING')
      .length,
    attributes: instance.attributes.map((a) => compact({ name: a.name, value: a.value })),
    registeredAt: epochSeconds(instance.registeredAtMs),
    attachments: [],
    tags: include.includes('TAGS') ? tagsJson(tagsOf(ctx, instance.arn)) : [],
    healthStatus: include.includes('CONTAINER_INSTANCE_HEALTH')
      ? {
          overallStatus: 'OK',
          details: [
            {
              type: 'CONTAINER_RUNTIME',
              status: 'OK',
              lastUpdated: epochSeconds(ctx.nowMs),
              lastStatusChange: epochSeconds(instance.registeredAtMs),
            },
          ],
        }
      : undefined,
  });
}

/** `id`, `arn:…:container-instance/CLUSTER/ID` or the old `container-instance/ID` → the record. */
export function findInstance(
  ctx: OpContext,
  clusterName: string,
  ref: string,
): ContainerInstanceRecord | undefined {
  const id = ref.slice(ref.lastIndexOf('/') + 1);
  const record = ctx.region.containerInstances[id];
  return record && record.clusterName === clusterName ? record : undefined;
}

function parseResources(value: Json | undefined): Partial<InstanceResources> {
  if (!Array.isArray(value)) return {};
  const out: Partial<InstanceResources> = {};
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const number = Number(item.integerValue ?? item.longValue ?? item.doubleValue ?? 0);
    const strings = Array.isArray(item.stringSetValue) ? item.stringSetValue.map(String) : [];
    if (item.name === 'CPU') out.cpu = number;
    else if (item.name === 'MEMORY') out.memory = number;
    else if (item.name === 'PORTS') out.ports = strings;
    else if (item.name === 'PORTS_UDP') out.portsUdp = strings;
  }
  return out;
}

export function parseAttributes(value: Json | undefined): { name: string; value?: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParameter('attributes must be a list.');
  return value.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof item.name !== 'string') {
      throw invalidParameter('Attribute name can not be blank.');
    }
    if (!/^[a-zA-Z0-9_.\-/]{1,128}$/.test(item.name)) {
      throw invalidParameter(`Attribute name is invalid: ${item.name}.`);
    }
    const attributeValue = item.value;
    if (attributeValue !== undefined && attributeValue !== null) {
      if (typeof attributeValue !== 'string' || !/^[a-zA-Z0-9_.\-/@:() ]{1,128}$/.test(attributeValue)) {
        throw invalidParameter(`Attribute value is invalid: ${String(attributeValue)}.`);
      }
      return { name: item.name, value: attributeValue };
    }
    return { name: item.name };
  });
}

/** The identity document the agent sends (JSON from the EC2 instance metadata service). */
function identity(document: string | undefined): {
  instanceId?: string;
  instanceType?: string;
  zone?: string;
} {
  if (document === undefined || document === '') return {};
  try {
    const parsed = JSON.parse(document) as Record<string, unknown>;
    return {
      ...(typeof parsed.instanceId === 'string' ? { instanceId: parsed.instanceId } : {}),
      ...(typeof parsed.instanceType === 'string' ? { instanceType: parsed.instanceType } : {}),
      ...(typeof parsed.availabilityZone === 'string' ? { zone: parsed.availabilityZone } : {}),
    };
  } catch {
    throw clientException('The instance identity document is invalid.');
  }
}

export function registerContainerInstance(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const doc = identity(input.string('instanceIdentityDocument'));
  const resources = parseResources(input.raw('totalResources'));
  const tags = parseTags(input.raw('tags'));
  if (tags.length > MAX_TAGS)
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  // An agent re-registering the same EC2 instance gets its existing container instance back.
  const existingRef = input.string('containerInstanceArn');
  const existing = existingRef ? findInstance(ctx, cluster.clusterName, existingRef) : undefined;
  const attributes = parseAttributes(input.raw('attributes'));
  if (existing && existing.status !== 'INACTIVE') {
    existing.attributes = mergeAttributes(existing.attributes, attributes);
    existing.version++;
    return { containerInstance: instanceJson(ctx, existing, []) };
  }
  const record = registerInstance(ctx, cluster, {
    ...(doc.instanceId ? { ec2InstanceId: doc.instanceId } : {}),
    ...(doc.instanceType ? { instanceType: doc.instanceType } : {}),
    ...(doc.zone ? { availabilityZone: doc.zone } : {}),
    ...(resources.cpu !== undefined ? { cpu: resources.cpu } : {}),
    ...(resources.memory !== undefined ? { memory: resources.memory } : {}),
    attributes,
  });
  if (resources.ports) record.registered.ports = resources.ports;
  if (resources.portsUdp) record.registered.portsUdp = resources.portsUdp;
  const versionInfo = input.object('versionInfo');
  if (versionInfo) record.versionInfo = { ...record.versionInfo, ...versionInfo };
  setTags(ctx, record.arn, tags);
  return { containerInstance: instanceJson(ctx, record, []) };
}

/** Removes an instance; its tasks are stopped (as when the EC2 instance goes away). */
export function deregisterInstance(ctx: OpContext, instance: ContainerInstanceRecord, stop: StopTask): void {
  for (const task of tasksOn(ctx, instance)) {
    stop(ctx, task, 'TerminationNotice', 'Container instance deregistration forced by the user.');
  }
  instance.status = 'INACTIVE';
  instance.agentConnected = false;
  instance.deregisteredAtMs = ctx.nowMs;
  instance.version++;
  setTags(ctx, instance.arn, []);
}

export type StopTask = (ctx: OpContext, task: TaskRecord, stopCode: string, reason: string) => void;

export function makeDeregisterContainerInstance(stop: StopTask) {
  return (ctx: OpContext, body: JsonObject): Json => {
    const input = new Input(body);
    const cluster = requireCluster(ctx, input);
    const ref = input.requiredString('containerInstance');
    const instance = findInstance(ctx, cluster.clusterName, ref);
    if (!instance || instance.status === 'INACTIVE') {
      throw invalidParameter('The referenced container instance was not found.');
    }
    const tasks = tasksOn(ctx, instance);
    if (tasks.length > 0 && input.boolean('force') !== true) {
      throw invalidParameter(
        'Found running tasks on the instance. Use the force flag to deregister the instance or stop the tasks and try again.',
      );
    }
    deregisterInstance(ctx, instance, stop);
    return { containerInstance: instanceJson(ctx, instance, []) };
  };
}

function instancesOf(ctx: OpContext, clusterName: string): ContainerInstanceRecord[] {
  return Object.values(ctx.region.containerInstances)
    .filter((instance) => instance.clusterName === clusterName && instance.status !== 'INACTIVE')
    .sort((a, b) => a.registeredAtMs - b.registeredAtMs); // stable: insertion order breaks ties
}

/** The cluster's registered instances in registration order (ACTIVE and DRAINING). */
export function clusterInstances(ctx: OpContext, clusterName: string): ContainerInstanceRecord[] {
  return instancesOf(ctx, clusterName);
}

export function listContainerInstances(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const status = input.string('status');
  if (status !== undefined && !STATUSES.includes(status)) {
    throw invalidParameter(`Invalid status: ${status}.`);
  }
  const filter = input.string('filter');
  const matches = filter !== undefined && filter !== '' ? compileQuery(filter) : undefined;
  const arns = instancesOf(ctx, cluster.clusterName)
    .filter((instance) => status === undefined || instance.status === status)
    .filter((instance) => !matches || matches(instance))
    .map((instance) => instance.arn);
  const page = paginate(arns, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ containerInstanceArns: page.items, nextToken: page.nextToken });
}

export function describeContainerInstances(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const refs = input.strings('containerInstances') ?? [];
  if (refs.length === 0) throw invalidParameter('containerInstances can not be empty.');
  if (refs.length > 100) throw invalidParameter('containerInstances can have at most 100 items.');
  const include = input.strings('include') ?? [];
  const containerInstances: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const instance = findInstance(ctx, cluster.clusterName, ref);
    if (instance) containerInstances.push(instanceJson(ctx, instance, include));
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : instanceArn(ctx, cluster.clusterName, ref),
        reason: 'MISSING',
      });
  }
  return { containerInstances, failures };
}

export function updateContainerInstancesState(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const refs = input.strings('containerInstances') ?? [];
  if (refs.length === 0) throw invalidParameter('containerInstances can not be empty.');
  if (refs.length > 10) throw invalidParameter('containerInstances can have at most 10 items.');
  const status = input.requiredString('status');
  if (status !== 'ACTIVE' && status !== 'DRAINING') {
    throw invalidParameter(
      `Container instances status can only be updated to ACTIVE or DRAINING. Invalid status: ${status}.`,
    );
  }
  const containerInstances: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const instance = findInstance(ctx, cluster.clusterName, ref);
    if (!instance || instance.status === 'INACTIVE') {
      failures.push({
        arn: ref.startsWith('arn:') ? ref : instanceArn(ctx, cluster.clusterName, ref),
        reason: 'MISSING',
      });
      continue;
    }
    if (instance.status !== status) {
      instance.status = status;
      instance.version++;
    }
    containerInstances.push(instanceJson(ctx, instance, []));
  }
  return { containerInstances, failures };
}

/** The count DescribeClusters reports. */
export function registeredCount(ctx: OpContext, clusterName: string): number {
  return instancesOf(ctx, clusterName).length;
}
