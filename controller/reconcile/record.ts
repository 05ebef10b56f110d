// Step 9 of a pass (docs/architecture.md#one-pass-step-by-step): what an apply outcome teaches the
// loop about one resource — the applied content, the deployment it started, a terminal refusal, a
// retry after backoff. Writes only the loop's memory and the backoff, both plain data.
import type { ResourceDiff } from '../diff/model.js';
import { type KeyString, keyString } from '../types.js';
import type { KeyedBackoff } from './backoff.js';
import type { ReconcileMemory } from './memory.js';
import type { AppliedEntry } from './ports.js';

export interface RecordFacts {
  readonly diff: ResourceDiff;
  /** What apply did with it; undefined when it was not in the ChangeSet's actionable entries. */
  readonly applied: AppliedEntry | undefined;
  readonly fingerprint: string | undefined;
  readonly revision: string;
  /** The pass's time: ISO for the applied record, epoch ms for the backoff. */
  readonly nowIso: string;
  readonly nowMs: number;
}

export interface Recorded {
  readonly failed: boolean;
  /** A retryable failure: ask for a pass after this many ms. */
  readonly retryAfterMs?: number;
  /** Apply created, configured or deleted it. */
  readonly wrote: boolean;
  /** The resource is gone (pruned): its status goes too. */
  readonly deleted: boolean;
}

const WROTE = new Set(['created', 'configured', 'deleted']);

export function recordOutcome(
  memory: ReconcileMemory,
  backoff: KeyedBackoff<KeyString>,
  facts: RecordFacts,
): Recorded {
  const { diff, applied, fingerprint, revision } = facts;
  const key = keyString(diff.key);
  let failed = false;
  let retryAfterMs: number | undefined;
  if (applied?.outcome === 'failed' && applied.error?.retryable === false) {
    failed = true;
    backoff.succeed(key);
    memory.stalled.set(key, {
      ...(fingerprint ? { fingerprint } : {}),
      revision,
      message: `${applied.error.code}: ${applied.error.message}`,
    });
  } else if (applied?.outcome === 'failed') {
    failed = true;
    retryAfterMs = backoff.fail(key, revision, facts.nowMs);
  } else if (applied && applied.outcome !== 'skipped') {
    backoff.succeed(key);
    memory.stalled.delete(key);
  }
  if (applied?.deploymentId) {
    memory.ownDeployments.set(key, {
      id: applied.deploymentId,
      ...(fingerprint ? { fingerprint } : {}),
      revision,
    });
  }
  const wrote = applied !== undefined && WROTE.has(applied.outcome);
  const inSync = diff.action === 'noop' || wrote;
  if (inSync && fingerprint && applied?.outcome !== 'deleted') {
    const previous = memory.applied.get(key);
    if (!previous || previous.fingerprint !== fingerprint || wrote) {
      memory.applied.set(key, { fingerprint, revision, at: wrote || !previous ? facts.nowIso : previous.at });
    }
  }
  const deleted = applied?.outcome === 'deleted';
  if (deleted) {
    memory.applied.delete(key);
    memory.stalled.delete(key);
    memory.ownDeployments.delete(key);
  }
  return { failed, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), wrote, deleted };
}
