// Where tasks run: launch type or capacity provider strategy, platform version and the awsvpc
// network configuration, validated against the task definition as ECS does for services and RunTask.
import type { OpContext } from '../context.js';
import type { ClusterRecord, JsonObject, TaskDefinitionRecord } from '../state.js';
import { invalidParameter } from '../wire/errors.js';
import { clone, compact, type Input } from '../wire/input.js';
import { normalizeStrategyItem } from './clusters.js';

export interface Placement {
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: JsonObject;
}

const LAUNCH_TYPES = new Set(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']);

function isFargate(placement: Placement): boolean {
  if (placement.launchType === 'FARGATE') return true;
  return (placement.capacityProviderStrategy ?? []).some((item) =>
    String(item.capacityProvider).startsWith('FARGATE'),
  );
}

/** The awsvpcConfiguration as ECS echoes it (assignPublicIp defaults to DISABLED). */
export function normalizeNetworkConfiguration(value: JsonObject): JsonObject {
  const vpc = value.awsvpcConfiguration;
  if (typeof vpc !== 'object' || vpc === null || Array.isArray(vpc)) {
    throw invalidParameter('Network Configuration must contain awsvpcConfiguration.');
  }
  const subnets = vpc.subnets;
  if (!Array.isArray(subnets) || subnets.length === 0) throw invalidParameter('subnets can not be empty.');
  if (subnets.length > 16) throw invalidParameter('subnets can have at most 16 items.');
  const groups = vpc.securityGroups;
  if (Array.isArray(groups) && groups.length > 5)
    throw invalidParameter('securityGroups can have at most 5 items.');
  const assign = vpc.assignPublicIp ?? 'DISABLED';
  if (assign !== 'ENABLED' && assign !== 'DISABLED') {
    throw invalidParameter(`Invalid assignPublicIp value: ${String(assign)}.`);
  }
  return {
    awsvpcConfiguration: compact({
      subnets: clone(subnets),
      securityGroups: Array.isArray(groups) ? clone(groups) : undefined,
      assignPublicIp: assign,
    }),
  };
}

export function validatePlacement(
  ctx: OpContext,
  cluster: ClusterRecord,
  definition: TaskDefinitionRecord,
  input: Input,
): Placement {
  const launchTypeInput = input.string('launchType');
  const strategyInput = input.objects('capacityProviderStrategy');
  if (launchTypeInput !== undefined && strategyInput !== undefined && strategyInput.length > 0) {
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  if (launchTypeInput !== undefined && !LAUNCH_TYPES.has(launchTypeInput)) {
    throw invalidParameter(`Invalid launchType: ${launchTypeInput}.`);
  }
  const placement: Placement = {};
  if (strategyInput !== undefined && strategyInput.length > 0) {
    placement.capacityProviderStrategy = strategyInput.map(normalizeStrategyItem);
  } else if (launchTypeInput !== undefined) {
    placement.launchType = launchTypeInput;
  } else if (cluster.defaultCapacityProviderStrategy.length > 0) {
    placement.capacityProviderStrategy = clone(cluster.defaultCapacityProviderStrategy);
  } else {
    placement.launchType = 'EC2';
  }
  for (const item of placement.capacityProviderStrategy ?? []) {
    const name = String(item.capacityProvider);
    if (!cluster.capacityProviders.includes(name)) {
      throw invalidParameter(
        `The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`,
      );
    }
  }
  const compatibilities = (definition.taskDefinition.compatibilities as string[] | undefined) ?? [];
  const fargate = isFargate(placement);
  if (fargate && !compatibilities.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  const networkMode = definition.taskDefinition.networkMode;
  const network = input.object('networkConfiguration');
  if (networkMode === 'awsvpc') {
    if (!network) {
      throw invalidParameter(
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    placement.networkConfiguration = normalizeNetworkConfiguration(network);
    const assign = (placement.networkConfiguration.awsvpcConfiguration as JsonObject).assignPublicIp;
    if (assign === 'ENABLED' && !fargate) {
      throw invalidParameter('Assign public IP is not supported for this launch type.');
    }
  } else if (network) {
    throw invalidParameter(
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
  const platformVersion = input.string('platformVersion');
  if (fargate) {
    placement.platformVersion = platformVersion ?? 'LATEST';
    const runtime = definition.taskDefinition.runtimePlatform as JsonObject | undefined;
    const family = String(runtime?.operatingSystemFamily ?? 'LINUX');
    placement.platformFamily = family === 'LINUX' ? 'Linux' : family;
  } else if (platformVersion !== undefined) {
    throw invalidParameter('The platform version must be null when specifying an EC2 launch type.');
  }
  void ctx;
  return placement;
}
