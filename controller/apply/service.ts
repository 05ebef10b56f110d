// Service: CreateService with a deterministic clientToken, UpdateService with only the changed
// fields, replace (scale to 0, delete, wait, recreate) when the plan allows it, and prune
// (scale to 0, DeleteService force). desiredCount of an autoscaled service is set on create only.

import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  type CreateServiceCommandOutput,
  DeleteServiceCommand,
  type DeploymentConfiguration,
  type Service,
  type ServiceConnectConfiguration,
  TagResourceCommand,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
  type UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs';
import { systemClock } from '../clock.js';
import { taskDefinitionTrustTag } from '../diff/fingerprint.js';
import { CIRCUIT_BREAKER_DEFAULTS, deploymentConfigurationDefaults } from '../diff/normalize/defaults.js';
import { serviceStatus } from '../live/lookups.js';
import type { DesiredScalingPolicy, DesiredService } from '../manifest/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { serviceClientToken } from './client-token.js';
import { syncTags } from './cluster.js';
import { type ApplyContext, type EntryRecorder, ownershipTags, toEcsTags } from './context.js';
import { ReplaceTimeoutError, UnknownClusterError } from './errors.js';
import type { KindOutcome } from './outcome.js';
import { changedTopLevelFields } from './tags.js';

/**
 * The CreateService / UpdateService fields of a Service manifest (the rest names or tags it), in the
 * SDK's types. The manifest's are the same shapes (schemas/ is generated from the API), except two
 * the SDK types more narrowly than the API's JSON: a lifecycle hook's `hookDetails` (any JSON value,
 * the SDK's DocumentType) and a Service Connect container configuration (one optional `logLevel`,
 * in the SDK a one-member union).
 */
type Spec = Omit<
  DesiredService['spec'],
  | 'tags'
  | 'cluster'
  | 'taskDefinition'
  | 'serviceName'
  | 'deploymentConfiguration'
  | 'serviceConnectConfiguration'
> & {
  readonly deploymentConfiguration?: DeploymentConfiguration;
  readonly serviceConnectConfiguration?: ServiceConnectConfiguration;
};

/** UpdateService fields, with the value that clears each one when the manifest drops it. */
const UPDATABLE = {
  desiredCount: undefined,
  capacityProviderStrategy: [],
  deploymentConfiguration: {},
  availabilityZoneRebalancing: undefined,
  networkConfiguration: undefined,
  placementConstraints: [],
  placementStrategy: [],
  platformVersion: 'LATEST',
  healthCheckGracePeriodSeconds: 0,
  enableExecuteCommand: false,
  enableECSManagedTags: false,
  loadBalancers: [],
  propagateTags: 'NONE',
  serviceRegistries: [],
  serviceConnectConfiguration: { enabled: false },
  volumeConfigurations: [],
  vpcLatticeConfigurations: [],
} satisfies Partial<UpdateServiceCommandInput>;

type UpdatableField = keyof typeof UPDATABLE;

function isUpdatable(field: string): field is UpdatableField {
  return field in UPDATABLE;
}

/** `arn:aws:ecs:r:a:service/prod/web` → `{ cluster: 'prod', serviceName: 'web' }` (long ARN format). */
export function parseServiceArn(arn: string): { cluster: string; serviceName: string } | undefined {
  const match = /:service\/([^/]+)\/([^/]+)$/.exec(arn);
  return match ? { cluster: match[1] as string, serviceName: match[2] as string } : undefined;
}

function primaryDeploymentId(service: Service | undefined): string | undefined {
  return service?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
}

function specOf(desired: DesiredService): Spec {
  const {
    tags: _tags,
    cluster: _cluster,
    taskDefinition: _taskDefinition,
    serviceName: _serviceName,
    ...spec
  } = desired.spec;
  return spec as Spec;
}

/** The task definition a service must run: registered in this apply, matched by the diff, or external. */
function resolveTaskDefinition(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  desired: DesiredService,
): string {
  const ref = desired.taskDefinition;
  if (ref.type === 'external') return ref.value;
  return context.taskDefinitionArns.get(ref.name) ?? entry.diff.taskDefinition?.arn ?? ref.family;
}

/**
 * The tag that lets a restarted controller trust the revision this service runs without describing
 * it (see diff/fingerprint.ts): only for a TaskDefinition manifest this controller owns or adopts.
 */
function taskDefinitionTag(
  context: ApplyContext,
  desired: DesiredService,
  arn: string | undefined,
): Record<string, string> {
  const ref = desired.taskDefinition;
  if (ref.type !== 'manifest' || !arn) return {};
  const entry = context.entries.get(`TaskDefinition/${ref.name}`);
  const td = entry?.diff.desired;
  if (td?.kind !== 'TaskDefinition' || (entry?.diff.owned === false && !td.policy.adopt)) return {};
  const value = taskDefinitionTrustTag(arn, td);
  return value ? { [OWNERSHIP_TAGS.taskDefinition]: value } : {};
}

/**
 * ECS fills unspecified deployment settings with its defaults (the diff's table); UpdateService must
 * send the whole structure, or a setting the manifest dropped would stay as it was.
 */
function deploymentConfiguration(spec: Spec): DeploymentConfiguration {
  const { maximumPercent, minimumHealthyPercent } = deploymentConfigurationDefaults(
    spec.schedulingStrategy === 'DAEMON',
  );
  return {
    maximumPercent,
    minimumHealthyPercent,
    deploymentCircuitBreaker: { ...CIRCUIT_BREAKER_DEFAULTS },
    ...spec.deploymentConfiguration,
  };
}

function scalingPolicyFor(context: ApplyContext, desired: DesiredService): DesiredScalingPolicy | undefined {
  for (const entry of context.changeSet.entries) {
    const policy = entry.diff.desired;
    if (policy?.kind === 'ScalingPolicy' && policy.serviceName === desired.name) return policy;
  }
  return undefined;
}

function createInput(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  desired: DesiredService,
): CreateServiceCommandInput {
  const spec = specOf(desired);
  const taskDefinition = resolveTaskDefinition(context, entry, desired);
  const tags = {
    ...desired.tags,
    ...ownershipTags(context, entry.key, desired),
    ...taskDefinitionTag(context, desired, taskDefinition),
  };
  const input = {
    ...spec,
    serviceName: desired.serviceName,
    cluster: desired.cluster.clusterName,
    taskDefinition,
    tags: toEcsTags(tags),
  } satisfies CreateServiceCommandInput;
  if (spec.schedulingStrategy === 'DAEMON') delete input.desiredCount;
  else if (input.desiredCount === undefined) {
    // Omitted desiredCount: start at the autoscaling minimum (autoscaling owns it from then on), else 1.
    input.desiredCount = scalingPolicyFor(context, desired)?.spec.minCapacity ?? 1;
  }
  return input;
}

async function create(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  desired: DesiredService,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const input = createInput(context, entry, desired);
  const clientToken = serviceClientToken(
    context.options.instance,
    entry.key,
    context.options.revision,
    input,
  );
  const out = await context.send<CreateServiceCommandOutput>(
    recorder,
    context.clients.ecs,
    new CreateServiceCommand({ ...input, clientToken }),
    `${desired.cluster.clusterName}/${desired.serviceName}`,
  );
  return {
    outcome: 'created',
    arn: out.service?.serviceArn,
    service: { cluster: desired.cluster.clusterName, serviceName: desired.serviceName },
    deploymentId: primaryDeploymentId(out.service),
    message: `created service ${desired.serviceName} on ${String(input.taskDefinition).split('/').pop()}`,
  };
}

/** A spec-hash record a write has begun but not finished (see update()). */
export const PENDING_RECORD = 'pending:';

async function update(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  desired: DesiredService,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const spec = specOf(desired);
  const cluster = desired.cluster.clusterName;
  const serviceName = desired.serviceName;
  const fields = changedTopLevelFields(entry.diff.changes);
  const input: UpdateServiceCommandInput = { cluster, service: serviceName };
  const changed: string[] = [];
  for (const field of fields) {
    if (!isUpdatable(field)) continue;
    // Autoscaling owns desiredCount after creation; never reset it.
    if (field === 'desiredCount' && (desired.autoscaled || spec.desiredCount === undefined)) continue;
    const value =
      field === 'deploymentConfiguration' ? deploymentConfiguration(spec) : (spec[field] ?? UPDATABLE[field]);
    if (value === undefined) continue;
    // Picked by name from the diff: the value is the manifest's (or UPDATABLE's) for that very field.
    Object.assign(input, { [field]: value });
    changed.push(field);
  }
  const ref = desired.taskDefinition;
  const newRevision = ref.type === 'manifest' && context.registered.has(ref.name);
  if (fields.has('taskDefinition') || newRevision) {
    input.taskDefinition = resolveTaskDefinition(context, entry, desired);
    changed.push('taskDefinition');
  }
  // Moving between capacity provider strategies (or off a launch type) needs a new deployment.
  if ('capacityProviderStrategy' in input) input.forceNewDeployment = true;

  let arn = entry.diff.liveArn;
  let deploymentId: string | undefined;
  const intended = context.options.extraTags?.(entry.key)?.[OWNERSHIP_TAGS.specHash];
  if (changed.length > 0 && arn && entry.diff.owned === true && intended) {
    // The record (spec-hash tag) is rewritten after UpdateService; a crash in between would leave the
    // previous record on a changed service, which a restart reads as "Git did not change it": drift,
    // never healed under the default policy. Marking the write as begun first makes that restart
    // see a record that matches nothing, i.e. a deploy to finish (reconcile/drift.ts).
    await context.send(
      recorder,
      context.clients.ecs,
      new TagResourceCommand({
        resourceArn: arn,
        tags: toEcsTags({ [OWNERSHIP_TAGS.specHash]: `${PENDING_RECORD}${intended}` }),
      }),
    );
  }
  if (changed.length > 0) {
    const out = await context.send<UpdateServiceCommandOutput>(
      recorder,
      context.clients.ecs,
      new UpdateServiceCommand(input),
      `${cluster}/${serviceName} (${changed.join(', ')})`,
    );
    arn = out.service?.serviceArn ?? arn;
    deploymentId = primaryDeploymentId(out.service);
  }
  const adopting = entry.diff.owned === false;
  const retag = entry.action === 'update' || adopting;
  if (arn && retag) {
    // The revision the service runs after this update: the one just set, or the one it kept.
    const running = input.taskDefinition ?? entry.diff.taskDefinition?.arn;
    await syncTags(
      context,
      recorder,
      arn,
      {
        ...desired.tags,
        ...ownershipTags(context, entry.key, desired),
        ...taskDefinitionTag(context, desired, running),
      },
      entry,
    );
  }
  if (changed.length === 0 && !retag) {
    return { outcome: 'unchanged', arn, service: { cluster, serviceName }, message: 'no change' };
  }
  const what = changed.length > 0 ? `updated ${changed.join(', ')}` : adopting ? 'adopted' : 'updated tags';
  return { outcome: 'configured', arn, service: { cluster, serviceName }, deploymentId, message: what };
}

/** Scales a service to 0 (a clean drain) and deletes it with force. */
async function drainAndDelete(
  context: ApplyContext,
  recorder: EntryRecorder,
  cluster: string,
  service: string,
): Promise<void> {
  const ecs = context.clients.ecs;
  await context.send(
    recorder,
    ecs,
    new UpdateServiceCommand({ cluster, service, desiredCount: 0 }),
    `${cluster}/${service} → 0`,
  );
  await context.send(
    recorder,
    ecs,
    new DeleteServiceCommand({ cluster, service, force: true }),
    `${cluster}/${service}`,
  );
}

/** ECS refuses to create a service whose name is still DRAINING: wait for INACTIVE. */
async function waitInactive(
  context: ApplyContext,
  recorder: EntryRecorder,
  cluster: string,
  service: string,
): Promise<void> {
  const timeoutMs = context.options.replaceTimeoutMs ?? 10 * 60_000;
  const pollMs = context.options.pollMs ?? 5_000;
  const clock = context.options.clock ?? systemClock;
  const started = clock.monotonicMs();
  for (let waited = 0; ; waited += pollMs) {
    const status = await serviceStatus(context.clients, cluster, service, context.options.signal);
    if (status === undefined || status === 'INACTIVE') return;
    if (waited >= timeoutMs || clock.monotonicMs() - started >= timeoutMs) {
      throw new ReplaceTimeoutError(
        `service ${cluster}/${service} still ${status} after ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    context.step(recorder, `waiting for ${cluster}/${service} to drain (${status})`);
    await context.sleep(pollMs);
  }
}

async function replace(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  desired: DesiredService,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  // The live service may sit in another cluster when the cluster is what changed.
  const live = (entry.diff.liveArn && parseServiceArn(entry.diff.liveArn)) || {
    cluster: desired.cluster.clusterName,
    serviceName: desired.serviceName,
  };
  await drainAndDelete(context, recorder, live.cluster, live.serviceName);
  await waitInactive(context, recorder, live.cluster, live.serviceName);
  const created = await create(context, entry, desired, recorder);
  return { ...created, outcome: 'configured', message: `replaced (${entry.diff.replaceReasons.join('; ')})` };
}

async function prune(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const orphan = context.options.live?.orphans.find((o) => o.kind === 'Service' && o.name === entry.key.name);
  const target =
    (entry.diff.liveArn && parseServiceArn(entry.diff.liveArn)) ||
    (orphan?.clusterName ? { cluster: orphan.clusterName, serviceName: orphan.name } : undefined);
  if (!target) throw new UnknownClusterError(`cannot tell which cluster ${entry.key.name} is in`);
  await drainAndDelete(context, recorder, target.cluster, target.serviceName);
  return {
    outcome: 'deleted',
    arn: entry.diff.liveArn,
    message: `deleted service ${target.cluster}/${target.serviceName}`,
  };
}

export async function applyService(
  context: ApplyContext,
  entry: ChangeSetEntry<'Service'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const { diff } = entry;
  switch (diff.action) {
    case 'delete':
      return prune(context, entry, recorder);
    case 'create':
      return create(context, entry, diff.desired, recorder);
    case 'replace':
      return replace(context, entry, diff.desired, recorder);
    default:
      return update(context, entry, diff.desired, recorder);
  }
}
