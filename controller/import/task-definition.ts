// A described task definition revision → the minimal TaskDefinition spec: RegisterTaskDefinition's
// input fields only, every value ECS filled in (the diff's defaults table) left out, lists in the
// order ECS keeps them.
import { CONTAINER_FIELDS } from '../diff/normalize/container-definition.js';
import {
  CONTAINER_DEFAULTS,
  DOCKER_VOLUME_DEFAULTS,
  defaultHostPort,
  dropDefaults,
  EFS_AUTHORIZATION_DEFAULTS,
  EFS_VOLUME_DEFAULTS,
  HEALTH_CHECK_DEFAULTS,
  LINUX_PARAMETERS_DEFAULTS,
  PORT_MAPPING_DEFAULTS,
  PROXY_CONFIGURATION_DEFAULTS,
  RESTART_POLICY_DEFAULTS,
  TASK_DEFINITION_DEFAULTS,
  VOLUME_DEFAULTS,
} from '../diff/normalize/defaults.js';
import { effectiveNetworkMode, TASK_DEFINITION_FIELDS } from '../diff/normalize/task-definition.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject, pick } from '../diff/normalize/values.js';

function withoutDefaults(value: unknown, defaults: Readonly<Record<string, unknown>>): unknown {
  if (!isPlainObject(value)) return value;
  const out: PlainObject = { ...value };
  dropDefaults(out, defaults);
  return out;
}

function portMapping(raw: PlainObject, networkMode: string): PlainObject {
  const mapping: PlainObject = { ...raw };
  dropDefaults(mapping, PORT_MAPPING_DEFAULTS);
  if (mapping.hostPort !== undefined && mapping.hostPort === defaultHostPort(raw, networkMode)) {
    delete mapping.hostPort;
  }
  return mapping;
}

export function importContainer(raw: PlainObject, networkMode: string): PlainObject {
  const container = pick(raw, CONTAINER_FIELDS);
  dropDefaults(container, CONTAINER_DEFAULTS);
  if (Array.isArray(container.portMappings)) {
    container.portMappings = container.portMappings
      .filter(isPlainObject)
      .map((mapping) => portMapping(mapping, networkMode));
  }
  container.healthCheck = withoutDefaults(container.healthCheck, HEALTH_CHECK_DEFAULTS);
  container.linuxParameters = withoutDefaults(container.linuxParameters, LINUX_PARAMETERS_DEFAULTS);
  if (
    isPlainObject(container.restartPolicy) &&
    container.restartPolicy.enabled === RESTART_POLICY_DEFAULTS.enabled
  )
    delete container.restartPolicy;
  return asObject(dropAbsent(container));
}

export function importVolume(raw: PlainObject): PlainObject {
  const volume: PlainObject = { ...raw };
  dropDefaults(volume, VOLUME_DEFAULTS);
  if (isPlainObject(volume.efsVolumeConfiguration)) {
    const efs: PlainObject = { ...volume.efsVolumeConfiguration };
    dropDefaults(efs, EFS_VOLUME_DEFAULTS);
    efs.authorizationConfig = withoutDefaults(efs.authorizationConfig, EFS_AUTHORIZATION_DEFAULTS);
    volume.efsVolumeConfiguration = efs;
  }
  volume.dockerVolumeConfiguration = withoutDefaults(
    volume.dockerVolumeConfiguration,
    DOCKER_VOLUME_DEFAULTS,
  );
  return volume;
}

/** The spec without family and tags (the caller adds them where they differ from the manifest name). */
export function importTaskDefinitionSpec(live: PlainObject): PlainObject {
  const spec = pick(live, TASK_DEFINITION_FIELDS);
  const networkMode = effectiveNetworkMode(spec);
  spec.containerDefinitions = (Array.isArray(spec.containerDefinitions) ? spec.containerDefinitions : [])
    .filter(isPlainObject)
    .map((container) => importContainer(container, networkMode));
  if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.filter(isPlainObject).map(importVolume);
  spec.proxyConfiguration = withoutDefaults(spec.proxyConfiguration, PROXY_CONFIGURATION_DEFAULTS);
  dropDefaults(spec, TASK_DEFINITION_DEFAULTS);
  return asObject(dropAbsent(spec));
}
