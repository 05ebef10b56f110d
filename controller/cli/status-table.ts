// The `status` command's table: one line per resource, newest facts first in the message column.

import type { ResourceStatus, StatusSnapshot } from '../status/model.js';
import { shortRevision } from '../types.js';

const MAX_MESSAGE = 100;

/** 42s, 5m, 3h, 2d — how long ago. */
export function formatAge(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function revisionCell(revision: string | undefined): string {
  return revision ? shortRevision(revision) : '-';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

/** The most useful thing to say about a resource: its error, its drift, its health, its readiness. */
export function resourceMessage(resource: ResourceStatus): string {
  if (resource.lastError) return oneLine(resource.lastError.message);
  const drifted = resource.conditions.find((c) => c.type === 'Drifted' && c.status === 'True');
  if (drifted) return oneLine(drifted.message);
  if (resource.sync === 'Drifted' && resource.diff.length > 0) {
    return oneLine(`drifted: ${resource.diff.map((d) => d.path).join(', ')}`);
  }
  if (resource.health !== 'Healthy' && resource.healthMessage) return oneLine(resource.healthMessage);
  const ready = resource.conditions.find((c) => c.type === 'Ready' && c.status !== 'True');
  if (ready) return oneLine(ready.message);
  return '';
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function renderStatus(snapshot: StatusSnapshot, now: number = Date.now()): string {
  const { overall } = snapshot;
  const source = overall.source;
  const lines: string[] = [];
  const where = `${source.url}${source.branch ? ` (${source.branch}${source.dir && source.dir !== '.' ? `, ${source.dir}` : ''})` : ''}`;
  lines.push(`Instance:  ${overall.instance}${overall.ready ? '' : ' (not ready)'}`);
  lines.push(
    `Source:    ${where} at ${revisionCell(source.revision)}` +
      (source.condition.status === 'True'
        ? ''
        : ` — ${source.condition.reason}: ${oneLine(source.condition.message)}`),
  );
  lines.push(`Applied:   ${revisionCell(overall.lastAppliedRevision)}`);
  if (overall.lastPass) {
    lines.push(
      `Last pass: ${overall.lastPass.result}, ${(overall.lastPass.durationMs / 1000).toFixed(1)}s, ${formatAge(overall.lastPass.startedAt, now)} ago`,
    );
  }
  if (overall.rejectedRevision) {
    lines.push(`Rejected:  ${revisionCell(overall.rejectedRevision.revision)}:`);
    const { problems, problemCount = problems.length } = overall.rejectedRevision;
    for (const problem of problems) lines.push(`  ${problem}`);
    if (problemCount > problems.length) lines.push(`  … and ${problemCount - problems.length} more`);
  }
  lines.push('');
  if (snapshot.resources.length === 0) {
    lines.push('No resources.');
    return `${lines.join('\n')}\n`;
  }
  const rows = [
    ['KIND', 'NAME', 'SYNC', 'HEALTH', 'REVISION', 'AGE', 'MESSAGE'],
    ...snapshot.resources.map((r) => [
      r.kind,
      r.name,
      r.sync,
      r.health,
      revisionCell(r.lastAppliedRevision),
      formatAge(r.lastAppliedAt, now),
      resourceMessage(r),
    ]),
  ];
  lines.push(...table(rows));
  return `${lines.join('\n')}\n`;
}
