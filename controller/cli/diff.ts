// `ecs-gitops diff`: what would change if the manifests were applied now.
// Exit 0 in sync, 1 changes exist, 2 error (kubectl / flux convention).
import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { createAwsClients } from '../aws/clients.js';
import {
  addAwsOptions,
  addReconcileOptions,
  addSourceOptions,
  type Config,
  pruneLimit,
  resolveConfig,
} from '../config.js';
import { diffResources } from '../diff/index.js';
import { AwsError, formatProblem, type ManifestProblem } from '../errors.js';
import { readLive } from '../live/index.js';
import { describeProblemCount } from '../manifest/index.js';
import { changeSetToJson, configurationInSync, planChanges, renderChangeSet } from '../plan/index.js';
import { renderChangeSetMarkdown } from '../plan/markdown.js';
import type { ChangeSet } from '../plan/model.js';
import { type CliContext, useColor, writeLine } from './context.js';
import { loadDesired } from './load-desired.js';

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

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('diff')
    .description('show what apply would change (exit 0 in sync, 1 changes, 2 error)');
  addSourceOptions(command);
  addAwsOptions(command);
  addReconcileOptions(command);
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
      const live = await readLive(clients, result.desired, {
        instance: config.instance,
        discoverOrphans: config.prune,
      });
      const diffs = diffResources(result.desired, live, {
        instance: config.instance,
        pruneCandidates: config.prune,
      });
      const owned = diffs.filter((d) => d.owned === true).length;
      const changeSet = planChanges(diffs, {
        revision: result.desired.revision,
        prune: config.prune,
        pruneLimit: pruneLimit(config.pruneMax, owned),
        pruneConfirm: config.pruneConfirm,
      });
      if (config.output === 'json')
        writeLine(ctx.stdout, JSON.stringify(changeSetToJson(changeSet), null, 2));
      else if (config.output === 'markdown')
        ctx.stdout.write(renderChangeSetMarkdown(changeSet, { title: describeSource(config) }));
      else ctx.stdout.write(renderChangeSet(changeSet, { color: useColor(ctx) }));
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
