// `ecs-gitops verify`: the preflight checks of every task definition (images in ECR, secrets, log
// groups, roles) and load-balanced service (target groups), without changing anything. Exit 0 all passed, 1 a check failed, 2 error.
import type { Command } from 'commander';
import { addAwsOptions, addSourceOptions, resolveConfig } from '../config.js';
import { formatProblem } from '../errors.js';
import { createPreflightReader } from '../live/preflight-reads.js';
import { verifyAll } from '../preflight/index.js';
import { type CliContext, writeLine } from './context.js';
import { describeAwsFailure } from './diff.js';
import { loadDesired } from './load-desired.js';
import { printPreflight } from './preflight-report.js';

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('verify')
    .description(
      'preflight: check that images, secrets, log groups, roles and target groups exist (exit 0 ok, 1 failed, 2 error)',
    );
  addSourceOptions(command);
  addAwsOptions(command);
  command.action(async (raw: Record<string, unknown>) => {
    const config = resolveConfig(raw, ctx.env);
    const { result } = await loadDesired(config, ctx.cwd);
    if (!result.ok) {
      for (const problem of result.problems) writeLine(ctx.stderr, formatProblem(problem));
      writeLine(ctx.stderr, `error: ${result.problems.length} problem(s) in the manifests; nothing verified`);
      ctx.setExitCode(2);
      return;
    }
    const reader = createPreflightReader(config.aws);
    try {
      const reports = await verifyAll(result.desired.resources, reader, config.aws.region);
      if (config.output === 'json') writeLine(ctx.stdout, JSON.stringify({ reports }, null, 2));
      else printPreflight(ctx, reports);
      ctx.setExitCode(reports.every((r) => r.ok) ? 0 : 1);
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
    } finally {
      reader.destroy();
    }
  });
}
