// Classifies a difference between desired and live: a Git change not yet applied (deploy it) or
// drift (live changed while desired did not — someone used the console or the CLI).
import type { ResourceDiff } from '../diff/model.js';
import type { DriftPolicy } from '../types.js';

export type ChangeOrigin = 'none' | 'git' | 'drift';

export interface AppliedRecord {
  /** Fingerprint of the desired resource when it was last applied successfully. */
  readonly fingerprint: string;
  readonly revision: string;
}

export function classifyChange(
  diff: ResourceDiff,
  desiredFingerprint: string | undefined,
  lastApplied: AppliedRecord | undefined,
): ChangeOrigin {
  if (diff.action === 'noop') return 'none';
  // Taking over an unowned resource whose configuration already matches: never drift.
  if (diff.action === 'adopt') return 'git';
  // A resource that left Git is a Git change by definition; prune rules decide what happens.
  if (diff.action === 'delete' || desiredFingerprint === undefined) return 'git';
  if (lastApplied === undefined) return 'git';
  // Applied before with this very desired content: whatever differs now was changed behind Git's back
  // (including a resource deleted out of band, which shows up as `create`).
  return lastApplied.fingerprint === desiredFingerprint ? 'drift' : 'git';
}

/** The drift policy in force for a resource: its annotation wins over the global flag. */
export function effectiveDriftPolicy(annotation: DriftPolicy | undefined, global: DriftPolicy): DriftPolicy {
  return annotation ?? global;
}
