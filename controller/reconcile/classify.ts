// Step 5 of a pass (docs/architecture.md#one-pass-step-by-step): each difference is a deploy (Git's
// desired content moved since it was applied) or drift (live moved). Pure.
import type { ResourceDiff } from '../diff/model.js';
import { type KeyString, keyString } from '../types.js';
import { type AppliedRecord, type ChangeOrigin, classifyChange } from './drift.js';

export type Origins = ReadonlyMap<KeyString, ChangeOrigin>;

/**
 * The origin of every diff. `recordOf` is what was applied last: the loop's memory, else the
 * spec-hash tag on the live object (a restarted controller).
 */
export function classifyDiffs(
  diffs: readonly ResourceDiff[],
  fingerprints: ReadonlyMap<KeyString, string>,
  recordOf: (diff: ResourceDiff) => AppliedRecord | undefined,
): Map<KeyString, ChangeOrigin> {
  const origins = new Map<KeyString, ChangeOrigin>();
  for (const diff of diffs) {
    const key = keyString(diff.key);
    origins.set(key, classifyChange(diff, fingerprints.get(key), recordOf(diff)));
  }
  return origins;
}
