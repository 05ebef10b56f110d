// A whole task definition: RegisterTaskDefinition input (desired) or DescribeTaskDefinition output
// (live) → the comparable form. Server-only fields (revision, status, taskDefinitionArn,
// registeredAt/By, requiresAttributes, compatibilities, deregisteredAt) are dropped because only
// the input fields are kept.
import { normalizeContainerDefinition } from './container-definition.js';
import { sortByKey, sortScalars } from './sort.js';
import { normalizeTaskCpu, normalizeTaskMemory } from './units.js';
import { asObject, dropAbsent, dropDefault, isPlainObject, type PlainObject, pick } from './values.js';

/** RegisterTaskDefinition input fields, minus tags (compared as a map) and family (the identity). */
export const TASK_DEFINITION_FIELDS = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const;

/** Fields ECS reports but a manifest cannot set. Listed for documentation and tests. */
export const TASK_DEFINITION_SERVER_FIELDS = [
  'taskDefinitionArn',
  'family',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** ECS's default network mode on Linux EC2 is bridge; absent and "bridge" are the same thing. */
export function effectiveNetworkMode(spec: PlainObject): string {
  return typeof spec.networkMode === 'string' && spec.networkMode !== '' ? spec.networkMode : 'bridge';
}

/** Volumes: `host: {}` means "Docker-managed", EFS defaults (root "/", transit encryption and IAM off), docker scope "task". */
export function normalizeVolume(raw: PlainObject): PlainObject {
  const volume: PlainObject = { ...raw };
  if (isPlainObject(volume.efsVolumeConfiguration)) {
    const efs: PlainObject = { ...volume.efsVolumeConfiguration };
    dropDefault(efs, 'rootDirectory', '/');
    dropDefault(efs, 'transitEncryption', 'DISABLED');
    if (isPlainObject(efs.authorizationConfig)) {
      const auth: PlainObject = { ...efs.authorizationConfig };
      dropDefault(auth, 'iam', 'DISABLED');
      efs.authorizationConfig = auth;
    }
    volume.efsVolumeConfiguration = efs;
  }
  if (isPlainObject(volume.dockerVolumeConfiguration)) {
    const docker: PlainObject = { ...volume.dockerVolumeConfiguration };
    dropDefault(docker, 'scope', 'task');
    dropDefault(docker, 'autoprovision', false);
    volume.dockerVolumeConfiguration = docker;
  }
  dropDefault(volume, 'configuredAtLaunch', false);
  return volume;
}

/** The comparable form of a task definition's content (what a registration would change). */
export function normalizeTaskDefinition(raw: PlainObject): PlainObject {
  const spec = pick(raw, TASK_DEFINITION_FIELDS);
  const networkMode = effectiveNetworkMode(spec);
  spec.networkMode = networkMode;
  spec.containerDefinitions = sortByKey(
    (Array.isArray(spec.containerDefinitions) ? spec.containerDefinitions : [])
      .filter(isPlainObject)
      .map((container) => normalizeContainerDefinition(container, networkMode)),
    (container) => String(container.name ?? ''),
  );
  if (Array.isArray(spec.volumes)) {
    spec.volumes = sortByKey(spec.volumes.filter(isPlainObject).map(normalizeVolume), (v) =>
      String(v.name ?? ''),
    );
  }
  if (Array.isArray(spec.placementConstraints)) {
    spec.placementConstraints = sortByKey(
      spec.placementConstraints.filter(isPlainObject),
      (c) => `${String(c.type)}|${String(c.expression ?? '')}`,
    );
  }
  if (Array.isArray(spec.inferenceAccelerators)) {
    spec.inferenceAccelerators = sortByKey(spec.inferenceAccelerators.filter(isPlainObject), (a) =>
      String(a.deviceName ?? ''),
    );
  }
  spec.requiresCompatibilities = sortScalars(spec.requiresCompatibilities);
  // Registering without requiresCompatibilities means EC2.
  dropDefault(spec, 'requiresCompatibilities', ['EC2']);
  if (spec.cpu !== undefined) spec.cpu = normalizeTaskCpu(spec.cpu);
  if (spec.memory !== undefined) spec.memory = normalizeTaskMemory(spec.memory);
  dropDefault(spec, 'enableFaultInjection', false);
  if (isPlainObject(spec.proxyConfiguration)) {
    const proxy: PlainObject = { ...spec.proxyConfiguration };
    dropDefault(proxy, 'type', 'APPMESH');
    if (Array.isArray(proxy.properties)) {
      proxy.properties = sortByKey(proxy.properties.filter(isPlainObject), (p) => String(p.name ?? ''));
    }
    spec.proxyConfiguration = proxy;
  }
  return asObject(dropAbsent(spec));
}
