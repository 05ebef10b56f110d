// A whole task definition: RegisterTaskDefinition input (desired) or DescribeTaskDefinition output
// (live) → the comparable form. Server-only fields (revision, status, taskDefinitionArn,
// registeredAt/By, requiresAttributes, compatibilities, deregisteredAt) are dropped because only
// the input fields are kept.
import { normalizeContainerDefinition } from './container-definition.js';
import {
  DOCKER_VOLUME_DEFAULTS,
  dropDefaults,
  EFS_AUTHORIZATION_DEFAULTS,
  EFS_VOLUME_DEFAULTS,
  PROXY_CONFIGURATION_DEFAULTS,
  TASK_DEFINITION_DEFAULTS,
  VOLUME_DEFAULTS,
} from './defaults.js';
import { sortByKey, sortScalars } from './sort.js';
import { normalizeTaskCpu, normalizeTaskMemory } from './units.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject, pick } from './values.js';

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
  return typeof spec.networkMode === 'string' && spec.networkMode !== ''
    ? spec.networkMode
    : String(TASK_DEFINITION_DEFAULTS.networkMode);
}

/** Volumes: `host: {}` means "Docker-managed", EFS defaults (root "/", transit encryption and IAM off), docker scope "task". */
export function normalizeVolume(raw: PlainObject): PlainObject {
  const volume: PlainObject = { ...raw };
  if (isPlainObject(volume.efsVolumeConfiguration)) {
    const efs: PlainObject = { ...volume.efsVolumeConfiguration };
    dropDefaults(efs, EFS_VOLUME_DEFAULTS);
    if (isPlainObject(efs.authorizationConfig)) {
      const auth: PlainObject = { ...efs.authorizationConfig };
      dropDefaults(auth, EFS_AUTHORIZATION_DEFAULTS);
      efs.authorizationConfig = auth;
    }
    volume.efsVolumeConfiguration = efs;
  }
  if (isPlainObject(volume.dockerVolumeConfiguration)) {
    const docker: PlainObject = { ...volume.dockerVolumeConfiguration };
    dropDefaults(docker, DOCKER_VOLUME_DEFAULTS);
    volume.dockerVolumeConfiguration = docker;
  }
  dropDefaults(volume, VOLUME_DEFAULTS);
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
  if (spec.cpu !== undefined) spec.cpu = normalizeTaskCpu(spec.cpu);
  if (spec.memory !== undefined) spec.memory = normalizeTaskMemory(spec.memory);
  // The network mode is kept (filled): container port defaults depend on it.
  const { networkMode: _networkMode, ...dropped } = TASK_DEFINITION_DEFAULTS;
  dropDefaults(spec, dropped);
  if (isPlainObject(spec.proxyConfiguration)) {
    const proxy: PlainObject = { ...spec.proxyConfiguration };
    dropDefaults(proxy, PROXY_CONFIGURATION_DEFAULTS);
    if (Array.isArray(proxy.properties)) {
      proxy.properties = sortByKey(proxy.properties.filter(isPlainObject), (p) => String(p.name ?? ''));
    }
    spec.proxyConfiguration = proxy;
  }
  return asObject(dropAbsent(spec));
}
