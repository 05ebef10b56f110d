// TaskDefinition: compared against the revision the services actually run (or the latest ACTIVE
// revision when no service uses the family). Content that equals an existing revision never
// registers a new one; only tags can change in place.

import { createHash } from 'node:crypto';
import { serviceKey } from '../aws-model/ids.js';
import { isOwnedBy } from '../aws-model/tags.js';
import { parseTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import type { LiveState, LiveTaskDefinition } from '../live/model.js';
import type { DesiredService, DesiredState, DesiredTaskDefinition } from '../manifest/model.js';
import {
  adoptingAction,
  adoptionChanges,
  type DiffOptions,
  desiredTags,
  makeDiff,
  tagChanges,
} from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import { taskDefinitionFingerprint, taskDefinitionTrust } from './fingerprint.js';
import type { ResourceDiff, TaskDefinitionTarget } from './model.js';
import { normalizeTaskDefinition } from './normalize/task-definition.js';
import { asObject, type PlainObject, plainSpec, stableStringify } from './normalize/values.js';

/** Desired content equals a described revision (same family, same normalized content). */
export function taskDefinitionMatches(
  desired: DesiredTaskDefinition,
  live: LiveTaskDefinition | undefined,
): boolean {
  if (!live) return false;
  const liveTd = asObject(live.taskDefinition);
  if (liveTd.family !== desired.family) return false;
  if (live.trusted !== undefined) return live.trusted === taskDefinitionTrust(desired);
  return contentKey(plainSpec(desired.spec)) === contentKey(liveTd);
}

// Normalizing a task definition is the diff's most expensive step and each one is compared several
// times per pass (live/ and every consumer ask), so its normalized form is hashed once per object:
// described revisions are the same objects pass after pass (the cache), desired ones per revision.
const contentKeys = new WeakMap<object, string>();

function contentKey(content: PlainObject): string {
  let key = contentKeys.get(content);
  if (key === undefined) {
    key = createHash('sha256')
      .update(stableStringify(normalizeTaskDefinition(content)))
      .digest('base64');
    contentKeys.set(content, key);
  }
  return key;
}

// Every TaskDefinition asks for its services: found in one walk over the revision's resources (a
// filter per task definition was quadratic, a second of CPU at 1,000 services), kept per resources
// list, which a revision builds once and never changes.
const consumersByRevision = new WeakMap<readonly unknown[], ReadonlyMap<string, readonly DesiredService[]>>();

/** Services of this revision that run the TaskDefinition manifest `name`. */
export function consumersOf(desired: DesiredState, name: string): readonly DesiredService[] {
  let byName = consumersByRevision.get(desired.resources);
  if (!byName) {
    const found = new Map<string, DesiredService[]>();
    for (const r of desired.resources) {
      if (r.kind !== 'Service' || r.taskDefinition.type !== 'manifest') continue;
      const list = found.get(r.taskDefinition.name);
      if (list) list.push(r);
      else found.set(r.taskDefinition.name, [r]);
    }
    byName = found;
    consumersByRevision.set(desired.resources, byName);
  }
  return byName.get(name) ?? [];
}

/** ARNs of revisions of `family` that desired services run now, newest first. */
export function runningRevisions(
  desired: DesiredState,
  td: DesiredTaskDefinition,
  live: LiveState,
): string[] {
  const arns = new Set<string>();
  for (const service of consumersOf(desired, td.name)) {
    const liveService = live.services[serviceKey(service.cluster.clusterName, service.serviceName)];
    const arn = liveService?.taskDefinition;
    if (typeof arn === 'string' && parseTaskDefinitionRef(arn).family === td.family) arns.add(arn);
  }
  return [...arns].sort(
    (a, b) => (parseTaskDefinitionRef(b).revision ?? 0) - (parseTaskDefinitionRef(a).revision ?? 0),
  );
}

export function diffTaskDefinition(
  desired: DesiredTaskDefinition,
  state: DesiredState,
  live: LiveState,
  options: DiffOptions,
): ResourceDiff {
  const spec = plainSpec(desired.spec);
  const fingerprint = taskDefinitionFingerprint(desired.family, spec);
  const running = runningRevisions(state, desired, live);
  const latest = live.latestRevisions[desired.family];
  const candidates = [...running, ...(latest && !running.includes(latest) ? [latest] : [])].sort(
    (a, b) => (parseTaskDefinitionRef(b).revision ?? 0) - (parseTaskDefinitionRef(a).revision ?? 0),
  );
  const match = candidates.find((arn) => taskDefinitionMatches(desired, live.taskDefinitions[arn]));
  const baselineArn = running[0] ?? latest;
  const baseline = baselineArn ? live.taskDefinitions[baselineArn] : undefined;

  if (match) {
    const matched = live.taskDefinitions[match] as LiveTaskDefinition;
    const owned = isOwnedBy(matched.tags, options.instance);
    const { action, changes } = adoptingAction(
      desired,
      matched.tags,
      options.instance,
      owned,
      tagChanges(desiredTags(desired), matched.tags),
      [],
    );
    const target: TaskDefinitionTarget = { family: desired.family, arn: match, register: false, fingerprint };
    return makeDiff({
      key: desired.key,
      action,
      changes,
      replaceReasons: [],
      owned,
      liveArn: match,
      desired,
      taskDefinition: target,
    });
  }
  const target: TaskDefinitionTarget = { family: desired.family, register: true, fingerprint };
  const desiredForm = normalizeTaskDefinition(spec);
  if (!baseline) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: [...compareCreate(desiredForm), ...tagChanges(desiredTags(desired), undefined)],
      replaceReasons: [],
      desired,
      taskDefinition: target,
    });
  }
  // A new revision of a family is an update of the family; ownership follows the baseline revision.
  const owned = isOwnedBy(baseline.tags, options.instance);
  const changes = [
    ...compareObjects(desiredForm, normalizeTaskDefinition(asObject(baseline.taskDefinition))),
    ...tagChanges(desiredTags(desired), baseline.tags),
    ...adoptionChanges(desired, baseline.tags, options.instance, owned),
  ];
  return makeDiff({
    key: desired.key,
    action: 'update',
    changes,
    replaceReasons: [],
    owned,
    liveArn: baselineArn,
    desired,
    taskDefinition: target,
  });
}
