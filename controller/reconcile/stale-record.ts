// The ownership record (the `ecs-gitops/spec-hash` tag) can be left behind by a pass that changed a
// resource and never got to tag it (a crash, a lost TagResource): live then equals Git, the diff is
// empty, and nothing would ever write the tag again. A stale record makes the next restart misread
// drift as a deploy. A resource in sync whose record disagrees with Git gets a tags-only update;
// one whose record already agrees gets nothing, so a converged fleet sees no writes.
import type { FieldChange, ResourceDiff } from '../diff/model.js';
import { type KeyString, type Kind, keyString, OWNERSHIP_TAGS } from '../types.js';

/** The change a repair shows in status and the diff: the record tag, old value → Git's. */
export const RECORD_PATH = `tags.${OWNERSHIP_TAGS.specHash}`;

/**
 * Kinds whose record can be rewritten in place. A task definition revision is immutable and its
 * record is written once, when it is registered; an equal revision is reused whatever its tag says.
 */
const RETAGGABLE: ReadonlySet<Kind> = new Set<Kind>([
  'Cluster',
  'Service',
  'ScalingPolicy',
  'CapacityProvider',
]);

export function repairStaleRecords(
  diffs: readonly ResourceDiff[],
  fingerprints: ReadonlyMap<KeyString, string>,
  recorded: (diff: ResourceDiff) => string | undefined,
): ResourceDiff[] {
  return diffs.map((diff) => {
    if (diff.action !== 'noop' || diff.owned !== true || !diff.desired) return diff;
    if (!RETAGGABLE.has(diff.key.kind) || !diff.desired.policy.sync) return diff;
    const want = fingerprints.get(keyString(diff.key));
    const have = recorded(diff);
    // No record read (a kind or a read that carries no tags) is not a stale record: leave it.
    if (want === undefined || have === undefined || have === want) return diff;
    const change: FieldChange = { path: RECORD_PATH, op: 'change', live: have, desired: want };
    return { ...diff, action: 'update', changes: [change] };
  });
}
