// ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions,
// StopServiceDeployment and ContinueServiceDeployment.
import type { OpContext } from '../../context.js';
import { epochSeconds } from '../../context.js';
import type { Json, JsonObject, ServiceDeploymentRecord } from '../../state.js';
import { conflict, invalidParameter, serviceDeploymentNotFound, serviceNotFound } from '../../wire/errors.js';
import { compact, Input } from '../../wire/input.js';
import { paginate } from '../../wire/pagination.js';
import { clusterArn, serviceNameFromArnOrName } from '../arns.js';
import { requireCluster } from '../cluster-lookup.js';
import { findService } from '../services-store.js';
import { answerHook, requestRollback } from './progressive.js';
import { deploymentsOf, revisionsOf, serviceDeploymentJson, UNFINISHED } from './records.js';

const MAX_DESCRIBE = 20;
const STATUSES = new Set([
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);

function serviceOf(ctx: OpContext, record: ServiceDeploymentRecord) {
  return findService(ctx, record.clusterName, record.serviceName);
}

function json(ctx: OpContext, record: ServiceDeploymentRecord): JsonObject {
  return serviceDeploymentJson(record, serviceOf(ctx, record), clusterArn(ctx, record.clusterName));
}

function timestamp(value: Json | undefined, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw invalidParameter(`${name} must be a timestamp.`);
  return value;
}

export function listServiceDeployments(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const ref = input.requiredString('service');
  const service = findService(ctx, cluster.clusterName, serviceNameFromArnOrName(ref).name);
  if (!service) throw serviceNotFound();
  const statuses = input.strings('status');
  for (const status of statuses ?? []) {
    if (!STATUSES.has(status)) throw invalidParameter(`Invalid status: ${status}.`);
  }
  const created = input.object('createdAt');
  const before = timestamp(created?.before, 'createdAt.before');
  const after = timestamp(created?.after, 'createdAt.after');
  const records = Object.values(deploymentsOf(ctx))
    .filter((r) => r.serviceArn === service.serviceArn)
    .filter((r) => !statuses || statuses.length === 0 || statuses.includes(r.status))
    .filter(
      (r) => (before === undefined || r.createdAt < before) && (after === undefined || r.createdAt > after),
    )
    .sort((a, b) => b.createdAt - a.createdAt);
  const page = paginate(records, input, { defaultMax: 20, max: 100 }, invalidParameter);
  return compact({
    serviceDeployments: page.items.map((r) =>
      compact({
        serviceDeploymentArn: r.arn,
        serviceArn: r.serviceArn,
        clusterArn: clusterArn(ctx, r.clusterName),
        startedAt: r.startedAt,
        createdAt: r.createdAt,
        finishedAt: r.finishedAt,
        targetServiceRevisionArn: r.targetRevisionArn,
        status: r.status,
        statusReason: r.statusReason,
      }),
    ),
    nextToken: page.nextToken,
  });
}

function arnsOf(input: Input, member: string): string[] {
  const arns = input.strings(member) ?? [];
  if (arns.length === 0) throw invalidParameter(`${member} can not be empty.`);
  if (arns.length > MAX_DESCRIBE) throw invalidParameter(`${member} can have at most ${MAX_DESCRIBE} items.`);
  return arns;
}

export function describeServiceDeployments(ctx: OpContext, body: JsonObject): Json {
  const arns = arnsOf(new Input(body), 'serviceDeploymentArns');
  const records = deploymentsOf(ctx);
  const serviceDeployments: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const record = records[arn];
    if (record) serviceDeployments.push(json(ctx, record));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}

export function describeServiceRevisions(ctx: OpContext, body: JsonObject): Json {
  const arns = arnsOf(new Input(body), 'serviceRevisionArns');
  const revisions = revisionsOf(ctx);
  const serviceRevisions: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const revision = revisions[arn];
    if (revision) serviceRevisions.push(revision);
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceRevisions, failures };
}

function requireRecord(ctx: OpContext, input: Input): ServiceDeploymentRecord {
  const arn = input.requiredString('serviceDeploymentArn');
  const record = deploymentsOf(ctx)[arn];
  if (!record) throw serviceDeploymentNotFound();
  return record;
}

export function stopServiceDeployment(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const record = requireRecord(ctx, input);
  const stopType = input.string('stopType') ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') {
    throw invalidParameter(`Invalid stopType: ${stopType}. Valid values are ABORT, ROLLBACK.`);
  }
  if (!UNFINISHED.has(record.status)) {
    throw conflict(`The service deployment is ${record.status} and cannot be stopped.`);
  }
  // STOP_REQUESTED and ROLLBACK_* continue what they are doing.
  if (record.status === 'PENDING' || record.status === 'IN_PROGRESS') {
    if (stopType === 'ROLLBACK')
      requestRollback(ctx, record, 'Service deployment rolled back by StopServiceDeployment.');
    else {
      record.status = 'STOP_REQUESTED';
      record.statusReason = 'Service deployment stopped by StopServiceDeployment.';
      record.updatedAt = epochSeconds(ctx.nowMs);
    }
  }
  return { serviceDeploymentArn: record.arn };
}

export function continueServiceDeployment(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const record = requireRecord(ctx, input);
  const hookId = input.requiredString('hookId');
  const action = input.string('action') ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
    throw invalidParameter(`Invalid action: ${action}. Valid values are CONTINUE, ROLLBACK.`);
  }
  const hook = record.hooks.find((h) => h.hookId === hookId);
  if (hook?.targetType !== 'PAUSE') {
    throw invalidParameter(`The lifecycle hook ${hookId} is not a paused hook of this service deployment.`);
  }
  if (record.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION') {
    throw invalidParameter(`The lifecycle hook ${hookId} is not awaiting action.`);
  }
  answerHook(ctx, record, hook, action);
  return { serviceDeploymentArn: record.arn };
}
