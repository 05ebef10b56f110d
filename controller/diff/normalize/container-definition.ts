// One container definition: ECS fills defaults on registration and echoes empty lists; both sides
// are brought to the same form here.
import {
  CONTAINER_DEFAULTS,
  defaultHostPort,
  dropDefaults,
  HEALTH_CHECK_DEFAULTS,
  LINUX_PARAMETERS_DEFAULTS,
  PORT_MAPPING_DEFAULTS,
  RESTART_POLICY_DEFAULTS,
} from './defaults.js';
import { sortByKey, sortScalars } from './sort.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject } from './values.js';

/** Fields RegisterTaskDefinition accepts for a container (the manifest can express only these). */
export const CONTAINER_FIELDS = [
  'name',
  'image',
  'repositoryCredentials',
  'cpu',
  'memory',
  'memoryReservation',
  'links',
  'portMappings',
  'essential',
  'restartPolicy',
  'entryPoint',
  'command',
  'environment',
  'environmentFiles',
  'mountPoints',
  'volumesFrom',
  'linuxParameters',
  'secrets',
  'dependsOn',
  'startTimeout',
  'stopTimeout',
  'versionConsistency',
  'hostname',
  'user',
  'workingDirectory',
  'disableNetworking',
  'privileged',
  'readonlyRootFilesystem',
  'dnsServers',
  'dnsSearchDomains',
  'extraHosts',
  'dockerSecurityOptions',
  'interactive',
  'pseudoTerminal',
  'dockerLabels',
  'ulimits',
  'logConfiguration',
  'healthCheck',
  'systemControls',
  'resourceRequirements',
  'firelensConfiguration',
  'credentialSpecs',
] as const;

/** Port mappings: protocol tcp by default; with awsvpc/host networking hostPort equals containerPort; bridge hostPort 0 = dynamic = omitted. */
export function normalizePortMappings(value: unknown, networkMode: string): PlainObject[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const mappings = value.filter(isPlainObject).map((raw) => {
    // Filled rather than dropped, so a create shows the port ECS will use.
    const mapping: PlainObject = { ...raw };
    if (mapping.protocol === undefined) mapping.protocol = PORT_MAPPING_DEFAULTS.protocol;
    const hostPort = defaultHostPort(mapping, networkMode);
    if (hostPort === 0) dropDefaults(mapping, { hostPort });
    else if (hostPort !== undefined && mapping.hostPort === undefined) mapping.hostPort = hostPort;
    return mapping;
  });
  return sortByKey(mappings, portMappingKey);
}

export function portMappingKey(mapping: PlainObject): string {
  const port = mapping.containerPort ?? mapping.containerPortRange ?? '';
  return `${String(port)}/${String(mapping.protocol ?? 'tcp')}`;
}

/** Health check defaults: interval 30, timeout 5, retries 3, startPeriod 0 (off). */
export function normalizeHealthCheck(value: unknown): PlainObject | undefined {
  if (!isPlainObject(value)) return undefined;
  const check: PlainObject = { ...value };
  dropDefaults(check, HEALTH_CHECK_DEFAULTS);
  return check;
}

function byName(item: PlainObject): string {
  return String(item.name ?? '');
}

function normalizeLinuxParameters(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const params: PlainObject = { ...value };
  dropDefaults(params, LINUX_PARAMETERS_DEFAULTS);
  const capabilities = asObject(params.capabilities);
  if (params.capabilities !== undefined) {
    params.capabilities = {
      ...capabilities,
      add: sortScalars(capabilities.add),
      drop: sortScalars(capabilities.drop),
    };
  }
  return params;
}

function normalizeLogConfiguration(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const log: PlainObject = { ...value };
  if (Array.isArray(log.secretOptions))
    log.secretOptions = sortByKey(log.secretOptions.filter(isPlainObject), byName);
  return log;
}

/** Normalizes one container definition (desired or live) into the comparable form. */
export function normalizeContainerDefinition(raw: PlainObject, networkMode: string): PlainObject {
  const container: PlainObject = {};
  for (const field of CONTAINER_FIELDS) if (raw[field] !== undefined) container[field] = raw[field];
  const { essential, ...dropped } = CONTAINER_DEFAULTS;
  if (container.essential === undefined) container.essential = essential;
  dropDefaults(container, dropped);
  const ports = normalizePortMappings(container.portMappings, networkMode);
  if (ports) container.portMappings = ports;
  const environment = asArrayOfObjects(container.environment);
  if (environment) container.environment = sortByKey(environment, byName);
  const secrets = asArrayOfObjects(container.secrets);
  if (secrets) container.secrets = sortByKey(secrets, byName);
  const healthCheck = normalizeHealthCheck(container.healthCheck);
  if (healthCheck) container.healthCheck = healthCheck;
  if (container.linuxParameters !== undefined)
    container.linuxParameters = normalizeLinuxParameters(container.linuxParameters);
  if (container.logConfiguration !== undefined)
    container.logConfiguration = normalizeLogConfiguration(container.logConfiguration);
  // A disabled restart policy is none at all, whatever else it says.
  if (
    isPlainObject(container.restartPolicy) &&
    container.restartPolicy.enabled === RESTART_POLICY_DEFAULTS.enabled
  )
    delete container.restartPolicy;
  for (const field of ['ulimits', 'systemControls', 'resourceRequirements'] as const) {
    const list = asArrayOfObjects(container[field]);
    if (list)
      container[field] = sortByKey(list, (item) => String(item.name ?? item.namespace ?? item.type ?? ''));
  }
  return (dropAbsent(container) as PlainObject | undefined) ?? {};
}

function asArrayOfObjects(value: unknown): PlainObject[] | undefined {
  return Array.isArray(value) ? value.filter(isPlainObject) : undefined;
}
