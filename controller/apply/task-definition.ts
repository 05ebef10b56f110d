// TaskDefinition: register a revision only when the content differs from every ACTIVE one (the diff
// says `register`), then deregister this controller's revisions beyond revisionHistoryLimit — never
// one a service still runs. Prune deregisters the family's owned revisions.

import {
  DeregisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type RegisterTaskDefinitionCommandOutput,
} from '@aws-sdk/client-ecs';
import { parseTaskDefinitionRef, shortTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import { plainSpec } from '../diff/normalize/values.js';
import { taskDefinitionMatches } from '../diff/task-definition.js';
import { errorMessage } from '../errors.js';
import { describeTaskDefinitionRevision, listActiveRevisions, taskDefinitionTags } from '../live/lookups.js';
import { serviceDeployments } from '../live/model.js';
import type { DesiredTaskDefinition } from '../manifest/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { syncTags } from './cluster.js';
import { type ApplyContext, type EntryRecorder, ownershipTags, toEcsTags } from './context.js';
import type { KindOutcome } from './outcome.js';

export async function applyTaskDefinition(
  context: ApplyContext,
  entry: ChangeSetEntry<'TaskDefinition'>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  if (entry.diff.action === 'delete') return deleteFamily(context, entry, recorder);
  const desired = entry.diff.desired;
  const target = entry.diff.taskDefinition;
  const tags = { ...desired.tags, ...ownershipTags(context, entry.key, desired) };
  const mustRegister = target ? target.register : entry.action === 'create';

  if (!mustRegister) {
    const arn = target?.arn ?? entry.diff.liveArn;
    if (arn) context.taskDefinitionArns.set(desired.name, arn);
    // Same content, other tags (or adoption): retag the matching revision instead of registering.
    if (arn && entry.action !== 'noop') {
      await syncTags(context, recorder, arn, tags, entry);
      const verb = entry.action === 'adopt' ? 'adopted' : 'tagged';
      return { outcome: 'configured', arn, message: `${verb} ${shortTaskDefinitionRef(arn)}` };
    }
    if (arn && entry.diff.owned === false) {
      await syncTags(context, recorder, arn, tags, entry);
      return { outcome: 'configured', arn, message: `adopted ${shortTaskDefinitionRef(arn)}` };
    }
    return {
      outcome: 'unchanged',
      arn,
      message: arn ? `${shortTaskDefinitionRef(arn)} matches` : 'no change',
    };
  }

  const { tags: _tags, revisionHistoryLimit: _limit, ...spec } = plainSpec(desired.spec);
  const input = {
    ...spec,
    family: desired.family,
    tags: toEcsTags(tags),
  } as RegisterTaskDefinitionCommandInput;
  const out = await context.send<RegisterTaskDefinitionCommandOutput>(
    recorder,
    context.clients.ecs,
    new RegisterTaskDefinitionCommand(input),
    desired.family,
  );
  const arn = out.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error(`RegisterTaskDefinition returned no ARN for ${desired.family}`);
  context.taskDefinitionArns.set(desired.name, arn);
  context.registered.add(desired.name);
  const twins = await deregisterTwins(context, recorder, desired, arn);
  // Revisions are numbered 1..N, so a family at revision N <= limit cannot have too many: skip the listing.
  const revision = parseTaskDefinitionRef(arn).revision ?? Number.POSITIVE_INFINITY;
  const deregistered =
    revision > desired.revisionHistoryLimit ? await deregisterOldRevisions(context, recorder, desired) : [];
  const notes = [...twins, ...deregistered];
  const note = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  return {
    outcome: entry.action === 'create' ? 'created' : 'configured',
    arn,
    message: `registered ${shortTaskDefinitionRef(arn)}${note}`,
  };
}

/** Every task definition a service runs or is about to run: those must never be deregistered. */
function inUseTaskDefinitions(context: ApplyContext): Set<string> {
  const inUse = new Set<string>(context.taskDefinitionArns.values());
  for (const service of Object.values(context.options.live?.services ?? {})) {
    if (service.taskDefinition) inUse.add(service.taskDefinition);
    for (const deployment of serviceDeployments(service)) {
      if (deployment.taskDefinition) inUse.add(deployment.taskDefinition);
    }
  }
  for (const entry of context.changeSet.entries) {
    if (entry.key.kind !== 'Service') continue;
    if (entry.diff.taskDefinition?.arn) inUse.add(entry.diff.taskDefinition.arn);
    for (const change of entry.diff.changes) {
      if (change.path === 'taskDefinition' && typeof change.live === 'string') inUse.add(change.live);
    }
  }
  return inUse;
}

function listActiveRevisionsOf(context: ApplyContext, family: string): Promise<string[]> {
  return listActiveRevisions(context.clients, family, context.options.signal);
}

async function isOwned(context: ApplyContext, arn: string): Promise<boolean> {
  const tags = await taskDefinitionTags(context.clients, arn, context.options.signal);
  return tags[OWNERSHIP_TAGS.managedBy] === context.options.instance;
}

/** How far below a new revision to look for twins: an SDK retries a lost answer only a few times. */
const TWIN_SCAN = 5;

/**
 * A RegisterTaskDefinition whose answer was lost (connection dropped after ECS committed it) is
 * retried by the SDK and leaves an identical revision behind. Revisions between the latest one this
 * pass knew and the new one are such twins when they are ours, unused and of the same content:
 * deregistered. Never throws (the registration itself succeeded).
 */
async function deregisterTwins(
  context: ApplyContext,
  recorder: EntryRecorder,
  desired: DesiredTaskDefinition,
  arn: string,
): Promise<string[]> {
  const live = context.options.live;
  const revision = parseTaskDefinitionRef(arn).revision;
  if (!live || revision === undefined) return [];
  const known = [live.latestRevisions[desired.family], ...Object.keys(live.taskDefinitions)]
    .map((ref) => (ref ? parseTaskDefinitionRef(ref) : undefined))
    .filter((ref) => ref?.family === desired.family)
    .map((ref) => ref?.revision ?? 0);
  const from = Math.max(0, ...known, revision - 1 - TWIN_SCAN) + 1;
  const notes: string[] = [];
  try {
    const inUse = inUseTaskDefinitions(context);
    for (let n = revision - 1; n >= from; n -= 1) {
      const twin = arn.replace(/:\d+$/, `:${n}`);
      if (inUse.has(twin)) continue;
      const described = await describeTaskDefinitionRevision(context.clients, twin, context.options.signal);
      if (described?.taskDefinition.status !== 'ACTIVE') continue;
      const owned = described.tags.some(
        (tag) => tag.key === OWNERSHIP_TAGS.managedBy && tag.value === context.options.instance,
      );
      if (!owned || !taskDefinitionMatches(desired, described)) continue;
      await context.send(
        recorder,
        context.clients.ecs,
        new DeregisterTaskDefinitionCommand({ taskDefinition: twin }),
        shortTaskDefinitionRef(twin),
      );
      notes.push(
        `deregistered ${shortTaskDefinitionRef(twin)} (an identical registration whose answer was lost)`,
      );
    }
  } catch (error) {
    notes.push(`identical revisions kept: ${errorMessage(error)}`);
  }
  return notes;
}

/** Deregisters owned, unused revisions older than the newest `revisionHistoryLimit`. Never throws. */
async function deregisterOldRevisions(
  context: ApplyContext,
  recorder: EntryRecorder,
  desired: DesiredTaskDefinition,
): Promise<string[]> {
  // Without the live state we cannot tell which revisions services run: keep them all.
  if (!context.options.live) return [];
  const notes: string[] = [];
  try {
    const old = (await listActiveRevisionsOf(context, desired.family)).slice(desired.revisionHistoryLimit);
    const inUse = inUseTaskDefinitions(context);
    for (const arn of old) {
      if (inUse.has(arn) || !(await isOwned(context, arn))) continue;
      await context.send(
        recorder,
        context.clients.ecs,
        new DeregisterTaskDefinitionCommand({ taskDefinition: arn }),
        shortTaskDefinitionRef(arn),
      );
      notes.push(`deregistered ${shortTaskDefinitionRef(arn)}`);
    }
  } catch (error) {
    notes.push(`old revisions kept: ${errorMessage(error)}`);
  }
  return notes;
}

async function deleteFamily(
  context: ApplyContext,
  entry: ChangeSetEntry,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const family = (entry.diff.liveArn && parseTaskDefinitionRef(entry.diff.liveArn).family) ?? entry.key.name;
  const inUse = inUseTaskDefinitions(context);
  const done: string[] = [];
  const kept: string[] = [];
  for (const arn of await listActiveRevisionsOf(context, family)) {
    if (inUse.has(arn)) {
      kept.push(`${shortTaskDefinitionRef(arn)} (in use)`);
      continue;
    }
    if (!(await isOwned(context, arn))) {
      kept.push(`${shortTaskDefinitionRef(arn)} (not owned)`);
      continue;
    }
    await context.send(
      recorder,
      context.clients.ecs,
      new DeregisterTaskDefinitionCommand({ taskDefinition: arn }),
      shortTaskDefinitionRef(arn),
    );
    done.push(shortTaskDefinitionRef(arn));
  }
  const keptNote = kept.length > 0 ? `; kept ${kept.join(', ')}` : '';
  return {
    outcome: 'deleted',
    arn: entry.diff.liveArn,
    message: `deregistered ${done.length > 0 ? done.join(', ') : 'nothing'}${keptNote}`,
  };
}
