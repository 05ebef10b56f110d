// Step 6 of a pass (docs/architecture.md#one-pass-step-by-step): what the reconciler itself holds
// back, and why. plan/ adds its own safety rails on top. Pure: the loop passes what it knows.
import type { ResourceDiff } from '../diff/model.js';
import type { BlockReason } from '../plan/model.js';
import { type DriftPolicy, type KeyString, keyString, shortRevision } from '../types.js';
import type { Origins } from './classify.js';
import type { ChangeOrigin } from './drift.js';
import { effectiveDriftPolicy } from './drift.js';
import type { ReconcileMemory } from './memory.js';

export interface Block {
  readonly reason: BlockReason;
  readonly message: string;
}

export interface BlockFacts {
  readonly revision: string;
  readonly fingerprints: ReadonlyMap<KeyString, string>;
  /** False while another instance holds the write lease. */
  readonly writable: boolean;
  /** The global drift policy (a resource's annotation wins). */
  readonly drift: DriftPolicy;
  readonly failedRollouts: ReconcileMemory['failedRollouts'];
  readonly stalled: ReconcileMemory['stalled'];
  /** Failures so far while the key waits out its backoff; undefined when it may run. */
  readonly backingOff: (key: KeyString) => number | undefined;
}

export interface Blocking {
  /** By KeyString: what the plan must skip. */
  readonly blocked: Map<string, Block>;
  /** The classification, corrected where live moved because ECS rolled our deployment back. */
  readonly origins: Map<KeyString, ChangeOrigin>;
}

/** The first reason, in this order, that holds back one difference. */
function blockOf(
  diff: ResourceDiff,
  origin: ChangeOrigin,
  facts: BlockFacts,
): { block: Block; origin?: ChangeOrigin } | undefined {
  const key = keyString(diff.key);
  const fingerprint = facts.fingerprints.get(key);
  const policy = effectiveDriftPolicy(diff.desired?.policy.drift, facts.drift);
  const failedRollout = fingerprint !== undefined ? facts.failedRollouts.get(key) : undefined;
  const stall = facts.stalled.get(key);
  if (!facts.writable) {
    return { block: { reason: 'standby', message: 'another controller instance holds the write lease' } };
  }
  if (failedRollout && failedRollout.fingerprint === fingerprint) {
    // Not drift: live moved because ECS rolled our deployment back. Re-deploying what the circuit
    // breaker just rolled back would loop forever: wait for a new commit (or a manual Sync now).
    return {
      origin: 'git',
      block: {
        reason: 'rollout-failed',
        message: `the rollout of revision ${shortRevision(failedRollout.revision)} failed and was rolled back; not retried until Git changes or Sync now`,
      },
    };
  }
  if (stall && stall.revision === facts.revision && stall.fingerprint === fingerprint) {
    // Retrying what AWS refused for good would fail the same way: wait for a change.
    return {
      block: {
        reason: 'stalled',
        message: `${stall.message} (not retried until the manifest or the revision changes, or Sync now)`,
      },
    };
  }
  if (origin === 'drift' && policy === 'alert') {
    return {
      block: { reason: 'drift-alert-only', message: 'drift is reported, not healed (drift policy: alert)' },
    };
  }
  if (origin === 'drift' && policy === 'ignore') {
    return { block: { reason: 'drift-ignored', message: 'drift ignored (drift policy: ignore)' } };
  }
  const failures = facts.backingOff(key);
  if (failures !== undefined) {
    return { block: { reason: 'backoff', message: `retrying after ${failures} failure(s)` } };
  }
  return undefined;
}

export function blockDiffs(diffs: readonly ResourceDiff[], origins: Origins, facts: BlockFacts): Blocking {
  const blocked = new Map<string, Block>();
  const corrected = new Map(origins);
  for (const diff of diffs) {
    const key = keyString(diff.key);
    const origin = origins.get(key) ?? 'none';
    if (origin === 'none') continue;
    const found = blockOf(diff, origin, facts);
    if (!found) continue;
    blocked.set(key, found.block);
    if (found.origin) corrected.set(key, found.origin);
  }
  return { blocked, origins: corrected };
}
