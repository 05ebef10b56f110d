// Task definitions: RegisterTaskDefinition (validation + the defaults ECS fills in),
// DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies,
// DeregisterTaskDefinition, DeleteTaskDefinitions.
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { Json, JsonObject, TaskDefinitionRecord } from '../state.js';
import { clientException, invalidParameter } from '../wire/errors.js';
import { clone, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { nameFromArnOrName, taskDefinitionArn } from './arns.js';
import { normalizeContainer, requiresAttributes } from './containers.js';
import { isValidFargateSize, normalizeCpu, normalizeMemory, validateFargateFeatures } from './fargate.js';
import { MAX_TAGS, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';
import { normalizeVolumes } from './volumes.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const NETWORK_MODES = new Set(['bridge', 'host', 'awsvpc', 'none']);
const COMPATIBILITIES = new Set(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']);

// Members RegisterTaskDefinition echoes back unchanged (when given).
const ECHOED = [
  'taskRoleArn',
  'executionRoleArn',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
] as const;

/** `family`, `family:revision` or an ARN → the record, or undefined. */
export function resolveTaskDefinition(ctx: OpContext, ref: string): TaskDefinitionRecord | undefined {
  const text = ref.startsWith('arn:') ? nameFromArnOrName(ref, 'task-definition') : ref;
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    const revisions = ctx.region.taskDefinitions[text] ?? [];
    for (let i = revisions.length - 1; i >= 0; i--)
      if (revisions[i]?.status === 'ACTIVE') return revisions[i];
    return undefined;
  }
  const family = text.slice(0, colon);
  const revision = Number(text.slice(colon + 1));
  if (!Number.isInteger(revision) || revision < 1) return undefined;
  const record = ctx.region.taskDefinitions[family]?.[revision - 1];
  return record && record.status !== 'DELETE_IN_PROGRESS' ? record : undefined;
}

export function findTaskDefinitionByArn(ctx: OpContext, arn: string): TaskDefinitionRecord | undefined {
  return arn.includes(':task-definition/') ? resolveTaskDefinition(ctx, arn) : undefined;
}

function parseTaskSize(input: Input): { cpu?: string; memory?: string } {
  const cpuText = input.string('cpu');
  const memoryText = input.string('memory');
  const cpu = cpuText === undefined ? undefined : normalizeCpu(cpuText);
  const memory = memoryText === undefined ? undefined : normalizeMemory(memoryText);
  if (cpuText !== undefined && cpu === undefined) throw clientException(`Invalid 'cpu' setting for task.`);
  if (memoryText !== undefined && memory === undefined) {
    throw clientException(`Invalid 'memory' setting for task.`);
  }
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}

function validateFargate(
  input: Input,
  networkMode: string | undefined,
  cpu: string | undefined,
  memory: string | undefined,
  containers: readonly JsonObject[],
): void {
  if (networkMode !== 'awsvpc')
    throw clientException('Fargate only supports network mode \u2018awsvpc\u2019.');
  if (cpu === undefined) throw clientException(`Fargate requires that 'cpu' be defined at the task level.`);
  if (memory === undefined)
    throw clientException(`Fargate requires that 'memory' be defined at the task level.`);
  if (!isValidFargateSize(Number(cpu), Number(memory))) {
    throw clientException(`No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory.`);
  }
  for (const container of containers) {
    if (container.links !== undefined) {
      throw clientException(`Fargate does not support the 'links' container parameter.`);
    }
  }
  validateFargateFeatures(input, containers);
}

// Fargate compatibility ECS reports in `compatibilities` even when not requested.
function fargateCompatible(networkMode: string | undefined, cpu?: string, memory?: string): boolean {
  return (
    networkMode === 'awsvpc' &&
    cpu !== undefined &&
    memory !== undefined &&
    isValidFargateSize(Number(cpu), Number(memory))
  );
}

export function registerTaskDefinition(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, clientException);
  const family = input.string('family');
  if (family === undefined || family === '') throw clientException('Family must not be null or empty.');
  if (!FAMILY.test(family)) {
    throw clientException(
      'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const rawContainers = input.objects('containerDefinitions');
  if (!rawContainers || rawContainers.length === 0) {
    throw clientException('Container list cannot be empty.');
  }
  const networkMode = input.string('networkMode');
  if (networkMode !== undefined && !NETWORK_MODES.has(networkMode)) {
    throw clientException(`Invalid networkMode '${networkMode}'.`);
  }
  const requires = input.strings('requiresCompatibilities') ?? [];
  for (const item of requires) {
    if (!COMPATIBILITIES.has(item)) throw clientException(`Invalid requiresCompatibilities value: ${item}.`);
  }
  const { cpu, memory } = parseTaskSize(input);
  const names = new Set<string>();
  const containers = rawContainers.map((raw) => {
    const container = normalizeContainer(raw, { networkMode, taskMemory: memory });
    const name = String(container.name);
    if (names.has(name)) throw clientException(`Duplicate container name: '${name}'.`);
    names.add(name);
    return container;
  });
  for (const container of containers) {
    for (const dependency of (container.dependsOn as JsonObject[] | undefined) ?? []) {
      if (!names.has(String(dependency.containerName))) {
        throw clientException(
          `Container '${String(dependency.containerName)}' referenced in dependsOn does not exist.`,
        );
      }
    }
  }
  if (!containers.some((container) => container.essential === true)) {
    throw clientException('A task definition must have at least one essential container.');
  }
  if (requires.includes('FARGATE')) validateFargate(input, networkMode, cpu, memory, containers);
  const tags = parseTags(input.raw('tags'));
  if (tags.length > MAX_TAGS)
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);

  const revisions = ctx.region.taskDefinitions[family] ?? [];
  const revision = revisions.length + 1;
  const arn = taskDefinitionArn(ctx, family, revision);
  const compatibilities = ['EC2'];
  if (
    networkMode === undefined ||
    networkMode === 'bridge' ||
    networkMode === 'host' ||
    networkMode === 'none'
  ) {
    compatibilities.unshift('EXTERNAL');
  }
  if (fargateCompatible(networkMode, cpu, memory)) compatibilities.push('FARGATE');
  const echoed: Record<string, Json | undefined> = {};
  for (const member of ECHOED) echoed[member] = clone(input.raw(member));
  const taskDefinition = compact({
    taskDefinitionArn: arn,
    containerDefinitions: containers,
    family,
    ...echoed,
    networkMode,
    revision,
    volumes: normalizeVolumes(input.objects('volumes') ?? []),
    status: 'ACTIVE',
    requiresAttributes: requiresAttributes(containers, {
      networkMode,
      taskRoleArn: input.string('taskRoleArn'),
      executionRoleArn: input.string('executionRoleArn'),
    }),
    placementConstraints: clone(input.objects('placementConstraints')) ?? [],
    compatibilities,
    requiresCompatibilities: requires.length > 0 ? [...requires] : undefined,
    cpu,
    memory,
    registeredAt: epochSeconds(ctx.nowMs),
    registeredBy: ctx.principal,
    enableFaultInjection: input.boolean('enableFaultInjection') ?? false,
  });
  const record: TaskDefinitionRecord = { taskDefinition, family, revision, status: 'ACTIVE' };
  revisions.push(record);
  ctx.region.taskDefinitions[family] = revisions;
  setTags(ctx, arn, tags);
  return compact({
    taskDefinition,
    tags: tags.length > 0 ? tagsJson(tags) : undefined,
  });
}

function describeJson(record: TaskDefinitionRecord): JsonObject {
  return { ...record.taskDefinition, status: record.status };
}

export function describeTaskDefinition(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, clientException);
  const ref = input.string('taskDefinition');
  if (ref === undefined || ref === '') throw clientException('TaskDefinition can not be blank.');
  const record = resolveTaskDefinition(ctx, ref);
  if (!record) throw clientException('Unable to describe task definition.');
  const include = input.strings('include') ?? [];
  const arn = String(record.taskDefinition.taskDefinitionArn);
  return compact({
    taskDefinition: describeJson(record),
    tags: include.includes('TAGS') ? tagsJson(tagsOf(ctx, arn)) : undefined,
  });
}

function statusFilter(input: Input, allowed: readonly string[], fallback: string): string {
  const status = input.string('status') ?? fallback;
  if (!allowed.includes(status)) throw invalidParameter(`Invalid status: ${status}.`);
  return status;
}

export function listTaskDefinitions(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const prefix = input.string('familyPrefix');
  const status = statusFilter(input, ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'], 'ACTIVE');
  const sort = input.string('sort') ?? 'ASC';
  if (sort !== 'ASC' && sort !== 'DESC') throw invalidParameter(`Invalid sort: ${sort}.`);
  const families = Object.keys(ctx.region.taskDefinitions)
    .filter((family) => prefix === undefined || family === prefix)
    .sort();
  const arns: string[] = [];
  for (const family of families) {
    for (const record of ctx.region.taskDefinitions[family] ?? []) {
      if (record.status === status) arns.push(String(record.taskDefinition.taskDefinitionArn));
    }
  }
  if (sort === 'DESC') arns.reverse();
  const page = paginate(arns, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ taskDefinitionArns: page.items, nextToken: page.nextToken });
}

export function listTaskDefinitionFamilies(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const prefix = input.string('familyPrefix') ?? '';
  const status = statusFilter(input, ['ACTIVE', 'INACTIVE', 'ALL'], 'ACTIVE');
  const families = Object.entries(ctx.region.taskDefinitions)
    .filter(([family]) => family.startsWith(prefix))
    .filter(([, revisions]) => {
      const active = revisions.some((record) => record.status === 'ACTIVE');
      if (status === 'ALL') return true;
      return status === 'ACTIVE' ? active : !active;
    })
    .map(([family]) => family)
    .sort();
  const page = paginate(families, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ families: page.items, nextToken: page.nextToken });
}

function requireRevision(ctx: OpContext, ref: string): TaskDefinitionRecord {
  const text = ref.startsWith('arn:') ? nameFromArnOrName(ref, 'task-definition') : ref;
  if (!text.includes(':')) throw clientException(`Invalid revision number. Number: ${text}`);
  const record = resolveTaskDefinition(ctx, text);
  if (!record) throw clientException('The specified task definition does not exist.');
  return record;
}

export function deregisterTaskDefinition(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, clientException);
  const ref = input.string('taskDefinition');
  if (ref === undefined || ref === '') throw clientException('TaskDefinition can not be blank.');
  const record = requireRevision(ctx, ref);
  record.status = 'INACTIVE';
  record.taskDefinition.deregisteredAt = epochSeconds(ctx.nowMs);
  return { taskDefinition: describeJson(record) };
}

export function deleteTaskDefinitions(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const refs = input.strings('taskDefinitions') ?? [];
  if (refs.length === 0) throw invalidParameter('taskDefinitions can not be empty.');
  if (refs.length > 10) throw invalidParameter('taskDefinitions can have at most 10 items.');
  const taskDefinitions: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const text = ref.startsWith('arn:') ? nameFromArnOrName(ref, 'task-definition') : ref;
    const record = text.includes(':') ? resolveTaskDefinition(ctx, text) : undefined;
    const arn = ref.startsWith('arn:')
      ? ref
      : `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:task-definition/${text}`;
    if (!record) {
      failures.push({ arn, reason: 'The specified task definition does not exist.' });
    } else if (record.status === 'ACTIVE') {
      failures.push({
        arn,
        reason:
          'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
      });
    } else {
      record.status = 'DELETE_IN_PROGRESS';
      taskDefinitions.push(describeJson(record));
    }
  }
  return { taskDefinitions, failures };
}
