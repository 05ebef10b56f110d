// Prints preflight reports for `verify` and `diff`: one block per task definition, one line per check.
import type { PreflightReport } from '../preflight/index.js';
import { type CliContext, writeLine } from './context.js';

const MARK = { ok: '✓', failed: '✗', skipped: '-' } as const;

export function printPreflight(ctx: CliContext, reports: readonly PreflightReport[]): void {
  for (const report of reports) {
    writeLine(ctx.stdout, `${report.resource}: ${report.ok ? 'preflight passed' : 'preflight FAILED'}`);
    for (const check of report.checks)
      writeLine(ctx.stdout, `  ${MARK[check.status]} ${check.check}: ${check.message}`);
  }
}
