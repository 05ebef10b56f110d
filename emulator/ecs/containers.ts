// Container definitions: validation and the defaults ECS writes into them on registration,
// and the requiresAttributes ECS derives from the features a task definition uses.
import type { Json, JsonObject } from '../state.js';
import { clientException } from '../wire/errors.js';
import { clone } from '../wire/input.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const PROTOCOLS = new Set(['tcp', 'udp']);

export interface ContainerContext {
  readonly networkMode: string | undefined;
  readonly taskMemory: string | undefined;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalizePortMapping(raw: Json, containerName: string, networkMode: string | undefined): JsonObject {
  if (!isObject(raw)) throw clientException('portMappings must be a list of objects.');
  const mapping = clone(raw);
  const containerPort = mapping.containerPort;
  const hasRange = typeof mapping.containerPortRange === 'string';
  if (!hasRange && (typeof containerPort !== 'number' || !Number.isInteger(containerPort))) {
    throw clientException(`Invalid 'containerPort' setting for container '${containerName}'.`);
  }
  if (typeof containerPort === 'number' && (containerPort < 1 || containerPort > 65535)) {
    throw clientException(`Invalid 'containerPort' setting for container '${containerName}'.`);
  }
  const protocol = mapping.protocol ?? 'tcp';
  if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) {
    throw clientException(`Invalid 'protocol' setting for container '${containerName}'.`);
  }
  mapping.protocol = protocol;
  if (networkMode === 'awsvpc' || networkMode === 'host') {
    if (mapping.hostPort !== undefined && mapping.hostPort !== containerPort && !hasRange) {
      throw clientException(
        `When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`,
      );
    }
    if (!hasRange) mapping.hostPort = containerPort as number;
  } else if (!hasRange && mapping.hostPort === undefined) {
    // Bridge mode: an omitted host port means a dynamic one, which ECS reports as 0.
    mapping.hostPort = 0;
  }
  return mapping;
}

function normalizeHealthCheck(raw: Json | undefined, containerName: string): JsonObject | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw) || !Array.isArray(raw.command) || raw.command.length === 0) {
    throw clientException(`Invalid 'healthCheck' setting for container '${containerName}'.`);
  }
  return { interval: 30, timeout: 5, retries: 3, ...clone(raw) };
}

/** A container definition as DescribeTaskDefinition returns it. */
export function normalizeContainer(raw: JsonObject, context: ContainerContext): JsonObject {
  const name = raw.name;
  if (typeof name !== 'string' || name === '')
    throw clientException('Container.name should not be null or empty.');
  if (!NAME.test(name)) {
    throw clientException(
      `Container name '${name}' is invalid. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`,
    );
  }
  const image = raw.image;
  if (typeof image !== 'string' || image.trim() === '') {
    throw clientException('Container.image should not be null or empty.');
  }
  const memory = raw.memory;
  const reservation = raw.memoryReservation;
  if (context.taskMemory === undefined && memory === undefined && reservation === undefined) {
    throw clientException(
      `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  if (typeof memory === 'number' && typeof reservation === 'number' && reservation > memory) {
    throw clientException(
      `Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
    );
  }
  if (typeof memory === 'number' && memory < 6) {
    throw clientException(`Invalid 'memory' setting for container '${name}'. Minimum is 6 MiB.`);
  }
  const container = clone(raw);
  container.cpu = typeof raw.cpu === 'number' ? raw.cpu : 0;
  container.essential = typeof raw.essential === 'boolean' ? raw.essential : true;
  const mappings = raw.portMappings;
  if (mappings !== undefined && mappings !== null && !Array.isArray(mappings)) {
    throw clientException('portMappings must be a list.');
  }
  container.portMappings = (mappings ?? []).map((mapping) =>
    normalizePortMapping(mapping, name, context.networkMode),
  );
  container.environment = clone((raw.environment as Json[] | undefined) ?? []);
  container.mountPoints = clone((raw.mountPoints as Json[] | undefined) ?? []);
  container.volumesFrom = clone((raw.volumesFrom as Json[] | undefined) ?? []);
  container.systemControls = clone((raw.systemControls as Json[] | undefined) ?? []);
  const healthCheck = normalizeHealthCheck(raw.healthCheck, name);
  if (healthCheck) container.healthCheck = healthCheck;
  if (isObject(raw.logConfiguration)) {
    const log = clone(raw.logConfiguration);
    if (typeof log.logDriver !== 'string') {
      throw clientException(`Invalid 'logConfiguration' setting for container '${name}'.`);
    }
    container.logConfiguration = log;
  }
  return container;
}

function push(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

/** The capabilities ECS infers from the features used (informational; the diff drops them). */
export function requiresAttributes(
  containers: readonly JsonObject[],
  task: {
    networkMode?: string | undefined;
    taskRoleArn?: string | undefined;
    executionRoleArn?: string | undefined;
  },
): JsonObject[] {
  const names: string[] = [];
  for (const container of containers) {
    const log = container.logConfiguration as JsonObject | undefined;
    if (log?.logDriver === 'awslogs') {
      push(names, 'com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (task.executionRoleArn) push(names, 'ecs.capability.execution-role-awslogs');
      push(names, 'com.amazonaws.ecs.capability.docker-remote-api.1.19');
    }
    if (task.executionRoleArn && /\.dkr\.ecr\./.test(String(container.image))) {
      push(names, 'com.amazonaws.ecs.capability.ecr-auth');
      push(names, 'ecs.capability.execution-role-ecr-pull');
    }
    const secrets = (container.secrets as JsonObject[] | undefined) ?? [];
    if (secrets.some((secret) => String(secret.valueFrom).includes(':secretsmanager:'))) {
      push(names, 'ecs.capability.secrets.asm.environment-variables');
    }
    if (secrets.some((secret) => !String(secret.valueFrom).includes(':secretsmanager:'))) {
      push(names, 'ecs.capability.secrets.ssm.environment-variables');
    }
    if (container.healthCheck) {
      push(names, 'com.amazonaws.ecs.capability.docker-remote-api.1.24');
      push(names, 'ecs.capability.container-health-check');
    }
    if (container.dependsOn) push(names, 'ecs.capability.container-ordering');
    if (container.dockerLabels) push(names, 'com.amazonaws.ecs.capability.docker-remote-api.1.18');
  }
  if (task.taskRoleArn) push(names, 'com.amazonaws.ecs.capability.task-iam-role');
  if (task.networkMode === 'awsvpc') {
    push(names, 'com.amazonaws.ecs.capability.docker-remote-api.1.18');
    push(names, 'ecs.capability.task-eni');
  }
  return names.map((name) => ({ name }));
}
