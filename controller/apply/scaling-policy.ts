// ScalingPolicy: one scalable target (service/<cluster>/<service>, ecs:service:DesiredCount), its
// target tracking / step scaling policies and scheduled actions. Only what changed is written;
// policies and scheduled actions that left the manifest are deleted. Prune deregisters the target
// (which removes its policies and scheduled actions with it).

import {
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  PutScheduledActionCommand,
  type PutScheduledActionCommandInput,
  RegisterScalableTargetCommand,
  type RegisterScalableTargetCommandOutput,
  TagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { FieldChange } from '../diff/model.js';
import { plainSpec } from '../diff/normalize/values.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { type ApplyContext, type EntryRecorder, ownershipTags } from './context.js';
import { UnknownTargetError } from './errors.js';
import type { KindOutcome } from './outcome.js';
import { changedTopLevelFields, hasTagChanges } from './tags.js';

const NAMESPACE = 'ecs';
const DIMENSION = 'ecs:service:DesiredCount';
type Spec = Record<string, unknown>;

/** camelCase manifest shapes → Application Auto Scaling's PascalCase, deeply. */
export function pascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCaseKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Spec)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key.charAt(0).toUpperCase() + key.slice(1), pascalCaseKeys(field)]),
    );
  }
  return value;
}

type ListField = 'targetTracking' | 'stepScaling' | 'scheduledActions';

function itemName(field: ListField, item: Spec): string {
  return String(field === 'scheduledActions' ? item.scheduledActionName : item.policyName);
}

/**
 * Which items of a list the diff touches: names from `targetTracking[cpu60].targetValue`, or
 * `'all'` when a change cannot be pinned to one item (positional paths, the whole list).
 */
function touchedItems(
  changes: readonly FieldChange[],
  field: ListField,
): { names: Set<string>; all: boolean; removed: Set<string> } {
  const names = new Set<string>();
  const removed = new Set<string>();
  let all = false;
  for (const change of changes) {
    if (change.path !== field && !change.path.startsWith(`${field}[`) && !change.path.startsWith(`${field}.`))
      continue;
    const match = new RegExp(`^${field}\\[([^\\]]+)\\](.*)$`).exec(change.path);
    if (!match || /^\d+$/.test(match[1] as string)) {
      all = true;
      continue;
    }
    const name = match[1] as string;
    if (change.op === 'remove' && match[2] === '') removed.add(name);
    else names.add(name);
  }
  return { names, all, removed };
}

export function putScalingPolicyInput(
  resourceId: string,
  field: 'targetTracking' | 'stepScaling',
  policy: Spec,
): PutScalingPolicyCommandInput {
  const base = {
    PolicyName: String(policy.policyName),
    ServiceNamespace: NAMESPACE,
    ResourceId: resourceId,
    ScalableDimension: DIMENSION,
  } as const;
  if (field === 'stepScaling') {
    const { policyName: _name, ...config } = policy;
    return {
      ...base,
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: pascalCaseKeys(config) as never,
    };
  }
  const predefined =
    policy.predefinedMetricSpecification !== undefined
      ? pascalCaseKeys(policy.predefinedMetricSpecification)
      : policy.predefinedMetricType !== undefined
        ? { PredefinedMetricType: policy.predefinedMetricType }
        : undefined;
  const config = {
    TargetValue: policy.targetValue,
    PredefinedMetricSpecification: predefined,
    CustomizedMetricSpecification: pascalCaseKeys(policy.customizedMetricSpecification),
    ScaleOutCooldown: policy.scaleOutCooldown,
    ScaleInCooldown: policy.scaleInCooldown,
    DisableScaleIn: policy.disableScaleIn,
  };
  return {
    ...base,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: pascalCaseKeys(config) as never,
  };
}

export function putScheduledActionInput(resourceId: string, action: Spec): PutScheduledActionCommandInput {
  const date = (value: unknown) => (value === undefined ? undefined : new Date(String(value)));
  return {
    ServiceNamespace: NAMESPACE,
    ResourceId: resourceId,
    ScalableDimension: DIMENSION,
    ScheduledActionName: String(action.scheduledActionName),
    Schedule: action.schedule as string | undefined,
    Timezone: action.timezone as string | undefined,
    StartTime: date(action.startTime),
    EndTime: date(action.endTime),
    ScalableTargetAction: pascalCaseKeys(action.scalableTargetAction) as never,
  };
}

function liveNames(context: ApplyContext, resourceId: string, field: ListField): string[] {
  const live = context.options.live;
  if (!live) return [];
  if (field === 'scheduledActions') {
    return (live.scheduledActions[resourceId] ?? []).map((a) => String(a.ScheduledActionName));
  }
  const type = field === 'targetTracking' ? 'TargetTrackingScaling' : 'StepScaling';
  return (live.scalingPolicies[resourceId] ?? [])
    .filter((p) => p.PolicyType === type)
    .map((p) => String(p.PolicyName));
}

async function deleteTarget(
  context: ApplyContext,
  entry: ChangeSetEntry,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const live = context.options.live;
  const orphan = live?.orphans.find((o) => o.kind === 'ScalingPolicy' && o.name === entry.key.name);
  const fromArn = entry.diff.liveArn?.startsWith('service/') ? entry.diff.liveArn : undefined;
  const candidates = Object.keys(live?.scalableTargets ?? {}).filter((id) =>
    id.endsWith(`/${entry.key.name}`),
  );
  const resourceId =
    fromArn ??
    (orphan?.clusterName ? `service/${orphan.clusterName}/${orphan.name}` : undefined) ??
    (candidates.length === 1 ? candidates[0] : undefined);
  if (!resourceId) {
    throw new UnknownTargetError(`cannot tell which scalable target ${entry.key.name} is`);
  }
  await context.send(
    recorder,
    context.clients.autoscaling,
    new DeregisterScalableTargetCommand({
      ServiceNamespace: NAMESPACE,
      ResourceId: resourceId,
      ScalableDimension: DIMENSION,
    }),
    resourceId,
  );
  return { outcome: 'deleted', arn: resourceId, message: `deregistered scalable target ${resourceId}` };
}

export async function applyScalingPolicy(
  context: ApplyContext,
  entry: ChangeSetEntry<'ScalingPolicy'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  if (entry.diff.action === 'delete') return deleteTarget(context, entry, recorder);
  const desired = entry.diff.desired;
  const spec = plainSpec(desired.spec);
  const resourceId = desired.resourceId;
  const creating = entry.action === 'create' || entry.action === 'replace';
  const changes = entry.diff.changes;
  const fields = changedTopLevelFields(changes);
  const autoscaling = context.clients.autoscaling;
  const tags = ownershipTags(context, entry.key, desired);
  const done: string[] = [];
  let targetArn = entry.diff.liveArn?.startsWith('arn:')
    ? entry.diff.liveArn
    : context.options.live?.scalableTargets[resourceId]?.ScalableTargetARN;

  if (creating || fields.has('minCapacity') || fields.has('maxCapacity') || fields.has('suspendedState')) {
    const out = await context.send<RegisterScalableTargetCommandOutput>(
      recorder,
      autoscaling,
      new RegisterScalableTargetCommand({
        ServiceNamespace: NAMESPACE,
        ResourceId: resourceId,
        ScalableDimension: DIMENSION,
        MinCapacity: desired.spec.minCapacity,
        MaxCapacity: desired.spec.maxCapacity,
        ...(spec.suspendedState ? { SuspendedState: pascalCaseKeys(spec.suspendedState) as never } : {}),
        // Tags apply when the target is created; later changes go through TagResource.
        ...(creating ? { Tags: tags } : {}),
      }),
      `${resourceId} ${desired.spec.minCapacity}..${desired.spec.maxCapacity}`,
    );
    targetArn = out.ScalableTargetARN ?? targetArn;
    done.push(creating ? 'registered target' : 'capacity');
  }

  for (const field of ['targetTracking', 'stepScaling'] as const) {
    const items = (spec[field] ?? []) as Spec[];
    const touched = touchedItems(changes, field);
    for (const policy of items) {
      const name = itemName(field, policy);
      if (!creating && !touched.all && !touched.names.has(name)) continue;
      await context.send(
        recorder,
        autoscaling,
        new PutScalingPolicyCommand(putScalingPolicyInput(resourceId, field, policy)),
        name,
      );
      done.push(`policy ${name}`);
    }
  }
  const actions = (spec.scheduledActions ?? []) as Spec[];
  const touchedActions = touchedItems(changes, 'scheduledActions');
  for (const action of actions) {
    const name = itemName('scheduledActions', action);
    if (!creating && !touchedActions.all && !touchedActions.names.has(name)) continue;
    await context.send(
      recorder,
      autoscaling,
      new PutScheduledActionCommand(putScheduledActionInput(resourceId, action)),
      name,
    );
    done.push(`scheduled action ${name}`);
  }

  // Deletions: what the diff says left, plus anything live the manifest no longer names.
  if (!creating) {
    const policyNames = new Set(
      (['targetTracking', 'stepScaling'] as const).flatMap((f) =>
        ((spec[f] ?? []) as Spec[]).map((p) => itemName(f, p)),
      ),
    );
    const gonePolicies = new Set([
      ...touchedItems(changes, 'targetTracking').removed,
      ...touchedItems(changes, 'stepScaling').removed,
      ...liveNames(context, resourceId, 'targetTracking'),
      ...liveNames(context, resourceId, 'stepScaling'),
    ]);
    for (const name of [...gonePolicies].filter((n) => !policyNames.has(n)).sort()) {
      await context.send(
        recorder,
        autoscaling,
        new DeleteScalingPolicyCommand({
          PolicyName: name,
          ServiceNamespace: NAMESPACE,
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
        }),
        name,
      );
      done.push(`deleted policy ${name}`);
    }
    const actionNames = new Set(actions.map((a) => itemName('scheduledActions', a)));
    const goneActions = new Set([
      ...touchedActions.removed,
      ...liveNames(context, resourceId, 'scheduledActions'),
    ]);
    for (const name of [...goneActions].filter((n) => !actionNames.has(n)).sort()) {
      await context.send(
        recorder,
        autoscaling,
        new DeleteScheduledActionCommand({
          ScheduledActionName: name,
          ServiceNamespace: NAMESPACE,
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
        }),
        name,
      );
      done.push(`deleted scheduled action ${name}`);
    }
  }

  const adopting = entry.diff.owned === false;
  // A tags-only update (reconcile/stale-record.ts) rewrites the ownership record and nothing else.
  const retag = hasTagChanges(changes);
  if (!creating && targetArn && (done.length > 0 || adopting || retag)) {
    await context.send(
      recorder,
      autoscaling,
      new TagResourceCommand({ ResourceARN: targetArn, Tags: tags }),
      resourceId,
    );
    if (adopting) done.push('adopted');
    else if (done.length === 0) done.push('updated tags');
  }
  if (done.length === 0) return { outcome: 'unchanged', arn: resourceId, message: 'no change' };
  return { outcome: creating ? 'created' : 'configured', arn: resourceId, message: done.join(', ') };
}
