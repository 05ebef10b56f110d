// Services: CreateService (idempotent by name + request, clientToken), UpdateService,
// DescribeServices, ListServices, DeleteService — the configuration side; deployments.ts runs them.
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { Json, JsonObject, ServiceRecord, TaskDefinitionRecord } from '../state.js';
import { clientException, invalidParameter, serviceNotActive, serviceNotFound } from '../wire/errors.js';
import { clone, compact, Input, stableStringify } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { clusterArn, serviceArn, serviceNameFromArnOrName } from './arns.js';
import { requireCluster } from './cluster-lookup.js';
import { breakerThreshold, newDeployment, startDeployment } from './deployments.js';
import { validatePlacementRules } from './instance-placement.js';
import { normalizeNetworkConfiguration, type Placement, validatePlacement } from './placement.js';
import { currentRevisionsJson, recordServiceDeployment } from './service-deployments/records.js';
import { validateStrategy } from './service-deployments/strategy-config.js';
import { findService, servicesOf } from './services-store.js';
import { MAX_TAGS, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';
import { resolveTaskDefinition } from './task-definitions.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const PROPAGATE = new Set(['TASK_DEFINITION', 'SERVICE', 'NONE']);
const MAX_DESCRIBE = 10;

function requireActiveTaskDefinition(ctx: OpContext, ref: string | undefined): TaskDefinitionRecord {
  if (ref === undefined || ref === '') throw invalidParameter('TaskDefinition can not be blank.');
  const record = resolveTaskDefinition(ctx, ref);
  if (!record) throw clientException('TaskDefinition not found.');
  if (record.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  return record;
}

/** deploymentConfiguration with ECS's defaults, `current` giving the values not in `input`. */
function deploymentConfiguration(input: JsonObject | undefined, current?: JsonObject): JsonObject {
  const base: JsonObject = current
    ? clone(current)
    : {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      };
  if (!input) return base;
  const out: JsonObject = { ...base, ...clone(input) };
  const breaker = input.deploymentCircuitBreaker as JsonObject | undefined;
  if (breaker) {
    if (typeof breaker.enable !== 'boolean' || typeof breaker.rollback !== 'boolean') {
      throw invalidParameter('deploymentCircuitBreaker requires both enable and rollback.');
    }
    out.deploymentCircuitBreaker = { enable: breaker.enable, rollback: breaker.rollback };
  }
  const max = out.maximumPercent;
  const min = out.minimumHealthyPercent;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 100 || max > 2000) {
    throw invalidParameter('maximumPercent must be an integer between 100 and 2000.');
  }
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > 100) {
    throw invalidParameter('minimumHealthyPercent must be an integer between 0 and 100.');
  }
  return out;
}

function desiredCountOf(input: Input): number | undefined {
  const count = input.integer('desiredCount');
  if (count !== undefined && count < 0)
    throw invalidParameter('desiredCount must be greater than or equal to 0.');
  return count;
}

/** An EXTERNAL service without a task definition: only the launch type it was given is kept. */
function externalPlacement(input: Input): Placement {
  const launchType = input.string('launchType');
  return launchType === undefined ? {} : { launchType };
}

function placementFields(placement: Placement): JsonObject {
  return compact({
    launchType: placement.launchType,
    capacityProviderStrategy: placement.capacityProviderStrategy,
    platformVersion: placement.platformVersion,
    platformFamily: placement.platformFamily,
    networkConfiguration: placement.networkConfiguration,
  });
}

/**
 * Service members ECS reports on the deployment that uses them (Deployment.serviceConnectConfiguration,
 * volumeConfigurations, vpcLatticeConfigurations), never on the Service itself; changing one starts a
 * new deployment (UpdateService: "This parameter triggers a new service deployment").
 */
const DEPLOYMENT_LEVEL = [
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
] as const;

/** Records the service's deployment-level configuration on its newest (PRIMARY) deployment. */
function recordOnDeployment(service: ServiceRecord): void {
  const primary = service.deployments[0] as unknown as JsonObject | undefined;
  if (!primary) return;
  for (const key of DEPLOYMENT_LEVEL) {
    const value = service.service[key];
    if (value !== undefined) primary[key] = clone(value);
  }
}

export function serviceJson(ctx: OpContext, service: ServiceRecord, includeTags: boolean): JsonObject {
  const visible: JsonObject = { ...service.service };
  for (const key of DEPLOYMENT_LEVEL) delete visible[key];
  const out: JsonObject = compact({
    ...visible,
    status: service.status,
    desiredCount: service.desiredCount,
    taskDefinition: service.taskDefinition === '' ? undefined : service.taskDefinition,
    deployments: service.deployments as unknown as JsonObject[],
    events: service.events as unknown as JsonObject[],
    currentServiceDeployment: service.currentServiceDeploymentArn,
    currentServiceRevisions: service.currentServiceDeploymentArn ? currentRevisionsJson(service) : undefined,
  });
  if (includeTags) out.tags = tagsJson(tagsOf(ctx, service.serviceArn));
  return out;
}

export function createService(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = input.string('serviceName');
  if (name === undefined || name === '') throw invalidParameter('Service name can not be blank.');
  if (!NAME.test(name)) {
    throw invalidParameter(
      'Service name is invalid. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const cluster = requireCluster(ctx, input);
  const clientToken = input.string('clientToken');
  if (clientToken !== undefined && clientToken.length > 36) {
    throw invalidParameter('clientToken can have at most 36 characters.');
  }
  // The request minus the token identifies "the same creation" for idempotency.
  const { clientToken: _token, ...request } = body;
  const requestHash = stableStringify(request);
  const existing = findService(ctx, cluster.clusterName, name);
  if (existing && existing.status !== 'INACTIVE') {
    const sameToken =
      clientToken === undefined || existing.clientToken === undefined || existing.clientToken === clientToken;
    if (existing.status === 'ACTIVE' && existing.createRequestHash === requestHash && sameToken) {
      return { service: serviceJson(ctx, existing, false) };
    }
    throw invalidParameter('Creation of service was not idempotent.');
  }
  const scheduling = input.string('schedulingStrategy') ?? 'REPLICA';
  if (scheduling !== 'REPLICA' && scheduling !== 'DAEMON') {
    throw invalidParameter(`Invalid schedulingStrategy: ${scheduling}.`);
  }
  const controller = (input.object('deploymentController')?.type as string | undefined) ?? 'ECS';
  if (!['ECS', 'CODE_DEPLOY', 'EXTERNAL'].includes(controller)) {
    throw invalidParameter(`Invalid deploymentController type: ${controller}.`);
  }
  // An EXTERNAL service's tasks come from its task sets: a task definition is optional.
  const external = controller === 'EXTERNAL';
  const taskDefinitionRef = input.string('taskDefinition');
  const definition =
    external && (taskDefinitionRef === undefined || taskDefinitionRef === '')
      ? undefined
      : requireActiveTaskDefinition(ctx, taskDefinitionRef);
  const placement: Placement = definition
    ? validatePlacement(ctx, cluster, definition, input)
    : externalPlacement(input);
  validatePlacementRules(
    input.objects('placementConstraints') ?? [],
    input.objects('placementStrategy') ?? [],
  );
  const desiredCount = desiredCountOf(input) ?? (scheduling === 'DAEMON' ? 0 : 1);
  const propagateTags = input.string('propagateTags') ?? 'NONE';
  if (!PROPAGATE.has(propagateTags)) throw invalidParameter(`Invalid propagateTags: ${propagateTags}.`);
  const tags = parseTags(input.raw('tags'));
  if (tags.length > MAX_TAGS)
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  const grace = input.integer('healthCheckGracePeriodSeconds');
  const loadBalancers = clone(input.objects('loadBalancers')) ?? [];
  if (grace !== undefined && loadBalancers.length === 0) {
    throw invalidParameter(
      'Health check grace period is only valid for services configured to use load balancers',
    );
  }
  const arn = serviceArn(ctx, cluster.clusterName, name);
  const now = epochSeconds(ctx.nowMs);
  const service: ServiceRecord = {
    service: compact({
      serviceArn: arn,
      serviceName: name,
      clusterArn: clusterArn(ctx, cluster.clusterName),
      loadBalancers,
      serviceRegistries: clone(input.objects('serviceRegistries')) ?? [],
      runningCount: 0,
      pendingCount: 0,
      ...placementFields(placement),
      deploymentConfiguration: deploymentConfiguration(input.object('deploymentConfiguration')),
      roleArn:
        input.string('role') ??
        `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
      createdAt: now,
      placementConstraints: clone(input.objects('placementConstraints')) ?? [],
      placementStrategy: clone(input.objects('placementStrategy')) ?? [],
      // ECS reports a grace period only for services behind a load balancer (or when given).
      healthCheckGracePeriodSeconds: grace ?? (loadBalancers.length > 0 ? 0 : undefined),
      schedulingStrategy: scheduling,
      deploymentController: { type: controller },
      createdBy: ctx.principal,
      enableECSManagedTags: input.boolean('enableECSManagedTags') ?? false,
      propagateTags,
      enableExecuteCommand: input.boolean('enableExecuteCommand') ?? false,
      serviceConnectConfiguration: clone(input.object('serviceConnectConfiguration')),
      volumeConfigurations: clone(input.objects('volumeConfigurations')),
      availabilityZoneRebalancing: input.string('availabilityZoneRebalancing'),
    }),
    serviceArn: arn,
    serviceName: name,
    clusterName: cluster.clusterName,
    status: 'ACTIVE',
    desiredCount,
    taskDefinition: definition ? String(definition.taskDefinition.taskDefinitionArn) : '',
    deployments: [],
    events: [],
    createRequestHash: requestHash,
    steady: false,
    ...(clientToken !== undefined ? { clientToken } : {}),
  };
  validateStrategy(service.service.deploymentConfiguration as JsonObject, {
    controller,
    loadBalancers,
    ...(service.service.serviceConnectConfiguration
      ? { serviceConnectConfiguration: service.service.serviceConnectConfiguration as JsonObject }
      : {}),
  });
  if (external) service.service.taskSets = [];
  else {
    const deployment = newDeployment(ctx, service, service.taskDefinition);
    startDeployment(service, deployment);
    recordOnDeployment(service);
    recordServiceDeployment(ctx, service, deployment, definition, breakerThreshold(desiredCount));
  }
  // An INACTIVE service of the same name is replaced by the new one.
  const list = servicesOf(ctx, cluster.clusterName).filter((s) => s.serviceName !== name);
  list.push(service);
  ctx.region.services[cluster.clusterName] = list;
  setTags(ctx, arn, tags);
  return { service: serviceJson(ctx, service, false) };
}

function requireService(ctx: OpContext, input: Input, member: string): ServiceRecord {
  const cluster = requireCluster(ctx, input);
  const ref = input.string(member);
  if (ref === undefined || ref === '') throw invalidParameter(`${member} can not be blank.`);
  const service = findService(ctx, cluster.clusterName, serviceNameFromArnOrName(ref).name);
  if (!service) throw serviceNotFound();
  return service;
}

const changed = (a: Json | undefined, b: Json | undefined) => stableStringify(a) !== stableStringify(b);

export function updateService(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireService(ctx, input, 'service');
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  const cluster = requireCluster(ctx, input);
  const s = service.service;
  if ((s.deploymentController as JsonObject | undefined)?.type === 'EXTERNAL')
    return updateExternal(ctx, service, input);
  const desiredCount = desiredCountOf(input);
  const taskDefinitionRef = input.string('taskDefinition');
  const definition =
    taskDefinitionRef !== undefined
      ? requireActiveTaskDefinition(ctx, taskDefinitionRef)
      : resolveTaskDefinition(ctx, service.taskDefinition);
  if (!definition) throw clientException('TaskDefinition not found.');
  // Placement members not given keep their current values.
  const placementInput: JsonObject = {
    ...(input.has('capacityProviderStrategy')
      ? { capacityProviderStrategy: input.raw('capacityProviderStrategy')! }
      : s.capacityProviderStrategy
        ? { capacityProviderStrategy: s.capacityProviderStrategy }
        : { launchType: s.launchType ?? 'EC2' }),
    ...(input.has('networkConfiguration')
      ? { networkConfiguration: input.raw('networkConfiguration')! }
      : s.networkConfiguration
        ? { networkConfiguration: s.networkConfiguration }
        : {}),
    ...(input.has('platformVersion')
      ? { platformVersion: input.raw('platformVersion')! }
      : s.platformVersion
        ? { platformVersion: s.platformVersion }
        : {}),
  };
  const placement = validatePlacement(ctx, cluster, definition, new Input(placementInput));
  const deploymentConfig = deploymentConfiguration(
    input.object('deploymentConfiguration'),
    s.deploymentConfiguration as JsonObject,
  );
  validatePlacementRules(
    input.objects('placementConstraints') ?? (s.placementConstraints as JsonObject[] | undefined) ?? [],
    input.objects('placementStrategy') ?? (s.placementStrategy as JsonObject[] | undefined) ?? [],
  );
  const propagateTags = input.string('propagateTags');
  if (propagateTags !== undefined && !PROPAGATE.has(propagateTags)) {
    throw invalidParameter(`Invalid propagateTags: ${propagateTags}.`);
  }
  if (input.has('networkConfiguration')) normalizeNetworkConfiguration(input.object('networkConfiguration')!);
  const serviceConnect = input.has('serviceConnectConfiguration')
    ? input.object('serviceConnectConfiguration')
    : (s.serviceConnectConfiguration as JsonObject | undefined);
  validateStrategy(deploymentConfig, {
    controller: String((s.deploymentController as JsonObject | undefined)?.type ?? 'ECS'),
    loadBalancers: input.objects('loadBalancers') ?? (s.loadBalancers as JsonObject[] | undefined) ?? [],
    ...(serviceConnect ? { serviceConnectConfiguration: serviceConnect } : {}),
  });

  const newArn = String(definition.taskDefinition.taskDefinitionArn);
  const fields = placementFields(placement);
  const needsDeployment =
    input.boolean('forceNewDeployment') === true ||
    newArn !== service.taskDefinition ||
    changed(fields.networkConfiguration, s.networkConfiguration) ||
    changed(fields.platformVersion, s.platformVersion) ||
    changed(fields.capacityProviderStrategy, s.capacityProviderStrategy) ||
    changed(fields.launchType, s.launchType) ||
    (input.has('loadBalancers') && changed(input.raw('loadBalancers'), s.loadBalancers)) ||
    (input.has('serviceRegistries') && changed(input.raw('serviceRegistries'), s.serviceRegistries)) ||
    DEPLOYMENT_LEVEL.some((key) => input.has(key) && changed(input.raw(key), s[key]));

  for (const key of [
    'launchType',
    'capacityProviderStrategy',
    'platformVersion',
    'platformFamily',
    'networkConfiguration',
  ]) {
    delete s[key];
  }
  Object.assign(s, fields);
  s.deploymentConfiguration = deploymentConfig;
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  if (propagateTags !== undefined) s.propagateTags = propagateTags;
  for (const key of ['enableECSManagedTags', 'enableExecuteCommand'] as const) {
    const value = input.boolean(key);
    if (value !== undefined) s[key] = value;
  }
  for (const key of [
    'loadBalancers',
    'serviceRegistries',
    'placementConstraints',
    'placementStrategy',
  ] as const) {
    const value = input.objects(key);
    if (value !== undefined) s[key] = clone(value);
  }
  const grace = input.integer('healthCheckGracePeriodSeconds');
  if (grace !== undefined) s.healthCheckGracePeriodSeconds = grace;
  for (const key of [
    'serviceConnectConfiguration',
    'availabilityZoneRebalancing',
    'volumeConfigurations',
    'vpcLatticeConfigurations',
  ] as const) {
    if (input.has(key)) s[key] = clone(input.raw(key)!);
  }
  if (needsDeployment) {
    const deployment = newDeployment(ctx, service, newArn);
    startDeployment(service, deployment);
    recordOnDeployment(service);
    recordServiceDeployment(ctx, service, deployment, definition, breakerThreshold(service.desiredCount));
  } else if (desiredCount !== undefined)
    service.steady = service.steady && desiredCount === Number(s.runningCount);
  return { service: serviceJson(ctx, service, false) };
}

// What UpdateService may change on an EXTERNAL service; the rest belongs to its task sets.
const EXTERNAL_TASK_SET_MEMBERS = [
  'taskDefinition',
  'networkConfiguration',
  'platformVersion',
  'loadBalancers',
  'serviceRegistries',
  'launchType',
  'capacityProviderStrategy',
  'forceNewDeployment',
];

function updateExternal(ctx: OpContext, service: ServiceRecord, input: Input): Json {
  const given = EXTERNAL_TASK_SET_MEMBERS.filter((member) => input.has(member));
  if (given.length > 0) {
    throw invalidParameter(
      `${given.join(', ')} cannot be updated for a service that uses the EXTERNAL deployment controller. Create a new task set instead.`,
    );
  }
  const s = service.service;
  const desiredCount = desiredCountOf(input);
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  s.deploymentConfiguration = deploymentConfiguration(
    input.object('deploymentConfiguration'),
    s.deploymentConfiguration as JsonObject,
  );
  const grace = input.integer('healthCheckGracePeriodSeconds');
  if (grace !== undefined) s.healthCheckGracePeriodSeconds = grace;
  const propagateTags = input.string('propagateTags');
  if (propagateTags !== undefined) {
    if (!PROPAGATE.has(propagateTags)) throw invalidParameter(`Invalid propagateTags: ${propagateTags}.`);
    s.propagateTags = propagateTags;
  }
  const managed = input.boolean('enableECSManagedTags');
  if (managed !== undefined) s.enableECSManagedTags = managed;
  for (const key of ['placementConstraints', 'placementStrategy'] as const) {
    const value = input.objects(key);
    if (value !== undefined) s[key] = clone(value);
  }
  return { service: serviceJson(ctx, service, false) };
}

export function describeServices(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const refs = input.strings('services') ?? [];
  if (refs.length === 0) throw invalidParameter('Services cannot be empty.');
  if (refs.length > MAX_DESCRIBE) throw invalidParameter(`services can have at most ${MAX_DESCRIBE} items.`);
  const includeTags = (input.strings('include') ?? []).includes('TAGS');
  const services: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const name = serviceNameFromArnOrName(ref).name;
    const service = findService(ctx, cluster.clusterName, name);
    if (service) services.push(serviceJson(ctx, service, includeTags));
    else
      failures.push({
        // ECS reports a missing name in the short service ARN form, without the cluster.
        arn: ref.startsWith('arn:') ? ref : `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}:service/${name}`,
        reason: 'MISSING',
      });
  }
  return { services, failures };
}

export function listServices(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const launchType = input.string('launchType');
  const scheduling = input.string('schedulingStrategy');
  const arns = (ctx.region.services[cluster.clusterName] ?? [])
    .filter((service) => service.status !== 'INACTIVE')
    .filter((service) => launchType === undefined || service.service.launchType === launchType)
    .filter((service) => scheduling === undefined || service.service.schedulingStrategy === scheduling)
    .map((service) => service.serviceArn);
  const page = paginate(arns, input, { defaultMax: 10, max: 100 }, invalidParameter);
  return compact({ serviceArns: page.items, nextToken: page.nextToken });
}

export function deleteService(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const service = requireService(ctx, input, 'service');
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  const force = input.boolean('force') === true;
  if (service.desiredCount > 0 && !force) {
    throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  service.status = 'DRAINING';
  for (const deployment of service.deployments) deployment.desiredCount = 0;
  return { service: serviceJson(ctx, service, false) };
}
