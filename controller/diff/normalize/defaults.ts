// What ECS and Application Auto Scaling fill in when a field is left out: the one table both the
// diff normalizers (a field holding its default compares equal to an omitted one) and `import`
// (which leaves defaults out of the manifests it writes) read. A default the diff knows is never
// written by import, and import never leaves out a value the diff would not treat as its default.
// Defaults that depend on other fields (hostPort, DAEMON deployment percentages) are functions here.
//
// Each table `satisfies` the API shape it holds defaults of (the SDK's types for ECS, the manifest's
// spec types for the camelCase Application Auto Scaling forms), so a misspelt or renamed field is a
// compile error instead of a default that silently never applies.
import type {
  AwsVpcConfiguration,
  CapacityProviderStrategyItem,
  ContainerDefinition,
  ContainerRestartPolicy,
  CreateServiceCommandInput,
  DeploymentAlarms,
  DeploymentCircuitBreaker,
  DeploymentConfiguration,
  DockerVolumeConfiguration,
  EFSAuthorizationConfig,
  EFSVolumeConfiguration,
  HealthCheck,
  LinuxParameters,
  PortMapping,
  ProxyConfiguration,
  RegisterTaskDefinitionCommandInput,
  Volume,
} from '@aws-sdk/client-ecs';
import type {
  ScheduledAction,
  StepScalingPolicy,
  SuspendedState,
  TargetTrackingPolicy,
} from '../../manifest/spec-types.js';
import { deepEqual, isPlainObject, type PlainObject } from './values.js';

type Defaults = Readonly<Record<string, unknown>>;

/** Default values of some fields of `T`, each of the field's own type. */
type DefaultsOf<T> = { readonly [K in keyof T]?: T[K] };

/** Only the field names are checked: the value is one the API echoes but does not accept. */
type FieldsOf<T> = { readonly [K in keyof T]?: unknown };

/** RegisterTaskDefinition: ECS's default network mode on Linux is bridge; no compatibilities means EC2. */
export const TASK_DEFINITION_DEFAULTS = {
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  enableFaultInjection: false,
} satisfies DefaultsOf<RegisterTaskDefinitionCommandInput>;

export const PROXY_CONFIGURATION_DEFAULTS = { type: 'APPMESH' } satisfies DefaultsOf<ProxyConfiguration>;

/**
 * ContainerDefinition. `essential` is filled (absent = true) rather than dropped, so a create shows
 * it; since 2024 ECS resolves image tags to digests by default and echoes versionConsistency "enabled".
 */
export const CONTAINER_DEFAULTS = {
  essential: true,
  cpu: 0,
  disableNetworking: false,
  privileged: false,
  readonlyRootFilesystem: false,
  interactive: false,
  pseudoTerminal: false,
  versionConsistency: 'enabled',
} satisfies DefaultsOf<ContainerDefinition>;

export const PORT_MAPPING_DEFAULTS = { protocol: 'tcp' } satisfies DefaultsOf<PortMapping>;

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

export const HEALTH_CHECK_DEFAULTS = {
  interval: 30,
  timeout: 5,
  retries: 3,
  startPeriod: 0,
} satisfies DefaultsOf<HealthCheck>;

export const LINUX_PARAMETERS_DEFAULTS = { initProcessEnabled: false } satisfies DefaultsOf<LinuxParameters>;

/** A restart policy that is not enabled is the same as none at all. */
export const RESTART_POLICY_DEFAULTS = { enabled: false } satisfies DefaultsOf<ContainerRestartPolicy>;

export const VOLUME_DEFAULTS = { configuredAtLaunch: false } satisfies DefaultsOf<Volume>;
export const EFS_VOLUME_DEFAULTS = {
  rootDirectory: '/',
  transitEncryption: 'DISABLED',
} satisfies DefaultsOf<EFSVolumeConfiguration>;
export const EFS_AUTHORIZATION_DEFAULTS = { iam: 'DISABLED' } satisfies DefaultsOf<EFSAuthorizationConfig>;
export const DOCKER_VOLUME_DEFAULTS = {
  scope: 'task',
  autoprovision: false,
} satisfies DefaultsOf<DockerVolumeConfiguration>;

/** CreateService. launchType "" is how some tools echo "none" (a capacity provider strategy is used). */
export const SERVICE_DEFAULTS = {
  schedulingStrategy: 'REPLICA',
  launchType: '',
  platformVersion: 'LATEST',
  healthCheckGracePeriodSeconds: 0,
  propagateTags: 'NONE',
  enableECSManagedTags: false,
  enableExecuteCommand: false,
  deploymentController: { type: 'ECS' },
} satisfies FieldsOf<CreateServiceCommandInput>;

/** deploymentConfiguration: 200/100 for REPLICA services, 100/0 for DAEMON ones. */
export function deploymentConfigurationDefaults(daemon: boolean): DefaultsOf<DeploymentConfiguration> {
  return daemon
    ? { maximumPercent: 100, minimumHealthyPercent: 0, strategy: 'ROLLING' }
    : { maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' };
}

/**
 * A service's deploymentConfiguration without what ECS fills in itself: the percentages (both pairs
 * for DAEMON services: they ignore maximumPercent and some tooling, the emulator too, reports the
 * REPLICA pair for them), an off circuit breaker, alarms that say nothing. The diff compares this
 * form and import writes it.
 */
export function deploymentConfigurationWithoutDefaults(value: PlainObject, daemon: boolean): PlainObject {
  const config: PlainObject = { ...value };
  dropDefaults(config, deploymentConfigurationDefaults(daemon));
  if (daemon) dropDefaults(config, deploymentConfigurationDefaults(false));
  if (
    isPlainObject(config.deploymentCircuitBreaker) &&
    isAllDefaults(config.deploymentCircuitBreaker, CIRCUIT_BREAKER_DEFAULTS)
  ) {
    delete config.deploymentCircuitBreaker;
  }
  if (isPlainObject(config.alarms) && isAllDefaults(config.alarms, DEPLOYMENT_ALARMS_DEFAULTS))
    delete config.alarms;
  return config;
}

/** The circuit breaker and deployment alarms are off unless one of these is true (or alarms are named). */
export const CIRCUIT_BREAKER_DEFAULTS = {
  enable: false,
  rollback: false,
} satisfies DefaultsOf<DeploymentCircuitBreaker>;
export const DEPLOYMENT_ALARMS_DEFAULTS = {
  enable: false,
  rollback: false,
  alarmNames: [],
} satisfies DefaultsOf<DeploymentAlarms>;

export const AWSVPC_DEFAULTS = { assignPublicIp: 'DISABLED' } satisfies DefaultsOf<AwsVpcConfiguration>;

/** A capacity provider strategy item (service or cluster default). */
export const CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS = {
  base: 0,
  weight: 0,
} satisfies DefaultsOf<CapacityProviderStrategyItem>;

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
export const TARGET_TRACKING_DEFAULTS = {
  disableScaleIn: false,
  scaleInCooldown: 300,
  scaleOutCooldown: 300,
} satisfies DefaultsOf<TargetTrackingPolicy>;
export const STEP_SCALING_DEFAULTS = {
  metricAggregationType: 'Average',
} satisfies DefaultsOf<StepScalingPolicy>;
export const SCHEDULED_ACTION_DEFAULTS = { timezone: 'UTC' } satisfies DefaultsOf<ScheduledAction>;
export const SUSPENDED_STATE_DEFAULTS = {
  dynamicScalingInSuspended: false,
  dynamicScalingOutSuspended: false,
  scheduledScalingSuspended: false,
} satisfies DefaultsOf<SuspendedState>;

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
