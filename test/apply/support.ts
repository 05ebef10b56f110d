// Test support for apply: an emulator with a manual clock and real SDK clients, and builders for
// hand-made desired resources and ChangeSets (the diff/plan stages are tested on their own).
import { AwsCallCounter, type AwsClients, createAwsClients } from '../../controller/aws/clients.js';
import type { ResourceDiff, TaskDefinitionTarget } from '../../controller/diff/model.js';
import type {
  DesiredCluster,
  DesiredResource,
  DesiredScalingPolicy,
  DesiredService,
  DesiredTaskDefinition,
  ResourcePolicy,
} from '../../controller/manifest/model.js';
import type { ChangeSet, ChangeSetEntry } from '../../controller/plan/model.js';
import type { Action, Kind, ResourceKey } from '../../controller/types.js';
import { type RunningEmulator, startEmulator } from '../../emulator/index.js';

export interface TestWorld {
  readonly emulator: RunningEmulator;
  readonly clients: AwsClients;
  /** Advances the emulator clock instead of sleeping (pass as `sleep`). */
  readonly sleep: (ms: number) => Promise<void>;
  /** POST /_emulator/faults through the admin API. */
  fault(rule: Record<string, unknown>): Promise<void>;
  /** Emulator-side call counts, only the writes. */
  writes(): Record<string, number>;
  close(): Promise<void>;
}

const READ = /:(Describe|List)/;

export async function startWorld(options: { failImagePattern?: string } = {}): Promise<TestWorld> {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const emulator = await startEmulator({ clock: { mode: 'manual' }, ...options });
  const clients = createAwsClients(
    { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 5 },
    new AwsCallCounter(),
  );
  return {
    emulator,
    clients,
    sleep: async (ms) => {
      emulator.advance(ms / 1000);
    },
    async fault(rule) {
      const response = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (!response.ok) throw new Error(`fault rejected: ${response.status} ${await response.text()}`);
    },
    writes() {
      return Object.fromEntries(Object.entries(emulator.calls()).filter(([key]) => !READ.test(key)));
    },
    async close() {
      clients.destroy();
      await emulator.close();
    },
  };
}

export const POLICY: ResourcePolicy = { sync: true, prune: true, replaceAllowed: false, adopt: false };

function base<K extends Kind>(kind: K, name: string, policy: Partial<ResourcePolicy> = {}) {
  return {
    kind,
    name,
    key: { kind, name },
    metadata: { name },
    policy: { ...POLICY, ...policy },
    source: { file: `${kind.toLowerCase()}s/${name}.yaml`, line: 1, column: 1, documentIndex: 0 },
  };
}

export function cluster(name: string, spec: Record<string, unknown> = {}): DesiredCluster {
  return { ...base('Cluster', name), clusterName: name, spec: spec as DesiredCluster['spec'], tags: {} };
}

export function taskDefinition(
  name: string,
  image: string,
  extra: Record<string, unknown> = {},
): DesiredTaskDefinition {
  return {
    ...base('TaskDefinition', name),
    family: name,
    revisionHistoryLimit: 10,
    spec: {
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name, image, essential: true, portMappings: [{ containerPort: 80 }] }],
      ...extra,
    } as unknown as DesiredTaskDefinition['spec'],
    tags: { team: 'web' },
  };
}

export function service(
  name: string,
  clusterName: string,
  taskDefinitionName: string,
  spec: Record<string, unknown> = {},
  options: { autoscaled?: boolean; policy?: Partial<ResourcePolicy> } = {},
): DesiredService {
  return {
    ...base('Service', name, options.policy),
    serviceName: name,
    cluster: { type: 'manifest', name: clusterName, clusterName },
    taskDefinition: { type: 'manifest', name: taskDefinitionName, family: taskDefinitionName },
    autoscaled: options.autoscaled ?? false,
    spec: {
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0abc'],
          securityGroups: ['sg-0abc'],
          assignPublicIp: 'DISABLED',
        },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      ...spec,
    } as unknown as DesiredService['spec'],
    tags: { team: 'web' },
  };
}

export function scalingPolicy(
  name: string,
  clusterName: string,
  spec: Record<string, unknown> = {},
): DesiredScalingPolicy {
  return {
    ...base('ScalingPolicy', name),
    serviceName: name,
    awsServiceName: name,
    clusterName,
    resourceId: `service/${clusterName}/${name}`,
    spec: {
      service: name,
      minCapacity: 2,
      maxCapacity: 10,
      targetTracking: [
        {
          policyName: 'cpu60',
          predefinedMetricType: 'ECSServiceAverageCPUUtilization',
          targetValue: 60,
          scaleInCooldown: 120,
          scaleOutCooldown: 60,
        },
      ],
      ...spec,
    } as unknown as DesiredScalingPolicy['spec'],
  };
}

export interface EntrySpec {
  readonly action: Action;
  readonly desired?: DesiredResource;
  readonly key?: ResourceKey;
  readonly diff?: Partial<ResourceDiff>;
  readonly dependsOn?: readonly ResourceKey[];
  readonly blocked?: ChangeSetEntry['blocked'];
  readonly taskDefinition?: TaskDefinitionTarget;
}

export function entry(spec: EntrySpec): ChangeSetEntry {
  const key = spec.key ?? (spec.desired?.key as ResourceKey);
  // Assembled field by field from the spec: the caller pairs action and desired as diff/ would.
  const diff = {
    key,
    action: spec.action,
    changes: [],
    replaceReasons: [],
    ...(spec.action === 'create' ? {} : { owned: true }),
    ...(spec.desired ? { desired: spec.desired } : {}),
    ...(spec.taskDefinition ? { taskDefinition: spec.taskDefinition } : {}),
    ...spec.diff,
  } as ResourceDiff;
  return {
    key,
    action: spec.action,
    diff,
    dependsOn: spec.dependsOn ?? [],
    ...(spec.blocked ? { blocked: spec.blocked } : {}),
  };
}

export function changeSet(entries: readonly ChangeSetEntry[], revision = 'rev1'): ChangeSet {
  const count = (action: Action) => entries.filter((e) => e.action === action).length;
  return {
    revision,
    entries,
    summary: {
      create: count('create'),
      update: count('update'),
      replace: count('replace'),
      delete: count('delete'),
      adopt: count('adopt'),
      noop: count('noop'),
      blocked: entries.filter((e) => e.blocked).length,
    },
  };
}

/** The usual fleet as a fresh create: cluster → task definition → service → scaling policy. */
export function createFleet(
  names: readonly string[],
  image = 'public.ecr.aws/nginx/nginx:1.27',
): ChangeSetEntry[] {
  const entries: ChangeSetEntry[] = [entry({ action: 'create', desired: cluster('prod') })];
  for (const name of names) {
    entries.push(
      entry({
        action: 'create',
        desired: taskDefinition(name, image),
        taskDefinition: { family: name, register: true },
      }),
    );
  }
  for (const name of names) {
    entries.push(
      entry({
        action: 'create',
        desired: service(name, 'prod', name),
        taskDefinition: { family: name, register: true },
        dependsOn: [
          { kind: 'Cluster', name: 'prod' },
          { kind: 'TaskDefinition', name },
        ],
      }),
    );
  }
  return entries;
}
