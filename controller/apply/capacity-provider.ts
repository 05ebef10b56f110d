// CapacityProvider: CreateCapacityProvider, UpdateCapacityProvider for what may change (managed
// scaling, termination protection, draining; the Managed Instances configuration) and tags; replace
// (delete, then create) when the plan allows it; delete only on prune.
import {
  CreateCapacityProviderCommand,
  type CreateCapacityProviderCommandInput,
  DeleteCapacityProviderCommand,
  UpdateCapacityProviderCommand,
  type UpdateCapacityProviderCommandInput,
} from '@aws-sdk/client-ecs';
import type { ChangeSetEntry } from '../plan/model.js';
import { syncTags } from './cluster.js';
import { type ApplyContext, type EntryRecorder, ownershipTags, toEcsTags } from './context.js';
import type { KindOutcome } from './outcome.js';
import { hasTagChanges } from './tags.js';

type Spec = Record<string, unknown>;

export async function applyCapacityProvider(
  context: ApplyContext,
  entry: ChangeSetEntry<'CapacityProvider'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  if (entry.diff.action === 'delete') return deleteProvider(context, entry, recorder, entry.key.name);
  const desired = entry.diff.desired;
  const { tags: _tags, ...spec } = desired.spec as Spec;
  const tags = { ...desired.tags, ...ownershipTags(context, entry.key, desired) };
  const name = desired.providerName;
  const ecs = context.clients.ecs;

  const create = async (): Promise<KindOutcome> => {
    const out = await context.send<{ capacityProvider?: { capacityProviderArn?: string } }>(
      recorder,
      ecs,
      new CreateCapacityProviderCommand({
        ...spec,
        name,
        tags: toEcsTags(tags),
      } as CreateCapacityProviderCommandInput),
      name,
    );
    return {
      outcome: 'created',
      arn: out.capacityProvider?.capacityProviderArn,
      message: `created capacity provider ${name}`,
    };
  };
  if (entry.action === 'create') return create();
  if (entry.action === 'replace') {
    await deleteProvider(context, entry, recorder, name);
    const created = await create();
    return {
      ...created,
      outcome: 'configured',
      message: `replaced (${entry.diff.replaceReasons.join('; ')})`,
    };
  }

  const done: string[] = [];
  const configChanged = entry.diff.changes.some((change) => !change.path.startsWith('tags'));
  if (configChanged) {
    const asg = spec.autoScalingGroupProvider as Spec | undefined;
    const input: Spec = { name, ...(typeof spec.cluster === 'string' ? { cluster: spec.cluster } : {}) };
    if (asg) {
      // The Auto Scaling group itself cannot be updated: only its managed settings are sent.
      const { autoScalingGroupArn: _arn, ...update } = asg;
      input.autoScalingGroupProvider = update;
    }
    if (spec.managedInstancesProvider) input.managedInstancesProvider = spec.managedInstancesProvider;
    await context.send(
      recorder,
      ecs,
      // The spec passed the CapacityProvider schema generated from this very input shape; `input` is
      // that spec minus the Auto Scaling group's create-only ARN.
      new UpdateCapacityProviderCommand(input as unknown as UpdateCapacityProviderCommandInput),
      name,
    );
    done.push('configuration');
  }
  const arn = entry.diff.liveArn;
  const adopting = entry.diff.owned === false;
  if (arn && (hasTagChanges(entry.diff.changes) || adopting)) {
    await syncTags(context, recorder, arn, tags, entry);
    done.push(adopting ? 'adopted' : 'tags');
  }
  if (done.length === 0) return { outcome: 'unchanged', arn, message: 'no change' };
  return { outcome: 'configured', arn, message: `updated ${done.join(', ')}` };
}

async function deleteProvider(
  context: ApplyContext,
  entry: ChangeSetEntry<'CapacityProvider'>,
  recorder: EntryRecorder,
  name: string,
): Promise<KindOutcome> {
  const desired = entry.diff.desired;
  await context.send(
    recorder,
    context.clients.ecs,
    new DeleteCapacityProviderCommand({
      capacityProvider: entry.diff.liveArn ?? name,
      ...(desired?.clusterName ? { cluster: desired.clusterName } : {}),
    }),
    name,
  );
  return { outcome: 'deleted', arn: entry.diff.liveArn, message: `deleted capacity provider ${name}` };
}
