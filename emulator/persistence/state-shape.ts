// The inner structure of a state file, checked on load. JSON that parses but holds, say, a string
// where a service's deployments should be would otherwise load fine and make every later call
// answer 500; it is refused up front, naming the first bad path, and the file is left untouched.
import { emptyRegion, type RegionState } from '../state.js';

type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'object'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly oneOf: readonly string[] }
  | { readonly fields: Readonly<Record<string, Shape>>; readonly optional?: Readonly<Record<string, Shape>> };

const TAG: Shape = { fields: { key: 'string', value: 'string' } };

const CLUSTER: Shape = {
  fields: {
    clusterArn: 'string',
    clusterName: 'string',
    status: { oneOf: ['ACTIVE', 'INACTIVE'] },
    settings: { list: { fields: { name: 'string', value: 'string' } } },
    capacityProviders: { list: 'string' },
    defaultCapacityProviderStrategy: { list: 'object' },
  },
  optional: { configuration: 'object', serviceConnectDefaults: 'object', deletedAtMs: 'number' },
};

const TASK_DEFINITION: Shape = {
  fields: {
    taskDefinition: 'object',
    family: 'string',
    revision: 'number',
    status: { oneOf: ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] },
  },
};

const DEPLOYMENT: Shape = {
  fields: {
    id: 'string',
    status: { oneOf: ['PRIMARY', 'ACTIVE', 'INACTIVE'] },
    taskDefinition: 'string',
    desiredCount: 'number',
    pendingCount: 'number',
    runningCount: 'number',
    failedTasks: 'number',
    createdAt: 'number',
    updatedAt: 'number',
    rolloutState: { oneOf: ['IN_PROGRESS', 'COMPLETED', 'FAILED'] },
    rolloutStateReason: 'string',
  },
  optional: {
    launchType: 'string',
    capacityProviderStrategy: { list: 'object' },
    platformVersion: 'string',
    platformFamily: 'string',
    networkConfiguration: 'object',
  },
};

const SERVICE: Shape = {
  fields: {
    service: 'object',
    serviceArn: 'string',
    serviceName: 'string',
    clusterName: 'string',
    status: { oneOf: ['ACTIVE', 'DRAINING', 'INACTIVE'] },
    desiredCount: 'number',
    taskDefinition: 'string',
    deployments: { list: DEPLOYMENT },
    events: { list: { fields: { id: 'string', createdAt: 'number', message: 'string' } } },
    createRequestHash: 'string',
    steady: 'boolean',
  },
  optional: {
    clientToken: 'string',
    lastCompleted: { fields: { deploymentId: 'string', taskDefinition: 'string' } },
    deletedAtMs: 'number',
  },
};

const TASK: Shape = {
  fields: {
    task: 'object',
    taskId: 'string',
    taskArn: 'string',
    clusterName: 'string',
    group: 'string',
    lastStatus: {
      oneOf: [
        'PROVISIONING',
        'PENDING',
        'ACTIVATING',
        'RUNNING',
        'DEACTIVATING',
        'STOPPING',
        'DEPROVISIONING',
        'STOPPED',
      ],
    },
    desiredStatus: { oneOf: ['RUNNING', 'STOPPED'] },
    willFail: 'boolean',
  },
  optional: {
    serviceName: 'string',
    deploymentId: 'string',
    nextAtMs: 'number',
    stoppedAtMs: 'number',
    runningAtMs: 'number',
    exits: { list: 'object' },
  },
};

const AUTOSCALING_IDENTITY = {
  resourceId: 'string',
  scalableDimension: 'string',
  serviceNamespace: 'string',
} as const;

/**
 * Region collections with their shapes; a collection missing from an older file starts empty. A
 * collection without a shape here is loaded as it is: add its shape when adding it to RegionState.
 */
const REGION: Readonly<Partial<Record<keyof RegionState, Shape>>> = {
  clusters: { map: CLUSTER },
  taskDefinitions: { map: { list: TASK_DEFINITION } },
  services: { map: { list: SERVICE } },
  tasks: { map: TASK },
  tags: { map: { list: TAG } },
  scalableTargets: { list: { fields: { target: 'object', arn: 'string', ...AUTOSCALING_IDENTITY } } },
  scalingPolicies: { list: { fields: { policy: 'object', policyName: 'string', ...AUTOSCALING_IDENTITY } } },
  scheduledActions: {
    list: { fields: { action: 'object', scheduledActionName: 'string', ...AUTOSCALING_IDENTITY } },
  },
  autoscalingTags: { map: { map: 'string' } },
  events: { fields: { buses: { map: 'object' }, received: { list: 'object' } } },
  runTaskTokens: { map: { fields: { requestHash: 'string', result: 'object', atMs: 'number' } } },
  scheduler: {
    fields: {
      groups: { map: 'object' },
      schedules: {
        map: { fields: { schedule: 'object', createdMs: 'number' }, optional: { nextAtMs: 'number' } },
      },
      tags: { map: { list: { fields: { Key: 'string', Value: 'string' } } } },
      invocations: { list: 'object' },
    },
  },
  containerInstances: {
    map: {
      fields: {
        id: 'string',
        arn: 'string',
        clusterName: 'string',
        ec2InstanceId: 'string',
        status: {
          oneOf: ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE'],
        },
        registered: 'object',
        attributes: { list: { fields: { name: 'string' }, optional: { value: 'string' } } },
        versionInfo: 'object',
        registeredAtMs: 'number',
        agentConnected: 'boolean',
        version: 'number',
      },
      optional: { statusReason: 'string', capacityProviderName: 'string', deregisteredAtMs: 'number' },
    },
  },
  capacityProviders: {
    map: {
      fields: {
        name: 'string',
        arn: 'string',
        status: { oneOf: ['ACTIVE', 'INACTIVE'] },
        type: { oneOf: ['EC2_AUTOSCALING', 'MANAGED_INSTANCES'] },
      },
      optional: {
        cluster: 'string',
        autoScalingGroupProvider: 'object',
        managedInstancesProvider: 'object',
        updateStatus: 'string',
        updateStatusReason: 'string',
        deletedAtMs: 'number',
      },
    },
  },
  accountSettings: { fields: { defaults: { map: 'string' }, principals: { map: { map: 'string' } } } },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The first place where `value` does not have `shape`, as `path: expected …, got …`. */
function mismatch(value: unknown, shape: Shape, path: string): string | undefined {
  if (shape === 'string' || shape === 'boolean') {
    return typeof value === shape ? undefined : `${path}: expected a ${shape}, got ${describe(value)}`;
  }
  if (shape === 'number') {
    return typeof value === 'number' && Number.isFinite(value)
      ? undefined
      : `${path}: expected a number, got ${describe(value)}`;
  }
  if (shape === 'object')
    return isObject(value) ? undefined : `${path}: expected an object, got ${describe(value)}`;
  if ('oneOf' in shape) {
    return typeof value === 'string' && shape.oneOf.includes(value)
      ? undefined
      : `${path}: expected one of ${shape.oneOf.join(', ')}, got ${describe(value)}`;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return `${path}: expected a list, got ${describe(value)}`;
    for (let i = 0; i < value.length; i++) {
      const found = mismatch(value[i], shape.list, join(path, i));
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return `${path}: expected an object, got ${describe(value)}`;
  if ('map' in shape) {
    for (const [key, item] of Object.entries(value)) {
      const found = mismatch(item, shape.map, join(path, key));
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, field] of Object.entries(shape.fields)) {
    if (!(key in value)) return `${join(path, key)}: missing`;
    const found = mismatch(value[key], field, join(path, key));
    if (found) return found;
  }
  for (const [key, field] of Object.entries(shape.optional ?? {})) {
    if (value[key] === undefined) continue;
    const found = mismatch(value[key], field, join(path, key));
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks every region of a parsed state file (filling collections an older file lacks) and returns
 * the first problem, or undefined when the state is usable.
 */
export function checkRegions(regions: Record<string, unknown>): string | undefined {
  for (const [name, region] of Object.entries(regions)) {
    const path = `regions.${name}`;
    if (!isObject(region)) return `${path}: expected an object, got ${describe(region)}`;
    const empty = emptyRegion() as unknown as Record<string, unknown>;
    for (const [collection, shape] of Object.entries(REGION) as Array<[string, Shape]>) {
      if (region[collection] === undefined) {
        // Optional collections (created on first use) stay absent.
        if (empty[collection] !== undefined) region[collection] = empty[collection];
        continue;
      }
      const found = mismatch(region[collection], shape, join(path, collection));
      if (found) return found;
    }
  }
  return undefined;
}
