// What ECS and Application Auto Scaling fill in when a field is left out: the one table both the
// diff normalizers (a field holding its default compares equal to an omitted one) and `import`
// (which leaves defaults out of the manifests it writes) read. A default the diff knows is never
// written by import, and import never leaves out a value the diff would not treat as its default.
// Defaults that depend on other fields (hostPort, DAEMON deployment percentages) are functions here.
import { deepEqual, type PlainObject } from './values.js';

type Defaults = Readonly<Record<string, unknown>>;

/** RegisterTaskDefinition: ECS's default network mode on Linux is bridge; no compatibilities means EC2. */
export const TASK_DEFINITION_DEFAULTS: Defaults = {
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  enableFaultInjection: false,
};

export const PROXY_CONFIGURATION_DEFAULTS: Defaults = { type: 'APPMESH' };

/**
 * ContainerDefinition. `essential` is filled (absent = true) rather than dropped, so a create shows
 * it; since 2024 ECS resolves image tags to digests by default and echoes versionConsistency "enabled".
 */
export const CONTAINER_DEFAULTS: Defaults = {
  essential: true,
  cpu: 0,
  disableNetworking: false,
  privileged: false,
  readonlyRootFilesystem: false,
  interactive: false,
  pseudoTerminal: false,
  versionConsistency: 'enabled',
};

export const PORT_MAPPING_DEFAULTS: Defaults = { protocol: 'tcp' };

/**
 * hostPort when the mapping leaves it out: the containerPort with awsvpc or host networking,
 * 0 (a dynamic port) with bridge. undefined when there is no containerPort to follow.
 */
export function defaultHostPort(mapping: PlainObject, networkMode: string): number | undefined {
  if (networkMode === 'awsvpc' || networkMode === 'host') {
    return typeof mapping.containerPort === 'number' ? mapping.containerPort : undefined;
  }
  return 0;
}

export const HEALTH_CHECK_DEFAULTS: Defaults = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };

export const LINUX_PARAMETERS_DEFAULTS: Defaults = { initProcessEnabled: false };

/** A restart policy that is not enabled is the same as none at all. */
export const RESTART_POLICY_DEFAULTS: Defaults = { enabled: false };

export const VOLUME_DEFAULTS: Defaults = { configuredAtLaunch: false };
export const EFS_VOLUME_DEFAULTS: Defaults = { rootDirectory: '/', transitEncryption: 'DISABLED' };
export const EFS_AUTHORIZATION_DEFAULTS: Defaults = { iam: 'DISABLED' };
export const DOCKER_VOLUME_DEFAULTS: Defaults = { scope: 'task', autoprovision: false };

/** CreateService. launchType "" is how some tools echo "none" (a capacity provider strategy is used). */
export const SERVICE_DEFAULTS: Defaults = {
  schedulingStrategy: 'REPLICA',
  launchType: '',
  platformVersion: 'LATEST',
  healthCheckGracePeriodSeconds: 0,
  propagateTags: 'NONE',
  enableECSManagedTags: false,
  enableExecuteCommand: false,
  deploymentController: { type: 'ECS' },
};

/** deploymentConfiguration: 200/100 for REPLICA services, 100/0 for DAEMON ones. */
export function deploymentConfigurationDefaults(daemon: boolean): Defaults {
  return daemon
    ? { maximumPercent: 100, minimumHealthyPercent: 0, strategy: 'ROLLING' }
    : { maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' };
}

/** The circuit breaker and deployment alarms are off unless one of these is true (or alarms are named). */
export const CIRCUIT_BREAKER_DEFAULTS: Defaults = { enable: false, rollback: false };
export const DEPLOYMENT_ALARMS_DEFAULTS: Defaults = { enable: false, rollback: false, alarmNames: [] };

export const AWSVPC_DEFAULTS: Defaults = { assignPublicIp: 'DISABLED' };

/** A capacity provider strategy item (service or cluster default). */
export const CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS: Defaults = { base: 0, weight: 0 };

/**
 * Values ECS (or the account) chooses when a manifest says nothing. The diff does not compare these
 * fields when the manifest omits them; import omits them when they hold the usual value listed here.
 */
export const SERVER_CHOSEN_DEFAULTS = {
  /** ECS's choice for a new service that supports rebalancing. */
  availabilityZoneRebalancing: 'ENABLED',
  /** The ECS service-linked role (ECS uses it whenever a service names no role). */
  serviceRoleName: 'AWSServiceRoleForECS',
  /** Container Insights follows the account setting, which is off unless turned on. */
  clusterSettings: [{ name: 'containerInsights', value: 'disabled' }],
} as const;

/** Application Auto Scaling's documented default cooldown for ECS services (seconds). */
export const TARGET_TRACKING_DEFAULTS: Defaults = {
  disableScaleIn: false,
  scaleInCooldown: 300,
  scaleOutCooldown: 300,
};
export const STEP_SCALING_DEFAULTS: Defaults = { metricAggregationType: 'Average' };
export const SCHEDULED_ACTION_DEFAULTS: Defaults = { timezone: 'UTC' };
export const SUSPENDED_STATE_DEFAULTS: Defaults = {
  dynamicScalingInSuspended: false,
  dynamicScalingOutSuspended: false,
  scheduledScalingSuspended: false,
};

/** Removes every field of `target` that holds its default (in place). */
export function dropDefaults(target: PlainObject, defaults: Defaults): void {
  for (const [field, value] of Object.entries(defaults)) {
    if (deepEqual(target[field], value)) delete target[field];
  }
}

/** True when every field of `value` holds its default (or is absent): the object says nothing. */
export function isAllDefaults(value: PlainObject, defaults: Defaults): boolean {
  return Object.entries(value).every(
    ([field, item]) => item === undefined || (field in defaults && deepEqual(item, defaults[field])),
  );
}
