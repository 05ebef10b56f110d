// Admin API for EC2 capacity without the agent protocol: add "instances" to a cluster (optionally
// for a capacity provider), remove one (its tasks stop, as when the EC2 instance is terminated).

import { findProvider } from '../ecs/capacity-providers.js';
import { deregisterInstance, findInstance, registerInstance } from '../ecs/container-instances.js';
import { requestStop } from '../ecs/tasks.js';
import type { Emulator } from '../emulator.js';
import type { JsonObject } from '../state.js';

export class AdminInputError extends Error {}

function text(body: JsonObject, member: string): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new AdminInputError(`${member} must be a non-empty string`);
  return value;
}

function positive(body: JsonObject, member: string): number | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AdminInputError(`${member} must be an integer >= 1`);
  }
  return value;
}

/** `{cluster, count?, instanceType?, cpu?, memory?, availabilityZone?, attributes?, capacityProvider?, region?}` */
export function addContainerInstances(emulator: Emulator, body: JsonObject) {
  const clusterName = text(body, 'cluster') ?? 'default';
  const count = positive(body, 'count') ?? 1;
  if (count > 100) throw new AdminInputError('count must be at most 100');
  const attributes = body.attributes;
  if (
    attributes !== undefined &&
    (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
  ) {
    throw new AdminInputError('attributes must be an object {name: value}');
  }
  return emulator.mutate(text(body, 'region'), (ctx) => {
    const cluster = ctx.region.clusters[clusterName];
    if (cluster?.status !== 'ACTIVE') throw new AdminInputError(`cluster ${clusterName} does not exist`);
    const provider = text(body, 'capacityProvider');
    if (provider !== undefined && !findProvider(ctx, provider)) {
      throw new AdminInputError(`capacity provider ${provider} does not exist`);
    }
    const spec = {
      ...(text(body, 'instanceType') ? { instanceType: text(body, 'instanceType') as string } : {}),
      ...(text(body, 'availabilityZone')
        ? { availabilityZone: text(body, 'availabilityZone') as string }
        : {}),
      ...(positive(body, 'cpu') ? { cpu: positive(body, 'cpu') as number } : {}),
      ...(positive(body, 'memory') ? { memory: positive(body, 'memory') as number } : {}),
      ...(provider ? { capacityProviderName: provider } : {}),
      attributes: Object.entries((attributes as JsonObject | undefined) ?? {}).map(([name, value]) =>
        value === null || value === '' ? { name } : { name, value: String(value) },
      ),
    };
    const added = Array.from({ length: count }, () => registerInstance(ctx, cluster, spec));
    return {
      containerInstances: added.map((instance) => ({
        containerInstanceArn: instance.arn,
        ec2InstanceId: instance.ec2InstanceId,
      })),
    };
  });
}

/** `{cluster, containerInstance, region?}`: deregisters with force. */
export function removeContainerInstance(emulator: Emulator, body: JsonObject) {
  const clusterName = text(body, 'cluster') ?? 'default';
  const ref = text(body, 'containerInstance');
  if (ref === undefined) throw new AdminInputError('containerInstance is required');
  return emulator.mutate(text(body, 'region'), (ctx) => {
    const instance = findInstance(ctx, clusterName, ref);
    if (!instance || instance.status === 'INACTIVE') {
      throw new AdminInputError(`container instance ${ref} is not registered in cluster ${clusterName}`);
    }
    deregisterInstance(ctx, instance, requestStop);
    return { containerInstanceArn: instance.arn, status: instance.status };
  });
}
