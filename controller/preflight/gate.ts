// The preflight gate of `run`: before a changed task definition is registered, its checks run; a
// failure blocks that entry and everything that depends on it (its services), so nothing doomed
// reaches ECS. The reconciler sees the blocked task definition as failed with PreflightFailed.
import type { PreflightReader } from '../live/preflight-reads.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import { type KeyString, keyString } from '../types.js';
import { failureMessage, verifyTaskDefinition } from './index.js';

export const PREFLIGHT_FAILED = 'PreflightFailed';

export interface GatedChangeSet {
  readonly changeSet: ChangeSet;
  /** Task definitions that failed preflight → the message naming what is missing. */
  readonly failures: ReadonlyMap<KeyString, string>;
}

function registers(entry: ChangeSetEntry): boolean {
  return (
    entry.key.kind === 'TaskDefinition' &&
    !entry.blocked &&
    (entry.action === 'create' || entry.action === 'update' || entry.action === 'replace')
  );
}

export async function gateChangeSet(
  changeSet: ChangeSet,
  reader: PreflightReader,
  region: string,
): Promise<GatedChangeSet> {
  const failures = new Map<KeyString, string>();
  for (const entry of changeSet.entries) {
    const desired = entry.diff.desired;
    if (!registers(entry) || desired?.kind !== 'TaskDefinition') continue;
    const report = await verifyTaskDefinition(desired, reader, region);
    if (!report.ok) failures.set(keyString(entry.key), failureMessage(report));
  }
  if (failures.size === 0) return { changeSet, failures };
  const entries = changeSet.entries.map((entry): ChangeSetEntry => {
    const own = failures.get(keyString(entry.key));
    if (own) return { ...entry, blocked: { reason: 'preflight-failed', message: own } };
    const dependency = entry.dependsOn.map(keyString).find((key) => failures.has(key));
    if (dependency && !entry.blocked && entry.action !== 'noop') {
      return {
        ...entry,
        blocked: { reason: 'preflight-failed', message: `waiting for ${dependency} to pass preflight` },
      };
    }
    return entry;
  });
  return { changeSet: { ...changeSet, entries }, failures };
}
