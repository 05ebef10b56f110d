// Service deployments and service revisions (API_ServiceDeployment, API_ServiceRevision): one of
// each for every CreateService/UpdateService that starts a deployment, whatever the strategy.
import { createHash, randomBytes } from 'node:crypto';
import type { OpContext } from '../../context.js';
import { epochSeconds } from '../../context.js';
import type {
  DeploymentRecord,
  Json,
  JsonObject,
  ServiceDeploymentRecord,
  ServiceRecord,
  TaskDefinitionRecord,
} from '../../state.js';
import { clone, compact } from '../../wire/input.js';
import { clusterArn } from '../arns.js';
import { buildPlan } from './plan.js';
import { isProgressive, strategyOf } from './strategy-config.js';

/** Statuses of a deployment that has not finished (the "Pending" and "Ongoing" stages). */
export const UNFINISHED = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

export function deploymentsOf(ctx: OpContext): Record<string, ServiceDeploymentRecord> {
  ctx.region.serviceDeployments ??= {};
  return ctx.region.serviceDeployments;
}

export function revisionsOf(ctx: OpContext): Record<string, JsonObject> {
  ctx.region.serviceRevisions ??= {};
  return ctx.region.serviceRevisions;
}

const prefix = (ctx: OpContext) => `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}`;

function nineteenDigits(): string {
  const value = (randomBytes(8).readBigUInt64BE() % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n;
  return value.toString();
}

/** The service deployment the service's last deployment-starting call created. */
export function currentOf(ctx: OpContext, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  const arn = service.currentServiceDeploymentArn;
  return arn ? ctx.region.serviceDeployments?.[arn] : undefined;
}

/** The revision a classic deployment runs (absent for deployments made before revisions existed). */
export function revisionOfDeployment(service: ServiceRecord, deploymentId: string): string | undefined {
  return service.revisionsByDeployment?.[deploymentId];
}

function containerImages(definition: TaskDefinitionRecord | undefined): JsonObject[] {
  const containers = (definition?.taskDefinition.containerDefinitions as JsonObject[] | undefined) ?? [];
  return containers.map((container) => ({
    containerName: String(container.name ?? ''),
    image: String(container.image ?? ''),
    // No registry is consulted: the digest stands for the image reference itself.
    imageDigest: `sha256:${createHash('sha256')
      .update(String(container.image ?? ''))
      .digest('hex')}`,
  }));
}

/** Which target group and listener rule serve the revision, blue and green alternating. */
function resolvedLoadBalancers(service: ServiceRecord, green: boolean): JsonObject[] {
  const lbs = (service.service.loadBalancers as JsonObject[] | undefined) ?? [];
  return lbs.map((lb) => {
    const advanced = lb.advancedConfiguration as JsonObject | undefined;
    const targetGroupArn =
      green && advanced?.alternateTargetGroupArn ? advanced.alternateTargetGroupArn : lb.targetGroupArn;
    return compact({
      targetGroupArn: targetGroupArn ?? undefined,
      productionListenerRule: advanced?.productionListenerRule ?? undefined,
    });
  });
}

function newRevision(
  ctx: OpContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  definition: TaskDefinitionRecord | undefined,
  green: boolean,
): string {
  const arn = `${prefix(ctx)}:service-revision/${service.clusterName}/${service.serviceName}/${nineteenDigits()}`;
  const s = service.service;
  const revision = compact({
    serviceRevisionArn: arn,
    serviceArn: service.serviceArn,
    clusterArn: clusterArn(ctx, service.clusterName),
    taskDefinition: deployment.taskDefinition,
    capacityProviderStrategy: clone(deployment.capacityProviderStrategy),
    launchType: deployment.launchType,
    platformVersion: deployment.platformVersion,
    platformFamily: deployment.platformFamily,
    loadBalancers: clone(s.loadBalancers as Json | undefined),
    serviceRegistries: clone(s.serviceRegistries as Json | undefined),
    networkConfiguration: clone(deployment.networkConfiguration),
    containerImages: containerImages(definition),
    guardDutyEnabled: false,
    serviceConnectConfiguration: clone(s.serviceConnectConfiguration as Json | undefined),
    volumeConfigurations: clone(s.volumeConfigurations as Json | undefined),
    vpcLatticeConfigurations: clone(s.vpcLatticeConfigurations as Json | undefined),
    createdAt: epochSeconds(ctx.nowMs),
  });
  const resolved = resolvedLoadBalancers(service, green);
  if (resolved.length > 0) revision.resolvedConfiguration = { loadBalancers: resolved };
  revisionsOf(ctx)[arn] = revision;
  service.revisionsByDeployment ??= {};
  service.revisionsByDeployment[deployment.id] = arn;
  return arn;
}

function breakerOf(config: JsonObject, threshold: number): ServiceDeploymentRecord['breaker'] {
  const breaker = config.deploymentCircuitBreaker as JsonObject | undefined;
  return { status: breaker?.enable === true ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold };
}

function alarmsOf(config: JsonObject): ServiceDeploymentRecord['alarms'] {
  const alarms = config.alarms as JsonObject | undefined;
  const names = ((alarms?.alarmNames as string[] | undefined) ?? []).filter((n) => typeof n === 'string');
  return {
    status: alarms?.enable === true ? 'MONITORING' : 'DISABLED',
    alarmNames: names,
    triggeredAlarmNames: [],
  };
}

/**
 * Records the service deployment (and the target's service revision) of a deployment that
 * CreateService/UpdateService just started. An unfinished earlier one is superseded: STOPPED.
 */
export function recordServiceDeployment(
  ctx: OpContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  definition: TaskDefinitionRecord | undefined,
  breakerThreshold: number,
): ServiceDeploymentRecord {
  const config = clone((service.service.deploymentConfiguration as JsonObject | undefined) ?? {});
  const strategy = strategyOf(config);
  const previous = currentOf(ctx, service);
  const sources = service.deployments
    .filter((d) => d.id !== deployment.id && d.status !== 'INACTIVE')
    .map((d) => ({ deploymentId: d.id, revisionArn: revisionOfDeployment(service, d.id) }))
    .filter((s): s is { deploymentId: string; revisionArn: string } => s.revisionArn !== undefined);
  // Blue and green alternate between the load balancer's two target groups.
  const previousGreen = previous ? previous.targetRevisionGreen === true : false;
  const green = isProgressive(strategy) ? !previousGreen : false;
  const targetRevisionArn = newRevision(ctx, service, deployment, definition, green);
  const now = epochSeconds(ctx.nowMs);
  if (previous && UNFINISHED.has(previous.status)) {
    previous.status = 'STOPPED';
    previous.statusReason = 'Service deployment was stopped: a newer service deployment replaced it.';
    previous.stoppedAt = now;
    previous.finishedAt = now;
    previous.updatedAt = now;
    previous.hooks = [];
    delete previous.nextAtMs;
  }
  const arn = `${prefix(ctx)}:service-deployment/${service.clusterName}/${service.serviceName}/${randomBytes(16).toString('base64url').slice(0, 22)}`;
  const record: ServiceDeploymentRecord = {
    arn,
    serviceArn: service.serviceArn,
    clusterName: service.clusterName,
    serviceName: service.serviceName,
    strategy,
    status: 'PENDING',
    createdAt: now,
    updatedAt: now,
    deploymentConfiguration: config,
    targetRevisionArn,
    targetRevisionGreen: green,
    targetDeploymentId: deployment.id,
    sources,
    productionWeight: 0,
    testWeight: 0,
    breaker: breakerOf(config, breakerThreshold),
    alarms: alarmsOf(config),
    hooks: [],
  };
  if (isProgressive(strategy)) {
    record.plan = buildPlan(strategy, config, sources.length);
    record.stepIndex = -1;
  }
  deploymentsOf(ctx)[arn] = record;
  service.currentServiceDeploymentArn = arn;
  return record;
}

interface Counts {
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
}

function countsOf(service: ServiceRecord | undefined, deploymentId: string): Counts {
  const deployment = service?.deployments.find((d) => d.id === deploymentId);
  if (!deployment) return { requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 };
  return {
    requestedTaskCount: deployment.desiredCount,
    runningTaskCount: deployment.runningCount,
    pendingTaskCount: deployment.pendingCount,
  };
}

function seconds(ms: number): number {
  return epochSeconds(ms);
}

/** The DescribeServiceDeployments `ServiceDeployment`. */
export function serviceDeploymentJson(
  record: ServiceDeploymentRecord,
  service: ServiceRecord | undefined,
  clusterArnValue: string,
): JsonObject {
  const progressive = isProgressive(strategyOf(record.deploymentConfiguration));
  const sourceShare = record.sources.length > 0 ? (100 - record.productionWeight) / record.sources.length : 0;
  const testShare = record.sources.length > 0 ? (100 - record.testWeight) / record.sources.length : 0;
  const weights = (production: number, test: number): JsonObject =>
    progressive
      ? { requestedProductionTrafficWeight: round(production), requestedTestTrafficWeight: round(test) }
      : {};
  return compact({
    serviceDeploymentArn: record.arn,
    serviceArn: record.serviceArn,
    clusterArn: clusterArnValue,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    stoppedAt: record.stoppedAt,
    updatedAt: record.updatedAt,
    sourceServiceRevisions: record.sources.map((source) => ({
      arn: source.revisionArn,
      ...countsOf(service, source.deploymentId),
      ...weights(sourceShare, testShare),
    })),
    targetServiceRevision: {
      arn: record.targetRevisionArn,
      ...countsOf(service, record.targetDeploymentId),
      ...weights(record.productionWeight, record.testWeight),
    },
    status: record.status,
    statusReason: record.statusReason,
    lifecycleStage: record.lifecycleStage,
    lifecycleHookDetails:
      record.hooks.length > 0
        ? record.hooks.map((hook) =>
            compact({
              hookId: hook.hookId,
              targetType: hook.targetType,
              targetArn: hook.targetArn,
              status: hook.status,
              expiresAt: seconds(hook.expiresAtMs),
              timeoutAction: hook.timeoutAction,
            }),
          )
        : undefined,
    deploymentConfiguration: record.deploymentConfiguration,
    rollback: record.rollback
      ? compact({
          reason: record.rollback.reason,
          startedAt: record.rollback.startedAt,
          serviceRevisionArn: record.rollback.serviceRevisionArn,
        })
      : undefined,
    deploymentCircuitBreaker: { ...record.breaker },
    alarms: compact({
      status: record.alarms.status,
      alarmNames: record.alarms.alarmNames.length > 0 ? [...record.alarms.alarmNames] : undefined,
      triggeredAlarmNames:
        record.alarms.triggeredAlarmNames.length > 0 ? [...record.alarms.triggeredAlarmNames] : undefined,
    }),
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** DescribeServices' `currentServiceRevisions`: the revisions that still have tasks. */
export function currentRevisionsJson(service: ServiceRecord): JsonObject[] {
  return service.deployments.flatMap((deployment) => {
    const arn = revisionOfDeployment(service, deployment.id);
    if (!arn) return [];
    return [
      {
        arn,
        requestedTaskCount: deployment.desiredCount,
        runningTaskCount: deployment.runningCount,
        pendingTaskCount: deployment.pendingCount,
      },
    ];
  });
}
