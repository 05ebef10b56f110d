// A capacity provider: CreateCapacityProvider input (desired) or DescribeCapacityProviders output
// (live) → the comparable form, with the defaults ECS fills in (managedScaling status DISABLED,
// targetCapacity 100, step sizes 1 / 10000, instanceWarmupPeriod 300, managedTerminationProtection
// DISABLED, managedDraining ENABLED; Managed Instances: propagateTags NONE, monitoring BASIC,
// capacityOptionType ON_DEMAND). Server fields (arn, status, updateStatus, type, tags) are dropped.
import { sortScalars } from './sort.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject } from './values.js';

export const MANAGED_SCALING_DEFAULTS: Readonly<PlainObject> = {
  status: 'DISABLED',
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
  instanceWarmupPeriod: 300,
};

function autoScalingGroup(raw: PlainObject): PlainObject {
  return {
    autoScalingGroupArn: raw.autoScalingGroupArn,
    managedScaling: { ...MANAGED_SCALING_DEFAULTS, ...asObject(raw.managedScaling) },
    managedTerminationProtection: raw.managedTerminationProtection ?? 'DISABLED',
    managedDraining: raw.managedDraining ?? 'ENABLED',
  };
}

function managedInstances(raw: PlainObject): PlainObject {
  const template = asObject(raw.instanceLaunchTemplate);
  const network = asObject(template.networkConfiguration);
  return {
    ...raw,
    propagateTags: raw.propagateTags ?? 'NONE',
    instanceLaunchTemplate: {
      ...template,
      monitoring: template.monitoring ?? 'BASIC',
      capacityOptionType: template.capacityOptionType ?? 'ON_DEMAND',
      ...(isPlainObject(template.networkConfiguration)
        ? {
            networkConfiguration: {
              ...network,
              subnets: sortScalars(network.subnets),
              securityGroups: sortScalars(network.securityGroups),
            },
          }
        : {}),
    },
  };
}

export function normalizeCapacityProvider(raw: PlainObject): PlainObject {
  const out: PlainObject = { cluster: raw.cluster };
  if (isPlainObject(raw.autoScalingGroupProvider))
    out.autoScalingGroupProvider = autoScalingGroup(raw.autoScalingGroupProvider);
  if (isPlainObject(raw.managedInstancesProvider))
    out.managedInstancesProvider = managedInstances(raw.managedInstancesProvider);
  return asObject(dropAbsent(out));
}
