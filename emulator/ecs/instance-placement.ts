// Task placement on EC2 container instances, as the ECS scheduler does it: candidate instances
// (ACTIVE, of the task's capacity provider), then placement constraints (distinctInstance, memberOf
// in the cluster query language, the task definition's requiresAttributes), then CPU, memory and
// host ports; the strategies (binpack, spread, random) order what is left. A task that fits nowhere
// gets ECS's reason naming the closest matching instance.
import type { OpContext } from '../context.js';
import type { ContainerInstanceRecord, InstanceResources, JsonObject } from '../state.js';
import { invalidParameter } from '../wire/errors.js';
import { clusterInstances, remainingOf, tasksOn } from './container-instances.js';
import { compileQuery } from './query-language.js';

export interface PlacementRequest {
  readonly clusterName: string;
  readonly needs: InstanceResources;
  /** Service / RunTask constraints plus the task definition's. */
  readonly constraints: readonly JsonObject[];
  readonly strategy: readonly JsonObject[];
  /** The task group (`service:web`, `family:web`): distinctInstance and spread count within it. */
  readonly group: string;
  /** Only instances of this capacity provider (undefined: any instance, the EC2 launch type). */
  readonly capacityProviderName?: string;
  readonly requiredAttributes: readonly string[];
}

export type PlacementOutcome =
  | { readonly placed: ContainerInstanceRecord }
  | {
      readonly placed?: undefined;
      /** The sentence after "…no container instance met all of its requirements." */
      readonly reason: string;
      /** RunTask's failure reason (RESOURCE:MEMORY, ATTRIBUTE, …). */
      readonly failure: string;
      /** True when more capacity would help (managed scaling reacts to these). */
      readonly needsCapacity: boolean;
      /** The instance that came closest (none when the cluster has no ACTIVE instance). */
      readonly closest?: ContainerInstanceRecord;
    };

export const NO_INSTANCES = 'Reason: No Container Instances were found in your cluster.';

/** Default service strategy: spread across Availability Zones, then across instances (ECS default). */
export const SERVICE_DEFAULT_STRATEGY: readonly JsonObject[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

/** CPU, memory (reservation, else the hard limit) and static host ports a task reserves. */
export function taskNeeds(definition: JsonObject): InstanceResources {
  const containers = (definition.containerDefinitions as JsonObject[] | undefined) ?? [];
  const networkMode = String(definition.networkMode ?? 'bridge');
  const sum = (pick: (c: JsonObject) => number) => containers.reduce((total, c) => total + pick(c), 0);
  const cpu = definition.cpu !== undefined ? Number(definition.cpu) : sum((c) => Number(c.cpu ?? 0));
  const memory =
    definition.memory !== undefined
      ? Number(definition.memory)
      : sum((c) => Number(c.memoryReservation ?? c.memory ?? 0));
  const ports: string[] = [];
  const portsUdp: string[] = [];
  if (networkMode !== 'awsvpc') {
    for (const container of containers) {
      for (const mapping of (container.portMappings as JsonObject[] | undefined) ?? []) {
        const hostPort = networkMode === 'host' ? mapping.containerPort : mapping.hostPort;
        if (typeof hostPort !== 'number' || hostPort === 0) continue; // dynamic: from the ephemeral range
        (mapping.protocol === 'udp' ? portsUdp : ports).push(String(hostPort));
      }
    }
  }
  return { cpu, memory, ports, portsUdp };
}

/** The attribute names the task definition requires of an instance. */
export function requiredAttributeNames(definition: { taskDefinition: JsonObject }): string[] {
  const list = (definition.taskDefinition.requiresAttributes as JsonObject[] | undefined) ?? [];
  return list.map((attribute) => String(attribute.name));
}

type Check = 'constraint' | 'attribute' | 'cpu' | 'memory' | 'ports';
const CHECKS: readonly Check[] = ['constraint', 'attribute', 'cpu', 'memory', 'ports'];

const REASONS: Record<Check, { text: string; failure: string; capacity: boolean }> = {
  constraint: {
    text: 'does not match the placement constraints of your task',
    failure: 'ATTRIBUTE',
    capacity: false,
  },
  attribute: { text: 'is missing an attribute required by your task', failure: 'ATTRIBUTE', capacity: false },
  cpu: { text: 'has insufficient CPU units available', failure: 'RESOURCE:CPU', capacity: true },
  memory: { text: 'has insufficient memory available', failure: 'RESOURCE:MEMORY', capacity: true },
  ports: { text: 'is already using a port required by your task', failure: 'RESOURCE:PORTS', capacity: true },
};

function groupsOn(ctx: OpContext, instance: ContainerInstanceRecord): string[] {
  return tasksOn(ctx, instance)
    .filter((task) => task.desiredStatus === 'RUNNING')
    .map((task) => task.group);
}

/** Validates placement constraints and strategies as CreateService / RunTask do. */
export function validatePlacementRules(constraints: readonly JsonObject[], strategy: readonly JsonObject[]) {
  if (constraints.length > 10) throw invalidParameter('placementConstraints can have at most 10 items.');
  for (const constraint of constraints) {
    if (constraint.type === 'distinctInstance') {
      if (constraint.expression !== undefined && constraint.expression !== null) {
        throw invalidParameter('An expression is not valid for the distinctInstance placement constraint.');
      }
    } else if (constraint.type === 'memberOf') {
      if (typeof constraint.expression !== 'string' || constraint.expression === '') {
        throw invalidParameter('An expression is required for the memberOf placement constraint.');
      }
      compileQuery(constraint.expression);
    } else {
      throw invalidParameter(`Invalid placement constraint type: ${String(constraint.type)}.`);
    }
  }
  if (strategy.length > 5) throw invalidParameter('placementStrategy can have at most 5 items.');
  for (const item of strategy) {
    if (item.type === 'binpack') {
      if (item.field !== 'cpu' && item.field !== 'memory') {
        throw invalidParameter('The binpack placement strategy field must be cpu or memory.');
      }
    } else if (item.type === 'spread') {
      if (typeof item.field !== 'string' || item.field === '') {
        throw invalidParameter('The spread placement strategy requires a field.');
      }
    } else if (item.type !== 'random') {
      throw invalidParameter(`Invalid placement strategy type: ${String(item.type)}.`);
    }
  }
}

function firstFailure(
  ctx: OpContext,
  instance: ContainerInstanceRecord,
  request: PlacementRequest,
): Check | undefined {
  const groups = groupsOn(ctx, instance);
  for (const constraint of request.constraints) {
    if (constraint.type === 'distinctInstance' && groups.includes(request.group)) return 'constraint';
    if (constraint.type === 'memberOf' && typeof constraint.expression === 'string') {
      if (!compileQuery(constraint.expression)(instance, { groups })) return 'constraint';
    }
  }
  const names = new Set(instance.attributes.map((a) => a.name));
  if (request.requiredAttributes.some((name) => !names.has(name))) return 'attribute';
  const remaining = remainingOf(ctx, instance);
  if (request.needs.cpu > remaining.cpu) return 'cpu';
  if (request.needs.memory > remaining.memory) return 'memory';
  if (request.needs.ports.some((port) => remaining.ports.includes(port))) return 'ports';
  if (request.needs.portsUdp.some((port) => remaining.portsUdp.includes(port))) return 'ports';
  return undefined;
}

/** Why this one instance cannot take the task (StartTask's failure reason), or undefined. */
export function instanceProblem(
  ctx: OpContext,
  instance: ContainerInstanceRecord,
  request: PlacementRequest,
): string | undefined {
  if (instance.status !== 'ACTIVE') return 'DRAINING';
  const failed = firstFailure(ctx, instance, request);
  return failed ? REASONS[failed].failure : undefined;
}

function fieldValue(instance: ContainerInstanceRecord, field: string): string {
  if (field === 'instanceId' || field === 'host') return instance.id;
  if (field.startsWith('attribute:')) {
    const name = field.slice('attribute:'.length);
    return instance.attributes.find((a) => a.name === name)?.value ?? '';
  }
  return '';
}

function orderCandidates(
  ctx: OpContext,
  candidates: ContainerInstanceRecord[],
  all: readonly ContainerInstanceRecord[],
  request: PlacementRequest,
): ContainerInstanceRecord[] {
  const keys = new Map<ContainerInstanceRecord, number[]>();
  for (const instance of candidates) {
    const key: number[] = [];
    for (const item of request.strategy) {
      if (item.type === 'binpack') {
        const remaining = remainingOf(ctx, instance);
        key.push(item.field === 'cpu' ? remaining.cpu : remaining.memory);
      } else if (item.type === 'spread') {
        const field = String(item.field);
        const value = fieldValue(instance, field);
        const peers = all.filter((other) => fieldValue(other, field) === value);
        key.push(
          peers.reduce((n, peer) => n + groupsOn(ctx, peer).filter((g) => g === request.group).length, 0),
        );
      } else {
        key.push(Math.random());
      }
    }
    keys.set(instance, key);
  }
  return [...candidates].sort((a, b) => {
    const ka = keys.get(a) ?? [];
    const kb = keys.get(b) ?? [];
    for (let i = 0; i < ka.length; i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0; // stable: registration order breaks ties
  });
}

/** Picks the instance for one task, or says why none fits. */
export function placeOnInstance(ctx: OpContext, request: PlacementRequest): PlacementOutcome {
  const all = clusterInstances(ctx, request.clusterName).filter(
    (instance) =>
      request.capacityProviderName === undefined ||
      instance.capacityProviderName === request.capacityProviderName,
  );
  const active = all.filter((instance) => instance.status === 'ACTIVE' && instance.agentConnected);
  if (active.length === 0) {
    return { reason: NO_INSTANCES, failure: 'MISSING', needsCapacity: true };
  }
  const fits: ContainerInstanceRecord[] = [];
  let closest: { instance: ContainerInstanceRecord; check: Check } | undefined;
  for (const instance of active) {
    const failed = firstFailure(ctx, instance, request);
    if (failed === undefined) {
      fits.push(instance);
      continue;
    }
    if (!closest || CHECKS.indexOf(failed) > CHECKS.indexOf(closest.check))
      closest = { instance, check: failed };
  }
  const best = orderCandidates(ctx, fits, all, request)[0];
  if (best) return { placed: best };
  const found = closest as { instance: ContainerInstanceRecord; check: Check };
  const why = REASONS[found.check];
  return {
    reason: `The closest matching (container-instance ${found.instance.id}) ${why.text}.`,
    failure: why.failure,
    needsCapacity: why.capacity,
    closest: found.instance,
  };
}

export function unplacedMessage(serviceName: string, reason: string): string {
  return `(service ${serviceName}) was unable to place a task because no container instance met all of its requirements. ${reason} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`;
}
