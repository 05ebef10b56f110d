// Cluster: CreateCluster, or the narrow update calls for what changed (settings, configuration,
// capacity providers), and tags. Delete only on prune.
import {
  CreateClusterCommand,
  type CreateClusterCommandInput,
  DeleteClusterCommand,
  PutClusterCapacityProvidersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
  type UpdateClusterCommandInput,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';
import { SERVER_CHOSEN_DEFAULTS } from '../diff/normalize/defaults.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { type ApplyContext, type EntryRecorder, ownershipTags, toEcsTags } from './context.js';
import type { KindOutcome } from './outcome.js';
import { changedTopLevelFields, hasTagChanges, removedTagKeys } from './tags.js';

export async function applyCluster(
  context: ApplyContext,
  entry: ChangeSetEntry<'Cluster'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  if (entry.diff.action === 'delete') return deleteCluster(context, entry, recorder);
  const desired = entry.diff.desired;
  const { tags: _tags, clusterName: _name, ...spec } = desired.spec;
  const ecs = context.clients.ecs;
  // Older desired states carried tags inside the spec; both are accepted.
  const tags = {
    ...((desired.spec as { tags?: Record<string, string> }).tags ?? {}),
    ...(desired.tags ?? {}),
    ...ownershipTags(context, entry.key, desired),
  };

  if (entry.action === 'create') {
    // CreateCluster is idempotent in ECS for an ACTIVE cluster of the same name.
    const input = {
      ...spec,
      clusterName: desired.clusterName,
      tags: toEcsTags(tags),
    } satisfies CreateClusterCommandInput;
    const out = await context.send<{ cluster?: { clusterArn?: string } }>(
      recorder,
      ecs,
      new CreateClusterCommand(input),
      desired.clusterName,
    );
    return {
      outcome: 'created',
      arn: out.cluster?.clusterArn,
      message: `created cluster ${desired.clusterName}`,
    };
  }

  const cluster = desired.clusterName;
  const fields = changedTopLevelFields(entry.diff.changes);
  const done: string[] = [];
  if (fields.has('settings')) {
    const settings = spec.settings ?? [...SERVER_CHOSEN_DEFAULTS.clusterSettings];
    await context.send(recorder, ecs, new UpdateClusterSettingsCommand({ cluster, settings }), cluster);
    done.push('settings');
  }
  if (fields.has('configuration') || fields.has('serviceConnectDefaults')) {
    const input: UpdateClusterCommandInput = { cluster };
    if (fields.has('configuration')) input.configuration = spec.configuration ?? {};
    if (fields.has('serviceConnectDefaults'))
      input.serviceConnectDefaults = spec.serviceConnectDefaults ?? { namespace: '' };
    await context.send(recorder, ecs, new UpdateClusterCommand(input), cluster);
    done.push('configuration');
  }
  if (fields.has('capacityProviders') || fields.has('defaultCapacityProviderStrategy')) {
    // Both lists are required and replace the cluster's current ones.
    await context.send(
      recorder,
      ecs,
      new PutClusterCapacityProvidersCommand({
        cluster,
        capacityProviders: spec.capacityProviders ?? [],
        defaultCapacityProviderStrategy: spec.defaultCapacityProviderStrategy ?? [],
      }),
      cluster,
    );
    done.push('capacity providers');
  }
  const arn = entry.diff.liveArn;
  const adopting = entry.diff.owned === false;
  if (arn && (entry.action === 'update' || adopting)) {
    await syncTags(context, recorder, arn, tags, entry);
    if (hasTagChanges(entry.diff.changes)) done.push('tags');
    if (adopting) done.push('adopted');
  }
  if (done.length === 0) return { outcome: 'unchanged', arn, message: 'no change' };
  return { outcome: 'configured', arn, message: `updated ${done.join(', ')}` };
}

/** Writes the desired + ownership tags and removes the tags that left the manifest. */
export async function syncTags(
  context: ApplyContext,
  recorder: EntryRecorder,
  resourceArn: string,
  tags: Record<string, string>,
  entry: ChangeSetEntry,
): Promise<void> {
  const ecs = context.clients.ecs;
  await context.send(recorder, ecs, new TagResourceCommand({ resourceArn, tags: toEcsTags(tags) }));
  const removed = removedTagKeys(entry.diff.changes, new Set(Object.keys(tags)));
  if (removed.length > 0) {
    await context.send(recorder, ecs, new UntagResourceCommand({ resourceArn, tagKeys: removed }));
  }
}

async function deleteCluster(
  context: ApplyContext,
  entry: ChangeSetEntry,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const cluster = entry.diff.liveArn ?? entry.key.name;
  await context.send(recorder, context.clients.ecs, new DeleteClusterCommand({ cluster }), entry.key.name);
  return { outcome: 'deleted', arn: entry.diff.liveArn, message: `deleted cluster ${entry.key.name}` };
}
