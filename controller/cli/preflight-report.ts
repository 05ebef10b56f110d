// Renders preflight reports for `verify` and `diff`: one block per resource, one line per check.
import type { PreflightReport } from '../preflight/index.js';
import { type CliContext, writeLine } from './context.js';

const MARK = { ok: '✓', failed: '✗', skipped: '-' } as const;

/** The text lines of preflight reports (pure: `diff`'s golden output is built from it). */
export function renderPreflight(reports: readonly PreflightReport[]): string[] {
  return reports.flatMap((report) => [
    `${report.resource}: ${report.ok ? 'preflight passed' : 'preflight FAILED'}`,
    ...report.checks.map((check) => `  ${MARK[check.status]} ${check.check}: ${check.message}`),
  ]);
}

export function printPreflight(ctx: CliContext, reports: readonly PreflightReport[]): void {
  for (const line of renderPreflight(reports)) writeLine(ctx.stdout, line);
}
