// A described service → the minimal Service spec in CreateService input shape: deployment-level
// fields lifted from the PRIMARY deployment, defaults (the diff's table) and ECS's own choices left
// out, references by manifest name.
import {
  AWSVPC_DEFAULTS,
  CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS,
  deploymentConfigurationWithoutDefaults,
  dropDefaults,
  SERVER_CHOSEN_DEFAULTS,
  SERVICE_DEFAULTS,
} from '../diff/normalize/defaults.js';
import { liveServiceInput, roleName, SERVICE_FIELDS } from '../diff/normalize/service.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject, pick } from '../diff/normalize/values.js';

export function importCapacityProviderStrategy(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.filter(isPlainObject).map((raw) => {
    const item: PlainObject = { ...raw };
    dropDefaults(item, CAPACITY_PROVIDER_STRATEGY_ITEM_DEFAULTS);
    return item;
  });
}

function networkConfiguration(value: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(value.awsvpcConfiguration)) return value;
  const awsvpc: PlainObject = { ...value.awsvpcConfiguration };
  dropDefaults(awsvpc, AWSVPC_DEFAULTS);
  return { ...value, awsvpcConfiguration: awsvpc };
}

export interface ServiceImportContext {
  /** The Cluster manifest name (or the cluster's ARN when it is not imported). */
  readonly cluster: string;
  /** The TaskDefinition manifest name, or `family:revision` when no manifest describes the revision. */
  readonly taskDefinition: string;
  /** A ScalingPolicy owns desiredCount: it is not written. */
  readonly autoscaled: boolean;
}

/** The spec without serviceName and tags (the caller adds them). */
export function importServiceSpec(live: PlainObject, context: ServiceImportContext): PlainObject {
  const spec = pick(liveServiceInput(live), SERVICE_FIELDS);
  const daemon = spec.schedulingStrategy === 'DAEMON';
  dropDefaults(spec, SERVICE_DEFAULTS);
  if (context.autoscaled || daemon) delete spec.desiredCount;
  if (roleName(spec.role) === SERVER_CHOSEN_DEFAULTS.serviceRoleName) delete spec.role;
  if (spec.availabilityZoneRebalancing === SERVER_CHOSEN_DEFAULTS.availabilityZoneRebalancing)
    delete spec.availabilityZoneRebalancing;
  spec.capacityProviderStrategy = importCapacityProviderStrategy(spec.capacityProviderStrategy);
  if (Array.isArray(spec.capacityProviderStrategy) && spec.capacityProviderStrategy.length > 0)
    delete spec.launchType;
  if (isPlainObject(spec.deploymentConfiguration))
    spec.deploymentConfiguration = deploymentConfigurationWithoutDefaults(
      spec.deploymentConfiguration,
      daemon,
    );
  spec.networkConfiguration = networkConfiguration(spec.networkConfiguration);
  return {
    cluster: context.cluster,
    taskDefinition: context.taskDefinition,
    ...asObject(dropAbsent(spec)),
  };
}
