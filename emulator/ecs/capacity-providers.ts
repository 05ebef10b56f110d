// Capacity providers: CreateCapacityProvider / DescribeCapacityProviders / UpdateCapacityProvider /
// DeleteCapacityProvider for Auto Scaling group providers (EC2_AUTOSCALING) and Amazon ECS Managed
// Instances providers (MANAGED_INSTANCES, scoped to one cluster), with the defaults ECS fills in
// and its rules: reserved FARGATE / FARGATE_SPOT, names not starting with aws / ecs / fargate, one
// provider per Auto Scaling group, one cluster per provider, no deletion while associated or used.
import type { OpContext } from '../context.js';
import type { CapacityProviderRecord, ClusterRecord, Json, JsonObject } from '../state.js';
import { ApiError, clientException, clusterNotFound, invalidParameter } from '../wire/errors.js';
import { clone, compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { nameFromArnOrName } from './arns.js';
import { MAX_TAGS, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';

export const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;
const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const ASG_ARN = /^arn:aws[a-z-]*:autoscaling:[^:]+:\d{12}:autoScalingGroup:[^:]+:autoScalingGroupName\/.+$/;
const ON_OFF = ['ENABLED', 'DISABLED'];

export const providerArn = (ctx: OpContext, name: string) =>
  `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:capacity-provider/${name}`;

export const isFargateProvider = (name: string) => (FARGATE_PROVIDERS as readonly string[]).includes(name);

/** An ACTIVE provider of this name (FARGATE / FARGATE_SPOT are not records). */
export function findProvider(ctx: OpContext, name: string): CapacityProviderRecord | undefined {
  const record = ctx.region.capacityProviders[nameFromArnOrName(name, 'capacity-provider')];
  return record?.status === 'ACTIVE' ? record : undefined;
}

function between(
  value: Json | undefined,
  member: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${member} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

function onOff(value: Json | undefined, member: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !ON_OFF.includes(value)) {
    throw invalidParameter(`${member} must be ENABLED or DISABLED.`);
  }
  return value;
}

function managedScaling(raw: JsonObject | undefined, current?: JsonObject): JsonObject {
  const base = current ?? {};
  const value = (key: string) => raw?.[key] ?? base[key];
  const scaling = {
    status: onOff(value('status'), 'managedScaling.status', 'DISABLED'),
    targetCapacity: between(value('targetCapacity'), 'managedScaling.targetCapacity', 1, 100, 100),
    minimumScalingStepSize: between(
      value('minimumScalingStepSize'),
      'managedScaling.minimumScalingStepSize',
      1,
      10000,
      1,
    ),
    maximumScalingStepSize: between(
      value('maximumScalingStepSize'),
      'managedScaling.maximumScalingStepSize',
      1,
      10000,
      10000,
    ),
    instanceWarmupPeriod: between(
      value('instanceWarmupPeriod'),
      'managedScaling.instanceWarmupPeriod',
      0,
      10000,
      300,
    ),
  };
  if (scaling.minimumScalingStepSize > scaling.maximumScalingStepSize) {
    throw invalidParameter(
      'The minimum scaling step size must be less than or equal to the maximum scaling step size.',
    );
  }
  return scaling;
}

function asgProvider(raw: JsonObject, current?: JsonObject): JsonObject {
  const scaling = managedScaling(
    raw.managedScaling as JsonObject | undefined,
    current?.managedScaling as JsonObject | undefined,
  );
  const termination = onOff(
    raw.managedTerminationProtection ?? current?.managedTerminationProtection,
    'managedTerminationProtection',
    'DISABLED',
  );
  if (termination === 'ENABLED' && scaling.status !== 'ENABLED') {
    throw clientException(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.',
    );
  }
  return {
    autoScalingGroupArn: String(current?.autoScalingGroupArn ?? raw.autoScalingGroupArn),
    managedScaling: scaling,
    managedTerminationProtection: termination,
    managedDraining: onOff(raw.managedDraining ?? current?.managedDraining, 'managedDraining', 'ENABLED'),
  };
}

function managedInstancesProvider(raw: JsonObject, current?: JsonObject): JsonObject {
  const role = raw.infrastructureRoleArn ?? current?.infrastructureRoleArn;
  if (typeof role !== 'string' || !role.startsWith('arn:')) {
    throw invalidParameter('managedInstancesProvider.infrastructureRoleArn must be an IAM role ARN.');
  }
  const template = (raw.instanceLaunchTemplate ?? current?.instanceLaunchTemplate) as JsonObject | undefined;
  if (typeof template !== 'object' || template === null) {
    throw invalidParameter('managedInstancesProvider.instanceLaunchTemplate is required.');
  }
  const merged: JsonObject = {
    ...clone((current?.instanceLaunchTemplate as JsonObject) ?? {}),
    ...clone(template),
  };
  if (typeof merged.ec2InstanceProfileArn !== 'string' || merged.ec2InstanceProfileArn === '') {
    throw invalidParameter('instanceLaunchTemplate.ec2InstanceProfileArn is required.');
  }
  const network = merged.networkConfiguration as JsonObject | undefined;
  if (!network || !Array.isArray(network.subnets) || network.subnets.length === 0) {
    throw invalidParameter('instanceLaunchTemplate.networkConfiguration.subnets can not be empty.');
  }
  merged.monitoring ??= 'BASIC';
  merged.capacityOptionType ??= 'ON_DEMAND';
  const propagate = raw.propagateTags ?? current?.propagateTags ?? 'NONE';
  if (propagate !== 'CAPACITY_PROVIDER' && propagate !== 'NONE') {
    throw invalidParameter('propagateTags must be CAPACITY_PROVIDER or NONE.');
  }
  return compact({
    infrastructureRoleArn: role,
    instanceLaunchTemplate: merged,
    propagateTags: propagate,
    infrastructureOptimization: clone(
      (raw.infrastructureOptimization ?? current?.infrastructureOptimization) as JsonObject | undefined,
    ),
    autoRepairConfiguration: clone(
      (raw.autoRepairConfiguration ?? current?.autoRepairConfiguration) as JsonObject | undefined,
    ),
  });
}

export function providerJson(
  ctx: OpContext,
  record: CapacityProviderRecord,
  includeTags: boolean,
): JsonObject {
  return compact({
    capacityProviderArn: record.arn,
    name: record.name,
    cluster: record.cluster,
    status: record.status,
    autoScalingGroupProvider: record.autoScalingGroupProvider,
    managedInstancesProvider: record.managedInstancesProvider,
    updateStatus: record.updateStatus,
    updateStatusReason: record.updateStatusReason,
    tags: includeTags ? tagsJson(tagsOf(ctx, record.arn)) : [],
    type: record.type,
  });
}

function fargateJson(ctx: OpContext, name: string): JsonObject {
  return { capacityProviderArn: providerArn(ctx, name), name, status: 'ACTIVE', tags: [], type: name };
}

function requireClusterNamed(ctx: OpContext, ref: string): ClusterRecord {
  const cluster = ctx.region.clusters[nameFromArnOrName(ref, 'cluster')];
  if (cluster?.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}

export function createCapacityProvider(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = input.requiredString('name');
  if (!NAME.test(name)) {
    throw invalidParameter(
      'The capacity provider name is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.',
    );
  }
  if (/^(aws|ecs|fargate)/i.test(name)) {
    throw invalidParameter('The capacity provider name cannot be prefixed with "aws", "ecs", or "fargate".');
  }
  const asg = input.object('autoScalingGroupProvider');
  const managed = input.object('managedInstancesProvider');
  if ((asg === undefined) === (managed === undefined)) {
    throw invalidParameter(
      'Exactly one of autoScalingGroupProvider or managedInstancesProvider must be specified.',
    );
  }
  const tags = parseTags(input.raw('tags'));
  if (tags.length > MAX_TAGS)
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  const existing = ctx.region.capacityProviders[name];
  if (existing && existing.status === 'ACTIVE') {
    throw clientException(
      'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
    );
  }
  const arn = providerArn(ctx, name);
  let record: CapacityProviderRecord;
  if (asg) {
    const asgArn = asg.autoScalingGroupArn;
    if (typeof asgArn !== 'string' || !ASG_ARN.test(asgArn)) {
      throw invalidParameter('The specified Auto Scaling group ARN is invalid.');
    }
    const taken = Object.values(ctx.region.capacityProviders).some(
      (other) =>
        other.status === 'ACTIVE' &&
        (other.autoScalingGroupProvider as JsonObject | undefined)?.autoScalingGroupArn === asgArn,
    );
    if (taken) {
      throw clientException(
        'The specified Auto Scaling group is already in use by another capacity provider.',
      );
    }
    record = {
      name,
      arn,
      status: 'ACTIVE',
      type: 'EC2_AUTOSCALING',
      autoScalingGroupProvider: asgProvider(asg),
    };
  } else {
    const clusterRef = input.string('cluster');
    if (clusterRef === undefined || clusterRef === '') {
      throw invalidParameter('A cluster must be specified for a Managed Instances capacity provider.');
    }
    const cluster = requireClusterNamed(ctx, clusterRef);
    record = {
      name,
      arn,
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
      cluster: cluster.clusterName,
      managedInstancesProvider: managedInstancesProvider(managed as JsonObject),
    };
  }
  ctx.region.capacityProviders[name] = record;
  setTags(ctx, arn, tags);
  return { capacityProvider: providerJson(ctx, record, true) };
}

export function describeCapacityProviders(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const refs = input.strings('capacityProviders');
  const includeTags = (input.strings('include') ?? []).includes('TAGS');
  const clusterRef = input.string('cluster');
  const clusterName = clusterRef ? requireClusterNamed(ctx, clusterRef).clusterName : undefined;
  if (refs && refs.length > 100) throw invalidParameter('capacityProviders can have at most 100 items.');
  const capacityProviders: JsonObject[] = [];
  const failures: JsonObject[] = [];
  if (refs && refs.length > 0) {
    for (const ref of refs) {
      const name = nameFromArnOrName(ref, 'capacity-provider');
      const record = ctx.region.capacityProviders[name];
      if (isFargateProvider(name)) capacityProviders.push(fargateJson(ctx, name));
      else if (record) capacityProviders.push(providerJson(ctx, record, includeTags));
      else failures.push({ arn: providerArn(ctx, name), reason: 'MISSING' });
    }
    return { capacityProviders, failures };
  }
  const all = [
    ...Object.values(ctx.region.capacityProviders)
      .filter(
        (record) =>
          clusterName === undefined || record.cluster === undefined || record.cluster === clusterName,
      )
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((record) => providerJson(ctx, record, includeTags)),
    ...FARGATE_PROVIDERS.map((name) => fargateJson(ctx, name)),
  ];
  const page = paginate(all, input, { defaultMax: 10, max: 10 }, invalidParameter);
  return compact({ capacityProviders: page.items, failures: [], nextToken: page.nextToken });
}

function requireProvider(ctx: OpContext, ref: string): CapacityProviderRecord {
  const name = nameFromArnOrName(ref, 'capacity-provider');
  if (isFargateProvider(name)) {
    throw clientException(`The ${name} capacity provider is reserved and cannot be modified or deleted.`);
  }
  const record = findProvider(ctx, name);
  if (!record) throw clientException('The specified capacity provider does not exist.');
  return record;
}

export function updateCapacityProvider(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const record = requireProvider(ctx, input.requiredString('name'));
  const asg = input.object('autoScalingGroupProvider');
  const managed = input.object('managedInstancesProvider');
  if (record.type === 'EC2_AUTOSCALING') {
    if (!asg)
      throw invalidParameter(
        'autoScalingGroupProvider must be specified for an Auto Scaling group capacity provider.',
      );
    if (asg.autoScalingGroupArn !== undefined) {
      throw invalidParameter('The Auto Scaling group of a capacity provider cannot be changed.');
    }
    record.autoScalingGroupProvider = asgProvider(asg, record.autoScalingGroupProvider);
  } else {
    if (!managed)
      throw invalidParameter(
        'managedInstancesProvider must be specified for a Managed Instances capacity provider.',
      );
    record.managedInstancesProvider = managedInstancesProvider(managed, record.managedInstancesProvider);
  }
  record.updateStatus = 'UPDATE_COMPLETE';
  return { capacityProvider: providerJson(ctx, record, false) };
}

/** Clusters that list the provider, and services whose strategy names it. */
export function providerUsers(ctx: OpContext, name: string): { clusters: string[]; services: string[] } {
  const clusters = Object.values(ctx.region.clusters)
    .filter((cluster) => cluster.status === 'ACTIVE' && cluster.capacityProviders.includes(name))
    .map((cluster) => cluster.clusterName);
  const services: string[] = [];
  for (const list of Object.values(ctx.region.services)) {
    for (const service of list) {
      if (service.status === 'INACTIVE') continue;
      const strategy = (service.service.capacityProviderStrategy as JsonObject[] | undefined) ?? [];
      if (strategy.some((item) => item.capacityProvider === name)) services.push(service.serviceName);
    }
  }
  return { clusters, services };
}

export function deleteCapacityProvider(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const record = requireProvider(ctx, input.requiredString('capacityProvider'));
  const users = providerUsers(ctx, record.name);
  if (users.services.length > 0) {
    throw new ApiError(
      'ClientException',
      `The capacity provider cannot be deleted because it is used in the capacity provider strategy of services: ${users.services.join(', ')}. Update the services and try again.`,
    );
  }
  // A Managed Instances provider belongs to its cluster; an Auto Scaling group one must be removed first.
  const associated = users.clusters.filter((cluster) => cluster !== record.cluster);
  if (associated.length > 0) {
    throw clientException(
      `The capacity provider cannot be deleted because it is associated with cluster: ${associated.join(', ')}. Remove the capacity provider from the cluster and try again.`,
    );
  }
  for (const cluster of users.clusters) {
    const found = ctx.region.clusters[cluster];
    if (found) found.capacityProviders = found.capacityProviders.filter((name) => name !== record.name);
  }
  record.status = 'INACTIVE';
  record.updateStatus = 'DELETE_COMPLETE';
  record.deletedAtMs = ctx.nowMs;
  const out = providerJson(ctx, record, false);
  setTags(ctx, record.arn, []);
  return { capacityProvider: out };
}

/** The provider behind a strategy item, for placement: EC2 capacity or Fargate. */
export function providerKind(ctx: OpContext, name: string): 'FARGATE' | 'EC2' | undefined {
  if (isFargateProvider(name)) return 'FARGATE';
  return findProvider(ctx, name) ? 'EC2' : undefined;
}

/** Managed scaling is on: ENABLED for an Auto Scaling group provider, always for Managed Instances. */
export function scalesOut(record: CapacityProviderRecord): boolean {
  if (record.type === 'MANAGED_INSTANCES') return true;
  const scaling = (record.autoScalingGroupProvider as JsonObject | undefined)?.managedScaling as
    | JsonObject
    | undefined;
  return scaling?.status === 'ENABLED';
}

export function scalingStep(record: CapacityProviderRecord): number {
  const scaling = (record.autoScalingGroupProvider as JsonObject | undefined)?.managedScaling as
    | JsonObject
    | undefined;
  return Number(scaling?.minimumScalingStepSize ?? 1);
}
