// The plan as GitHub/GitLab-flavoured Markdown for a pull request comment (`diff --output markdown`):
// a summary line, a table of the resources that change, and per resource its field changes in a
// collapsible `diff` block. The first line is a hidden marker so a CI job can update its own comment.
import { keyString, shortRevision } from '../types.js';
import type { ChangeSet } from './model.js';
import { HEADER, renderEntry, summaryLine } from './render.js';

export interface MarkdownOptions {
  /** What was compared, e.g. `envs/prod`: names the comment (and its marker). */
  readonly title: string;
}

/** Text inside a fenced block must not close it. */
const fenced = (line: string) => line.replace(/```/g, '`\u200b``');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderChangeSetMarkdown(changeSet: ChangeSet, options: MarkdownOptions): string {
  const changed = changeSet.entries.filter((entry) => entry.action !== 'noop' || entry.blocked);
  const revision = shortRevision(changeSet.revision);
  const out = [
    `<!-- ecs-gitops-diff ${options.title} -->`,
    `### ecs-gitops diff: \`${options.title}\` at \`${revision}\``,
    '',
  ];
  if (changed.length === 0) {
    out.push(`**No changes.** Live state matches the manifests (${changeSet.entries.length} resources).`, '');
    return `${out.join('\n')}\n`;
  }
  out.push(`**${summaryLine(changeSet)}**`, '');
  out.push('| | Resource | Action | Fields |', '|---|---|---|---|');
  for (const entry of changed) {
    const header = HEADER[entry.action];
    const action = entry.blocked ? `${entry.action} (blocked: ${entry.blocked.reason})` : entry.action;
    out.push(
      `| \`${header.symbol}\` | \`${cell(keyString(entry.key))}\` | ${cell(action)} | ${entry.diff.changes.length} |`,
    );
  }
  out.push('');
  for (const entry of changed) {
    const [title = '', ...lines] = renderEntry(entry, false);
    out.push(
      `<details><summary><code>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></summary>`,
      '',
    );
    if (lines.length > 0) out.push('```diff', ...lines.map((line) => fenced(line.trimStart())), '```');
    out.push('', '</details>', '');
  }
  if (changeSet.summary.blocked > 0)
    out.push(`> ${changeSet.summary.blocked} change(s) blocked: see the entries marked blocked.`, '');
  return `${out.join('\n')}\n`;
}
