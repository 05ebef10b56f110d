// A service: CreateService input (desired) or DescribeServices output (live) → the comparable form.
// Server-only fields (status, runningCount, pendingCount, deployments, events, taskSets, createdAt,
// createdBy, platformFamily, serviceArn, clusterArn) are dropped because only input fields are kept.
import {
  AWSVPC_DEFAULTS,
  CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS,
  deploymentConfigurationWithoutDefaults,
  dropDefaults,
  SERVICE_DEFAULTS,
} from './defaults.js';
import { sortByKey, sortScalars } from './sort.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject, pick } from './values.js';

/** CreateService input fields the diff compares (identity fields, taskDefinition and tags are handled apart). */
export const SERVICE_FIELDS = [
  'availabilityZoneRebalancing',
  'loadBalancers',
  'serviceRegistries',
  'desiredCount',
  'launchType',
  'capacityProviderStrategy',
  'platformVersion',
  'role',
  'deploymentConfiguration',
  'placementConstraints',
  'placementStrategy',
  'networkConfiguration',
  'healthCheckGracePeriodSeconds',
  'schedulingStrategy',
  'deploymentController',
  'enableECSManagedTags',
  'propagateTags',
  'enableExecuteCommand',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
] as const;

/** Fields ECS picks itself when the manifest leaves them out: not compared unless the manifest sets them. */
export const SERVER_CHOSEN_SERVICE_FIELDS = ['availabilityZoneRebalancing', 'role', 'desiredCount'] as const;

/** Only available on the PRIMARY deployment in DescribeServices output. */
const DEPLOYMENT_FIELDS = ['serviceConnectConfiguration', 'volumeConfigurations', 'vpcLatticeConfigurations'];

/** DescribeServices' service → CreateService input shape (roleArn → role, deployment-level fields lifted). */
export function liveServiceInput(live: PlainObject): PlainObject {
  const input: PlainObject = { ...live };
  if (typeof live.roleArn === 'string') input.role = live.roleArn;
  const deployments = Array.isArray(live.deployments) ? live.deployments.filter(isPlainObject) : [];
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
  for (const field of DEPLOYMENT_FIELDS) {
    if (input[field] === undefined && primary && primary[field] !== undefined) input[field] = primary[field];
  }
  return input;
}

/** `arn:aws:iam::1:role/path/name` and `name` are the same role. */
export function roleName(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const slash = value.lastIndexOf('/');
  return value.startsWith('arn:') && slash >= 0 ? value.slice(slash + 1) : value;
}

/** Without ECS's defaults (the form import writes), alarm names in a stable order. */
function normalizeDeploymentConfiguration(value: unknown, daemon: boolean): PlainObject | undefined {
  const config = deploymentConfigurationWithoutDefaults(asObject(value), daemon);
  if (isPlainObject(config.alarms)) {
    config.alarms = { ...config.alarms, alarmNames: sortScalars(config.alarms.alarmNames) };
  }
  return config;
}

function normalizeNetworkConfiguration(value: unknown): PlainObject | undefined {
  if (!isPlainObject(value) || !isPlainObject(value.awsvpcConfiguration))
    return isPlainObject(value) ? value : undefined;
  const awsvpc: PlainObject = { ...value.awsvpcConfiguration };
  awsvpc.subnets = sortScalars(awsvpc.subnets);
  awsvpc.securityGroups = sortScalars(awsvpc.securityGroups);
  dropDefaults(awsvpc, AWSVPC_DEFAULTS);
  return { ...value, awsvpcConfiguration: awsvpc };
}

export function capacityProviderStrategyKey(item: PlainObject): string {
  return String(item.capacityProvider ?? '');
}

/** Capacity provider strategies (service or cluster default): order-free, base 0 and weight 0 are defaults. */
export function normalizeCapacityProviderStrategy(value: unknown): PlainObject[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.filter(isPlainObject).map((raw) => {
    const item: PlainObject = { ...raw };
    dropDefaults(item, CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS);
    return item;
  });
  return sortByKey(items, capacityProviderStrategyKey);
}

export function loadBalancerKey(item: PlainObject): string {
  return `${String(item.targetGroupArn ?? item.loadBalancerName ?? '')}|${String(item.containerName ?? '')}:${String(item.containerPort ?? '')}`;
}

export interface ServiceNormalizeOptions {
  /** desiredCount is owned by autoscaling or left to ECS: never compared. */
  readonly ignoreDesiredCount: boolean;
  /** Fields the manifest left out that ECS fills on its own: removed from the live side too. */
  readonly omitted: ReadonlySet<string>;
}

/** The comparable form of a service's configuration (CreateService input shape). */
export function normalizeService(raw: PlainObject, options: ServiceNormalizeOptions): PlainObject {
  const spec = pick(raw, SERVICE_FIELDS);
  for (const field of options.omitted) delete spec[field];
  const daemon = spec.schedulingStrategy === 'DAEMON';
  dropDefaults(spec, SERVICE_DEFAULTS);
  if (options.ignoreDesiredCount || daemon) delete spec.desiredCount;
  if (spec.role !== undefined) spec.role = roleName(spec.role);
  spec.deploymentConfiguration = normalizeDeploymentConfiguration(spec.deploymentConfiguration, daemon);
  spec.networkConfiguration = normalizeNetworkConfiguration(spec.networkConfiguration);
  spec.capacityProviderStrategy = normalizeCapacityProviderStrategy(spec.capacityProviderStrategy);
  if (Array.isArray(spec.capacityProviderStrategy) && spec.capacityProviderStrategy.length > 0)
    delete spec.launchType;
  if (Array.isArray(spec.loadBalancers)) {
    spec.loadBalancers = sortByKey(spec.loadBalancers.filter(isPlainObject), loadBalancerKey);
  }
  if (Array.isArray(spec.serviceRegistries)) {
    spec.serviceRegistries = sortByKey(spec.serviceRegistries.filter(isPlainObject), (r) =>
      String(r.registryArn ?? ''),
    );
  }
  if (Array.isArray(spec.placementConstraints)) {
    spec.placementConstraints = sortByKey(
      spec.placementConstraints.filter(isPlainObject),
      (c) => `${String(c.type)}|${String(c.expression ?? '')}`,
    );
  }
  return asObject(dropAbsent(spec));
}
