// `ecs-gitops diff`: what would change if the manifests were applied now.
// Exit 0 in sync, 1 changes exist, 2 error (kubectl / flux convention).
import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { createAwsClients } from '../aws/clients.js';
import {
  addAwsOptions,
  addPreflightOption,
  addReconcileOptions,
  addSourceOptions,
  type Config,
  resolveConfig,
} from '../config.js';
import { AwsError, formatProblem, type ManifestProblem } from '../errors.js';
import { createPreflightReader } from '../live/preflight-reads.js';
import { describeProblemCount } from '../manifest/index.js';
import type { DesiredResource } from '../manifest/model.js';
import { createPipeline } from '../pipeline/index.js';
import { deployingServices, hookPlanText, type PlannedHook, plannedHooks } from '../plan/hooks.js';
import { changeSetToJson, configurationInSync, renderChangeSet } from '../plan/index.js';
import { renderChangeSetMarkdown } from '../plan/markdown.js';
import type { ChangeSet } from '../plan/model.js';
import { preflightOf } from '../preflight/gate.js';
import type { PreflightReport } from '../preflight/index.js';
import { type CliContext, useColor, writeLine } from './context.js';
import { loadDesired } from './load-desired.js';
import { renderPreflight } from './preflight-report.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'TimeoutError',
  'NetworkingError',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'CredentialsProviderError',
  'IncompleteSignatureException',
]);

/** One line a person can act on, for the AWS failures people actually hit. */
export function describeAwsFailure(error: unknown, config: Config): string {
  const where = config.aws.endpointUrl ?? `ECS in ${config.aws.region}`;
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  const aws = error instanceof AwsError ? error : undefined;
  const cause = (aws?.cause ?? error) as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
  };
  const codes = [aws?.awsCode, cause.name, cause.code, cause.cause?.code, e.name, e.code].filter(
    (c): c is string => typeof c === 'string',
  );
  const message = cause.message ?? e.message ?? String(error);
  const operation = aws ? `${aws.operation}: ` : '';
  if (
    codes.some((c) => UNREACHABLE.has(c)) ||
    /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up|connect ETIMEDOUT/.test(message)
  ) {
    return `cannot reach AWS at ${where}: ${message} (check --endpoint-url, --region and the network)`;
  }
  if (codes.some((c) => ACCESS_DENIED.has(c))) {
    return `access denied by AWS: ${operation}${message} (the credentials need ecs:Describe*/List* and application-autoscaling:Describe* permissions)`;
  }
  if (codes.some((c) => BAD_CREDENTIALS.has(c)) || /credential/i.test(message)) {
    return `AWS rejected the credentials: ${operation}${message} (check AWS_PROFILE / AWS_ACCESS_KEY_ID or the role)`;
  }
  return `AWS request failed: ${aws ? aws.message : message}`;
}

export interface DiffRun {
  readonly changeSet: ChangeSet;
  readonly root: string;
}

function printProblems(ctx: CliContext, problems: readonly ManifestProblem[], root: string): void {
  for (const line of displayProblems(ctx, problems, root)) writeLine(ctx.stderr, line);
}

/** `envs/prod`, `manifests/`: what a diff compared, as people name it. */
function describeSource(config: Config): string {
  return config.source.path ?? (config.source.dir !== '.' ? config.source.dir : (config.source.repo ?? '.'));
}

function displayProblems(ctx: CliContext, problems: readonly ManifestProblem[], root: string): string[] {
  return problems.map((problem) => {
    const file = problem.location.file;
    const display = relative(ctx.cwd, isAbsolute(file) ? file : join(root, file)) || file;
    return formatProblem({ ...problem, location: { ...problem.location, file: display } });
  });
}

function problemsMarkdown(
  ctx: CliContext,
  problems: readonly ManifestProblem[],
  root: string,
  title: string,
): string {
  const lines = displayProblems(ctx, problems, root).map((line) => line.replace(/```/g, '`\u200b``'));
  return [
    `<!-- ecs-gitops-diff ${title} -->`,
    `### ecs-gitops diff: \`${title}\``,
    '',
    `**${problems.length} problem(s) in the manifests; nothing compared.**`,
    '',
    '```',
    ...lines,
    '```',
    '',
  ].join('\n');
}

/** What preflight found for the entries the plan would write; a read that fails is reported, not fatal. */
type PreflightOutcome = { readonly reports: readonly PreflightReport[] } | { readonly error: string };

async function preflightChanges(
  changeSet: ChangeSet,
  resources: readonly DesiredResource[],
  config: Config,
): Promise<PreflightOutcome> {
  const reader = createPreflightReader(config.aws);
  try {
    const reports: PreflightReport[] = [];
    for (const entry of changeSet.entries) {
      const report = await preflightOf(entry, resources, reader, config.aws.region);
      if (report) reports.push(report);
    }
    return { reports };
  } catch (error) {
    return { error: describeAwsFailure(error, config) };
  } finally {
    reader.destroy();
  }
}

function preflightText(outcome: PreflightOutcome): string {
  if ('error' in outcome) return `\nPreflight not run: ${outcome.error}\n`;
  if (outcome.reports.length === 0) return '';
  const failed = outcome.reports.filter((r) => !r.ok).length;
  return `\nPreflight of ${outcome.reports.length} resource(s) to be written: ${failed === 0 ? 'all passed' : `${failed} FAILED (run would not apply ${failed === 1 ? 'it' : 'them'})`}\n${renderPreflight(outcome.reports).join('\n')}\n`;
}

function hookPlanMarkdown(hooks: readonly PlannedHook[]): string {
  const text = hookPlanText(hooks).trim();
  if (text === '') return '';
  const [headline = '', ...lines] = text.split('\n');
  return `#### ${headline}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
}

function preflightMarkdown(outcome: PreflightOutcome): string {
  const text = preflightText(outcome).trim();
  if (text === '') return '';
  const [headline = '', ...lines] = text.split('\n');
  return `#### ${headline}\n\n${lines.length > 0 ? `\`\`\`\n${lines.join('\n').replace(/```/g, '`\u200b``')}\n\`\`\`\n` : ''}`;
}

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('diff')
    .description('show what apply would change (exit 0 in sync, 1 changes, 2 error)');
  addSourceOptions(command);
  addAwsOptions(command);
  addReconcileOptions(command);
  addPreflightOption(command);
  command.action(async (raw: Record<string, unknown>) => {
    // Bad flags and unreadable sources surface through runCli: `error: <message>` and exit 2.
    const config = resolveConfig(raw, ctx.env);
    const loaded = await loadDesired(config, ctx.cwd);
    const { result, root } = loaded;
    if (!result.ok) {
      printProblems(ctx, result.problems, root);
      // A pull request comment says why there is no plan, with the same file:line:col lines.
      if (config.output === 'markdown')
        ctx.stdout.write(problemsMarkdown(ctx, result.problems, root, describeSource(config)));
      writeLine(
        ctx.stderr,
        `error: ${describeProblemCount(result.problems.length, result.problemCount)} in the manifests; nothing compared`,
      );
      ctx.setExitCode(2);
      return;
    }
    const clients = createAwsClients(config.aws);
    try {
      const { changeSet } = await createPipeline(clients, config).preview(result.desired);
      // What `run` would refuse to apply is shown before anyone merges it.
      const preflight = config.preflight
        ? await preflightChanges(changeSet, result.desired.resources, config)
        : undefined;
      // The hooks a deploy of this plan would run (apply and run wait for them).
      const hooks = plannedHooks(result.desired, deployingServices(changeSet));
      if (config.output === 'json')
        writeLine(
          ctx.stdout,
          JSON.stringify(
            { ...changeSetToJson(changeSet), ...(preflight ? { preflight } : {}), hooks },
            null,
            2,
          ),
        );
      else if (config.output === 'markdown')
        ctx.stdout.write(
          renderChangeSetMarkdown(changeSet, { title: describeSource(config) }) +
            (preflight ? preflightMarkdown(preflight) : '') +
            hookPlanMarkdown(hooks),
        );
      else
        ctx.stdout.write(
          renderChangeSet(changeSet, { color: useColor(ctx) }) +
            (preflight ? preflightText(preflight) : '') +
            hookPlanText(hooks),
        );
      // An adoption writes only ownership tags: ECS already runs what Git says, so it is not a change.
      ctx.setExitCode(configurationInSync(changeSet) ? 0 : 1);
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
    } finally {
      clients.destroy();
    }
  });
}
