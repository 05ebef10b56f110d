// The hook gate's memory as ECS tags (docs/tasks.md#a-restart). What a restart must not lose — a
// PostSync hook a deploy made due, a hook that failed or succeeded for a revision, how often Sync
// now retried it — is written as tags of a dedicated, empty cluster of the controller
// (`ecs-gitops-hooks-<instance>`), because a stopped task is visible in ECS for about an hour and a
// RunTask clientToken for 24 hours, and the memory must outlive both. Pure: tags in, records out.
//
// One record is one hook run (or a PostSync hook waiting for its services), keyed by its clientToken:
//   ecs-gitops/hook/<token>          = v1 <phase> <state> <attempt> <revision> <startedAt|-> <finishedAt|-> [<container>=<code>+…]
//   ecs-gitops/hook-message/<token>  = the run's message (tag-safe characters, at most 256)
// The task's name is not stored (a manifest name may be 253 characters): the token is derived from
// revision, phase, attempt and name, so the Task manifests of the revision tell which is which.
import type { HookPhase } from '../manifest/model.js';

export interface HookRecord {
  readonly token: string;
  readonly phase: HookPhase;
  /**
   * Armed: a PostSync hook a deploy made due, waiting for its services to turn Healthy.
   * Unreported: Failed, and its SyncFailed alert not sent yet (the outcome is written first).
   */
  readonly state: 'Armed' | 'Running' | 'Succeeded' | 'Failed' | 'Unreported';
  /** 0 for the revision's first run; Sync now retries a failed hook with attempt + 1. */
  readonly attempt: number;
  readonly revision: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly exitCodes: Readonly<Record<string, number>>;
  readonly message?: string;
}

export const HOOK_LEDGER_TAGS = {
  /** Marks the ledger cluster and names the instance it belongs to. */
  for: 'ecs-gitops/hooks-for',
  record: 'ecs-gitops/hook/',
  message: 'ecs-gitops/hook-message/',
} as const;

/** ECS allows 50 tags per resource: 2 per record and the marker leave room for 24 records. */
export const MAX_RECORDS = 24;
const VALUE_MAX = 256;
const PHASES: readonly HookPhase[] = ['PreSync', 'PostSync', 'SyncFail'];
const STATES: readonly HookRecord['state'][] = ['Armed', 'Running', 'Succeeded', 'Failed', 'Unreported'];

export function ledgerClusterName(instance: string, target?: string): string {
  const name = `ecs-gitops-hooks-${instance}${target ? `-${target}` : ''}`;
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}

/** ECS tag values: letters, numbers, spaces and `_ . : / = + - @`, at most 256 characters. */
export function tagSafe(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, VALUE_MAX);
}

function encodeExitCodes(exitCodes: Readonly<Record<string, number>>, room: number): string {
  let out = '';
  for (const [name, code] of Object.entries(exitCodes)) {
    const part = `${out ? '+' : ''}${name}=${code}`;
    if (out.length + part.length > room) break;
    out += part;
  }
  return out;
}

export function encodeRecord(record: HookRecord): Record<string, string> {
  const head = [
    'v1',
    record.phase,
    record.state,
    String(record.attempt),
    record.revision,
    record.startedAt ?? '-',
    record.finishedAt ?? '-',
  ].join(' ');
  const codes = encodeExitCodes(record.exitCodes, VALUE_MAX - head.length - 1);
  const tags: Record<string, string> = {
    [`${HOOK_LEDGER_TAGS.record}${record.token}`]: codes ? `${head} ${codes}` : head,
  };
  const message = record.message ? tagSafe(record.message) : '';
  if (message) tags[`${HOOK_LEDGER_TAGS.message}${record.token}`] = message;
  return tags;
}

/** The records tags carry; a tag this version cannot read is skipped (never guessed at). */
export function decodeRecords(tags: Readonly<Record<string, string>>): HookRecord[] {
  const records: HookRecord[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(HOOK_LEDGER_TAGS.record)) continue;
    const token = key.slice(HOOK_LEDGER_TAGS.record.length);
    const [version, phase, state, attempt, revision, startedAt, finishedAt, codes] = value.split(' ');
    if (version !== 'v1' || !revision || !PHASES.includes(phase as HookPhase)) continue;
    if (!STATES.includes(state as HookRecord['state']) || !/^\d+$/.test(attempt ?? '')) continue;
    const exitCodes: Record<string, number> = {};
    for (const part of codes ? codes.split('+') : []) {
      const at = part.lastIndexOf('=');
      const code = Number(part.slice(at + 1));
      if (at > 0 && Number.isInteger(code)) exitCodes[part.slice(0, at)] = code;
    }
    const message = tags[`${HOOK_LEDGER_TAGS.message}${token}`];
    records.push({
      token,
      phase: phase as HookPhase,
      state: state as HookRecord['state'],
      attempt: Number(attempt),
      revision,
      ...(startedAt && startedAt !== '-' ? { startedAt } : {}),
      ...(finishedAt && finishedAt !== '-' ? { finishedAt } : {}),
      exitCodes,
      ...(message ? { message } : {}),
    });
  }
  return records;
}

/**
 * What the ledger keeps: every record of the current revision and every armed or running one (what
 * a restart must act on), then the newest finished record of each hook for status, at most
 * MAX_RECORDS in all (the oldest finished ones go first).
 */
export function retainRecords(
  records: readonly (HookRecord & { readonly task: string })[],
  revision: string,
): (HookRecord & { readonly task: string })[] {
  const time = (record: HookRecord) => Date.parse(record.finishedAt ?? record.startedAt ?? '') || 0;
  const newestFirst = [...records].sort((a, b) => time(b) - time(a));
  const mustKeep = (record: HookRecord) =>
    record.revision === revision || record.state === 'Armed' || record.state === 'Running';
  const kept = newestFirst.filter(mustKeep);
  const seenTasks = new Set(kept.map((record) => record.task));
  for (const record of newestFirst) {
    if (mustKeep(record) || seenTasks.has(record.task)) continue;
    seenTasks.add(record.task);
    kept.push(record);
  }
  // Over the limit: drop finished runs of other revisions, then the oldest finished of this one.
  const byDropOrder = [...kept].sort(
    (a, b) => dropRank(a, revision) - dropRank(b, revision) || time(a) - time(b),
  );
  const dropped = new Set(byDropOrder.slice(0, Math.max(0, kept.length - MAX_RECORDS)));
  return kept.filter((record) => !dropped.has(record));
}

function dropRank(record: HookRecord, revision: string): number {
  if (record.state === 'Armed' || record.state === 'Running') return 3;
  if (record.revision !== revision) return 0;
  return record.state === 'Succeeded' ? 1 : 2;
}

/** The tag writes that turn `current` into `wanted`: keys to set, keys to remove. */
export function ledgerChanges(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(wanted)) if (current[key] !== value) set[key] = value;
  const remove = Object.keys(current).filter(
    (key) =>
      (key.startsWith(HOOK_LEDGER_TAGS.record) || key.startsWith(HOOK_LEDGER_TAGS.message)) &&
      !(key in wanted),
  );
  return { set, remove };
}
