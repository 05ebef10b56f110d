// The preflight gate of `run`: before a changed task definition is registered (or a load-balanced
// service created or updated), its checks run; a failure blocks that entry and everything that
// depends on it (its services, their scaling), so nothing doomed reaches ECS. The reconciler sees
// the blocked resource as failed with PreflightFailed.
import type { PreflightReader } from '../live/preflight-reads.js';
import type { DesiredResource } from '../manifest/model.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import { type KeyString, keyString } from '../types.js';
import {
  failureMessage,
  type PreflightReport,
  taskDefinitionOf,
  verifyService,
  verifyTaskDefinition,
} from './index.js';
import { serviceTargetGroups } from './references.js';

export const PREFLIGHT_FAILED = 'PreflightFailed';

export interface GatedChangeSet {
  readonly changeSet: ChangeSet;
  /** Task definitions that failed preflight → the message naming what is missing. */
  readonly failures: ReadonlyMap<KeyString, string>;
}

function writes(entry: ChangeSetEntry): boolean {
  return (
    !entry.blocked && (entry.action === 'create' || entry.action === 'update' || entry.action === 'replace')
  );
}

/** The checks an entry needs before it is applied, or undefined when it needs none. */
export async function preflightOf(
  entry: ChangeSetEntry,
  resources: readonly DesiredResource[],
  reader: PreflightReader,
  region: string,
): Promise<PreflightReport | undefined> {
  const desired = entry.diff.desired;
  if (!writes(entry) || !desired) return undefined;
  if (desired.kind === 'TaskDefinition') return verifyTaskDefinition(desired, reader, region);
  if (desired.kind === 'Service' && serviceTargetGroups(desired, region).length > 0)
    return verifyService(desired, taskDefinitionOf(desired, resources), reader, region);
  return undefined;
}

export async function gateChangeSet(
  changeSet: ChangeSet,
  reader: PreflightReader,
  region: string,
): Promise<GatedChangeSet> {
  const failures = new Map<KeyString, string>();
  const resources = changeSet.entries.flatMap((e) => (e.diff.desired ? [e.diff.desired] : []));
  for (const entry of changeSet.entries) {
    const report = await preflightOf(entry, resources, reader, region);
    if (report && !report.ok) failures.set(keyString(entry.key), failureMessage(report));
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
