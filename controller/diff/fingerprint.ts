// A stable content hash of a task definition: same content (after normalization) → same hash,
// whatever key order, unit spelling or default-filling the manifest used.
import { createHash } from 'node:crypto';
import { comparableTags } from '../aws-model/tags.js';
import { parseTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import type { DesiredTaskDefinition } from '../manifest/model.js';
import { desiredTags } from './common.js';
import { normalizeTaskDefinition } from './normalize/task-definition.js';
import { type PlainObject, plainSpec, stableStringify } from './normalize/values.js';

const fingerprints = new WeakMap<PlainObject, { family: string; hash: string }>();

export function taskDefinitionFingerprint(family: string, spec: PlainObject): string {
  const known = fingerprints.get(spec);
  if (known?.family === family) return known.hash;
  const content = { family, ...normalizeTaskDefinition(spec) };
  const hash = createHash('sha256').update(stableStringify(content)).digest('hex');
  fingerprints.set(spec, { family, hash });
  return hash;
}

/**
 * What a revision registered (or matched) for this manifest is trusted to hold: its content and its
 * tags. A Git change to either gives another value, so a trusted revision is described again.
 */
export function taskDefinitionTrust(desired: DesiredTaskDefinition): string {
  // Asked several times per pass for each manifest (live/ to trust, diff to match): once per object.
  let trust = trusts.get(desired);
  if (trust === undefined) {
    const content = taskDefinitionFingerprint(desired.family, plainSpec(desired.spec));
    const tags = stableStringify(comparableTags(desiredTags(desired)));
    trust = createHash('sha256').update(`${content}:${tags}`).digest('hex').slice(0, 32);
    trusts.set(desired, trust);
  }
  return trust;
}

const trusts = new WeakMap<DesiredTaskDefinition, string>();

/** The `ecs-gitops/task-definition` tag value of a service set to `arn` for this manifest. */
export function taskDefinitionTrustTag(arn: string, desired: DesiredTaskDefinition): string | undefined {
  const { family, revision } = parseTaskDefinitionRef(arn);
  if (revision === undefined || family !== desired.family) return undefined;
  return `${revision}@${taskDefinitionTrust(desired)}`;
}

/**
 * True when a service's tag vouches that `arn` (the revision it runs) holds what the manifest asks:
 * the tag names exactly that revision and the fingerprint equals Git's. A person pointing the
 * service at another revision leaves the tag behind, so that revision is described and compared.
 */
export function trustsTaskDefinition(
  tag: string | undefined,
  arn: string,
  desired: DesiredTaskDefinition,
): boolean {
  return tag !== undefined && tag === taskDefinitionTrustTag(arn, desired);
}
