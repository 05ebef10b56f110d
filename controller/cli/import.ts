// `ecs-gitops import`: read clusters, services, task definitions and autoscaling from live ECS and
// write minimal manifests for them (rendering is import/, reading is live/estate.ts; this file only
// resolves flags and writes files). Existing files are never overwritten without --force.
// Exit 0 every file written, 1 files skipped or a manifest that would not diff to zero, 2 error.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type Command, Option } from 'commander';
import { createAwsClients } from '../aws/clients.js';
import { scheduleGroupOf } from '../aws-model/schedules.js';
import { addAwsOptions, resolveConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { type ImportResult, renderImport, verifyImport } from '../import/index.js';
import { readEstate } from '../live/estate.js';
import { type CliContext, writeLine } from './context.js';
import { describeAwsFailure } from './diff.js';

export const DEFAULT_OUT = join('manifests', 'imported');
const SCHEMA_FILE = join('schemas', 'ecs-gitops.schema.json');

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

/** The schema file of the project the output folder lives in, as a path relative to each file. */
function schemaRefFor(outDir: string): ((file: string) => string) | undefined {
  for (let dir = outDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SCHEMA_FILE))) {
      const schema = join(dir, SCHEMA_FILE);
      return (file) =>
        relative(dirname(join(outDir, file)), schema)
          .split(sep)
          .join('/');
    }
    if (dirname(dir) === dir) return undefined;
  }
}

interface WriteOutcome {
  readonly written: { path: string; resources: readonly string[] }[];
  readonly skipped: { path: string; reason: string }[];
}

async function writeFiles(outDir: string, result: ImportResult, force: boolean): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], skipped: [] };
  for (const file of result.files) {
    const target = join(outDir, ...file.path.split('/'));
    if (!force && existsSync(target)) {
      outcome.skipped.push({ path: file.path, reason: 'exists (use --force to overwrite)' });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    outcome.written.push({ path: file.path, resources: file.resources });
  }
  return outcome;
}

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('import')
    .description('write manifests for services that already run in ECS (exit 0 written, 1 skipped, 2 error)')
    .addOption(
      new Option('--cluster <name>', 'cluster to import (repeatable, or comma-separated)')
        .argParser(collect)
        .env('ECS_GITOPS_CLUSTER'),
    )
    .addOption(
      new Option('--all-clusters', 'import every cluster of the region').env('ECS_GITOPS_ALL_CLUSTERS'),
    )
    .addOption(
      new Option('--service <name>', 'only these services (repeatable, or comma-separated)')
        .argParser(collect)
        .env('ECS_GITOPS_SERVICE'),
    )
    .addOption(new Option('--out <dir>', `output folder (default ${DEFAULT_OUT})`).env('ECS_GITOPS_OUT'))
    .addOption(new Option('--force', 'overwrite existing files').env('ECS_GITOPS_FORCE'))
    .addOption(
      new Option(
        '--adopt-owned',
        'also annotate resources another tool owns (CloudFormation, Copilot, another instance) for adoption',
      ).env('ECS_GITOPS_ADOPT_OWNED'),
    );
  addAwsOptions(command);
  command.action(async (raw: Record<string, unknown>) => {
    const config = resolveConfig(raw, ctx.env);
    const clusters = Array.isArray(raw.cluster)
      ? (raw.cluster as string[])
      : typeof raw.cluster === 'string'
        ? collect(raw.cluster)
        : [];
    const services = Array.isArray(raw.service)
      ? (raw.service as string[])
      : typeof raw.service === 'string'
        ? collect(raw.service)
        : [];
    const flag = (name: string) => raw[name] === true || raw[name] === 'true';
    const allClusters = flag('allClusters');
    if (clusters.length === 0 && !allClusters)
      throw new ConfigError('name what to import: --cluster NAME (repeatable) or --all-clusters');
    const outDir = resolve(ctx.cwd, typeof raw.out === 'string' && raw.out !== '' ? raw.out : DEFAULT_OUT);
    const json = config.output === 'json';
    const where = config.aws.endpointUrl ?? config.aws.region;

    const clients = createAwsClients(config.aws);
    let estate: Awaited<ReturnType<typeof readEstate>>;
    try {
      estate = await readEstate(clients, {
        clusters,
        allClusters,
        services,
        // Schedules of the controller's own group become ScheduledTasks (other groups are not ours).
        scheduleGroup: scheduleGroupOf(config.instance),
      });
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
      return;
    } finally {
      clients.destroy();
    }
    if (estate.missingClusters.length > 0) {
      const names = estate.missingClusters.map((name) => `"${name}"`).join(', ');
      writeLine(
        ctx.stderr,
        `error: cluster ${names} not found in ${where} (no ACTIVE cluster of that name); nothing written`,
      );
      ctx.setExitCode(2);
      return;
    }
    if (estate.missingServices.length > 0) {
      const names = estate.missingServices.map((name) => `"${name}"`).join(', ');
      writeLine(ctx.stderr, `error: service ${names} not found in the clusters read; nothing written`);
      ctx.setExitCode(2);
      return;
    }

    const schemaRef = schemaRefFor(outDir);
    const result = renderImport(estate, {
      instance: config.instance,
      adoptOwned: flag('adoptOwned'),
      ...(schemaRef ? { schemaRef } : {}),
    });
    const check = verifyImport(result.files, estate, config.instance);
    const outcome = await writeFiles(outDir, result, flag('force'));
    const shownDir = relative(ctx.cwd, outDir) || '.';

    if (json) {
      writeLine(
        ctx.stdout,
        JSON.stringify(
          {
            out: shownDir,
            written: outcome.written,
            skipped: outcome.skipped,
            warnings: result.warnings,
            check,
          },
          null,
          2,
        ),
      );
    } else {
      for (const file of outcome.written)
        writeLine(ctx.stdout, `wrote   ${join(shownDir, file.path)}  (${file.resources.join(', ')})`);
      for (const file of outcome.skipped)
        writeLine(ctx.stdout, `skipped ${join(shownDir, file.path)}: ${file.reason}`);
      for (const warning of result.warnings)
        writeLine(
          ctx.stderr,
          `warning: ${join(shownDir, warning.file)}: ${warning.resource}: ${warning.message}`,
        );
      for (const problem of [...check.problems, ...check.differences])
        writeLine(ctx.stderr, `error: imported manifests do not round-trip: ${problem}`);
      const serviceCount = estate.clusters.reduce((sum, c) => sum + c.services.length, 0);
      writeLine(
        ctx.stdout,
        `Import: ${estate.clusters.length} cluster(s), ${serviceCount} service(s); ${outcome.written.length} file(s) written, ${outcome.skipped.length} skipped, ${result.warnings.length} warning(s).`,
      );
      if (outcome.written.length > 0) {
        writeLine(
          ctx.stdout,
          `Next: ecs-gitops validate ${shownDir} && ecs-gitops diff --path ${shownDir}${config.aws.endpointUrl ? ` --endpoint-url ${config.aws.endpointUrl}` : ''}`,
        );
      }
    }
    if (check.problems.length > 0 || check.differences.length > 0 || outcome.skipped.length > 0)
      ctx.setExitCode(1);
  });
}
