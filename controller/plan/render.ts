// Human and machine forms of a ChangeSet. Shared by `diff` and `apply --dry-run`.
import type { FieldChange } from '../diff/model.js';
import { keyString } from '../types.js';
import type { ChangeSet, ChangeSetEntry } from './model.js';
import { strategyChangeNotes } from './strategy-change.js';

const COLORS = { green: 32, red: 31, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Color = keyof typeof COLORS;

function paint(enabled: boolean, color: Color, text: string): string {
  return enabled ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
}

const MAX_VALUE = 240;

function formatValue(value: unknown, sensitive: boolean | undefined): string {
  if (sensitive && typeof value === 'string') return '(sensitive value)';
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export const HEADER: Record<ChangeSetEntry['action'], { symbol: string; color: Color; verb: string }> = {
  create: { symbol: '+', color: 'green', verb: 'will be created' },
  update: { symbol: '~', color: 'yellow', verb: 'will be updated in place' },
  replace: { symbol: '-/+', color: 'magenta', verb: 'must be replaced' },
  delete: { symbol: '-', color: 'red', verb: 'will be deleted' },
  adopt: {
    symbol: '=',
    color: 'cyan',
    verb: 'will be adopted (ownership tags only; live already matches Git)',
  },
  noop: { symbol: ' ', color: 'dim', verb: 'is in sync' },
};

function renderChange(change: FieldChange, color: boolean): string {
  const mark = change.createOnly ? ' (forces replacement)' : '';
  if (change.op === 'add') {
    return paint(
      color,
      'green',
      `    + ${change.path}: ${formatValue(change.desired, change.sensitive)}${mark}`,
    );
  }
  if (change.op === 'remove') {
    return paint(color, 'red', `    - ${change.path}: ${formatValue(change.live, change.sensitive)}${mark}`);
  }
  return paint(
    color,
    'yellow',
    `    ~ ${change.path}: ${formatValue(change.live, change.sensitive)} → ${formatValue(change.desired, change.sensitive)}${mark}`,
  );
}

export function renderEntry(entry: ChangeSetEntry, color: boolean): string[] {
  const header = HEADER[entry.action];
  const lines: string[] = [];
  const arn =
    entry.diff.liveArn && entry.action !== 'create' ? paint(color, 'dim', ` (${entry.diff.liveArn})`) : '';
  lines.push(
    `${paint(color, header.color, `${header.symbol} ${keyString(entry.key)}`)} ${header.verb}${arn}`,
  );
  for (const reason of entry.diff.replaceReasons)
    lines.push(paint(color, 'magenta', `    # replace: ${reason}`));
  for (const change of entry.diff.changes) lines.push(renderChange(change, color));
  for (const note of strategyChangeNotes(entry.diff)) lines.push(paint(color, 'cyan', `    # ${note}`));
  const td = entry.diff.taskDefinition;
  if (entry.key.kind === 'TaskDefinition' && td?.register) {
    lines.push(paint(color, 'dim', `    # registers a new revision of ${td.family}`));
  }
  if (entry.blocked) {
    lines.push(paint(color, 'cyan', `    ! blocked (${entry.blocked.reason}): ${entry.blocked.message}`));
  }
  return lines;
}

/**
 * `Plan: 2 to create, 1 to update, 0 to replace, 0 to delete.` (blocked entries are not counted),
 * with `, 3 to adopt` before the full stop when there are adoptions.
 */
export function summaryLine(changeSet: ChangeSet): string {
  const { create, update, replace, delete: del, adopt } = changeSet.summary;
  const adopting = adopt > 0 ? `, ${adopt} to adopt` : '';
  return `Plan: ${create} to create, ${update} to update, ${replace} to replace, ${del} to delete${adopting}.`;
}

/** Nothing to change in ECS's configuration: every entry is in sync or only to be adopted (tags). */
export function configurationInSync(changeSet: ChangeSet): boolean {
  return changeSet.entries.every((entry) => entry.action === 'noop' || entry.action === 'adopt');
}

/** One block per changed resource, a line per field, then the summary line. */
export function renderChangeSet(changeSet: ChangeSet, options: { color: boolean }): string {
  const color = options.color;
  const blocks: string[] = [];
  for (const entry of changeSet.entries) {
    if (entry.action === 'noop' && !entry.blocked) continue;
    blocks.push(renderEntry(entry, color).join('\n'));
  }
  const out: string[] = [];
  if (blocks.length === 0) {
    out.push(`No changes. Live state matches the manifests (${changeSet.entries.length} resources).`);
  } else {
    out.push(blocks.join('\n\n'), '');
  }
  out.push(paint(color, 'bold', summaryLine(changeSet)));
  if (changeSet.summary.blocked > 0) {
    out.push(
      paint(
        color,
        'cyan',
        `${changeSet.summary.blocked} change${changeSet.summary.blocked === 1 ? '' : 's'} blocked (see "!" lines above).`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The ChangeSet as data for `--output json`: identities, actions and field changes, no manifest dumps, secrets masked. */
export function changeSetToJson(changeSet: ChangeSet): Record<string, unknown> {
  return {
    revision: changeSet.revision,
    summary: changeSet.summary,
    inSync: configurationInSync(changeSet),
    entries: changeSet.entries.map((entry) => {
      const diff = entry.diff;
      // What a strategy change means and what ECS would refuse (the text output's `#` lines).
      const notes = strategyChangeNotes(diff);
      return {
        key: keyString(entry.key),
        kind: entry.key.kind,
        name: entry.key.name,
        action: entry.action,
        ...(entry.blocked ? { blocked: entry.blocked } : {}),
        dependsOn: entry.dependsOn.map(keyString),
        ...(diff.owned !== undefined ? { owned: diff.owned } : {}),
        ...(diff.liveArn ? { liveArn: diff.liveArn } : {}),
        ...(diff.replaceReasons.length > 0 ? { replaceReasons: diff.replaceReasons } : {}),
        ...(diff.taskDefinition ? { taskDefinition: diff.taskDefinition } : {}),
        ...(diff.desired ? { source: diff.desired.source.file } : {}),
        changes: diff.changes,
        ...(notes.length > 0 ? { notes } : {}),
      };
    }),
  };
}
