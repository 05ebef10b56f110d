// `ecs-gitops run`: the long-running GitOps controller. With --embedded (what `npm start` uses) and
// no AWS target given, it also starts the bundled emulator and watches this checkout's example
// manifests, so a newcomer sees the whole loop with no account and no configuration.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Command, Option } from 'commander';
import { type ControllerApp, startController } from '../app.js';
import { createAwsClients } from '../aws/clients.js';
import {
  addAwsOptions,
  addReconcileOptions,
  addRunOptions,
  addSourceOptions,
  type Config,
  resolveConfig,
} from '../config.js';
import { type EmulatorProcess, startEmulatorProcess } from '../embedded/emulator-process.js';
import { errorMessage } from '../errors.js';
import { leaseKeeperFromConfig } from '../lease/index.js';
import { createLogger } from '../log.js';
import { describeEnvironment, detectEcsEnvironment } from '../runtime/ecs-environment.js';
import { startTargets, targetConfig } from '../targets/start-targets.js';
import { parseTargets } from '../targets/targets-file.js';
import type { CliContext } from './context.js';
import { writeLine } from './context.js';

const exec = promisify(execFile);

/** Where `npm start` keeps its emulator state and clone cache (git-ignored). */
export const EMBEDDED_DIR = '.ecs-gitops';
export const EXAMPLES_DIR = 'manifests/examples';
export const EMULATOR_PORT = 4566;
const SHUTDOWN_TIMEOUT_MS = 20_000;
/** Rollouts in about a second, and a way to see one fail (README walkthrough). */
const EMULATOR_DEMO = { speed: 4, failImagePattern: ':broken$' } as const;

async function gitTopLevel(cwd: string): Promise<{ root: string; branch: string } | undefined> {
  try {
    const root = (await exec('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
    const branch = (await exec('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd })).stdout.trim();
    return { root, branch: branch === 'HEAD' ? 'main' : branch };
  } catch {
    return undefined;
  }
}

/**
 * The embedded defaults: this checkout's Git repository at manifests/examples (or the plain folder
 * when it is not a checkout), a fast local poll, and the cache under .ecs-gitops/.
 */
async function embeddedSource(raw: Record<string, unknown>, cwd: string): Promise<Record<string, unknown>> {
  if (raw.repo || raw.path) return raw;
  const git = await gitTopLevel(cwd);
  if (git && existsSync(path.join(git.root, EXAMPLES_DIR))) {
    return {
      poll: '2s',
      resync: '10s',
      ...raw,
      repo: git.root,
      branch: raw.branch ?? git.branch,
      dir: raw.dir ?? EXAMPLES_DIR,
    };
  }
  return { resync: '10s', ...raw, path: path.join(cwd, EXAMPLES_DIR) };
}

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('run')
    .description('run the controller: watch Git, reconcile ECS, detect drift, serve status')
    .addOption(
      new Option('--lease <mode>', 'single-writer lease: auto (on inside ECS) | on | off')
        .choices(['auto', 'on', 'off'])
        .env('ECS_GITOPS_LEASE'),
    )
    .addOption(
      new Option(
        '--targets <file>',
        'reconcile several targets: a YAML list of {name, dir, region, roleArn?, externalId?}',
      ).env('ECS_GITOPS_TARGETS'),
    )
    .addOption(
      new Option(
        '--embedded',
        'with no --endpoint-url/--region: start the bundled emulator and watch this checkout’s manifests/examples',
      ).env('ECS_GITOPS_EMBEDDED'),
    );
  addSourceOptions(command);
  addAwsOptions(command);
  addReconcileOptions(command);
  addRunOptions(command);
  command.action(async (rawOptions: Record<string, unknown>) => {
    let raw = rawOptions;
    let emulator: EmulatorProcess | undefined;
    const embedded = raw.embedded === true || raw.embedded === 'true';
    // Only an explicit AWS target switches the embedded mode to real AWS: an AWS_REGION that happens
    // to be set in a shell must not send the example fleet to a real account.
    const targetsAws = Boolean(raw.endpointUrl || raw.region);
    if (embedded) {
      raw = await embeddedSource(raw, ctx.cwd);
      raw = { cacheDir: path.join(ctx.cwd, EMBEDDED_DIR, 'cache'), ...raw };
    }
    // Bad flags and unreadable sources surface through runCli: `error: <message>` and exit 2.
    let config: Config = resolveConfig(raw, ctx.env);
    const logger = createLogger({
      level: config.logLevel,
      format: config.logFormat,
      stream: ctx.stdout,
    });

    if (embedded && !targetsAws) {
      const stateDir = path.join(ctx.cwd, EMBEDDED_DIR);
      mkdirSync(stateDir, { recursive: true });
      try {
        const stateFile = path.join(stateDir, 'emulator-state.json');
        // The LocalStack-style port when it is free, so the README's `aws --endpoint-url` lines work as
        // written; any free port otherwise (the banner prints it).
        emulator = await startEmulatorProcess({ ...EMULATOR_DEMO, stateFile, port: EMULATOR_PORT }).catch(
          () => startEmulatorProcess({ ...EMULATOR_DEMO, stateFile, port: 0 }),
        );
      } catch (error) {
        writeLine(ctx.stderr, `error: ${errorMessage(error)}`);
        ctx.setExitCode(2);
        return;
      }
      // The emulator accepts any SigV4 signature; the SDK still wants some credentials to sign with.
      process.env.AWS_ACCESS_KEY_ID ??= 'ecs-gitops-emulator';
      process.env.AWS_SECRET_ACCESS_KEY ??= 'ecs-gitops-emulator';
      // The demo account has none of the examples' secrets, parameters and log groups: preflight
      // would (rightly) block them, so the embedded demo runs without it (docs/preflight.md).
      config = { ...config, aws: { ...config.aws, endpointUrl: emulator.url }, preflight: false };
      logger.info({ endpoint: emulator.url }, 'embedded ECS emulator started (state in .ecs-gitops/)');
    }

    const environment = await detectEcsEnvironment({ env: ctx.env });
    if (environment.inEcs || environment.problem)
      logger.info(describeEnvironment(environment), 'runtime environment');
    // Inside ECS the task ARN names the region even when AWS_REGION is not set.
    if (!raw.region && !ctx.env.AWS_REGION && !ctx.env.AWS_DEFAULT_REGION && environment.region) {
      config = { ...config, aws: { ...config.aws, region: environment.region } };
    }
    // Two tasks of one controller (a deployment overlap, a human mistake) must not both write.
    const leaseMode = typeof raw.lease === 'string' ? raw.lease : 'auto';
    const leaseClients =
      leaseMode === 'on' || (leaseMode === 'auto' && environment.inEcs)
        ? createAwsClients(config.aws)
        : undefined;
    const many = typeof raw.targets === 'string';
    const lease =
      leaseClients && !many ? leaseKeeperFromConfig(config, leaseClients, environment, logger) : undefined;

    let app: { readonly url: string; stop(): Promise<void>; readonly source?: ControllerApp['source'] };
    try {
      if (typeof raw.targets === 'string') {
        // One whole controller per target, each with its own lease in its own account.
        const file = path.resolve(ctx.cwd, raw.targets);
        const targets = parseTargets(raw.targets, await readFile(file));
        app = await startTargets(config, targets, {
          logger,
          cwd: ctx.cwd,
          ...(lease
            ? {
                leaseFor: (target, credentials) =>
                  leaseKeeperFromConfig(
                    targetConfig(config, target),
                    createAwsClients(
                      targetConfig(config, target).aws,
                      undefined,
                      credentials ? { credentials } : {},
                    ),
                    environment,
                    logger.child({ target: target.name }),
                  ),
              }
            : {}),
        });
      } else app = await startController(config, { logger, cwd: ctx.cwd, ...(lease ? { lease } : {}) });
    } catch (error) {
      writeLine(ctx.stderr, `error: ${errorMessage(error)}`);
      lease?.stop();
      leaseClients?.destroy();
      await emulator?.stop();
      ctx.setExitCode(2);
      return;
    }
    const source = app.source?.describe() ?? {
      ...config.source,
      url: config.source.repo ?? '',
      dir: '(targets)',
    };
    const where = `${source.url}${source.branch ? ` (${source.branch})` : ''}${source.dir && source.dir !== '.' ? ` ${source.dir}` : ''}`;
    const ecs = config.aws.endpointUrl ?? `AWS ${config.aws.region}`;
    if (config.logFormat === 'json' || (config.logFormat === 'auto' && !ctx.stdout.isTTY)) {
      // JSON logs stay pure JSON lines (CloudWatch parses every line).
      logger.info(
        { dashboard: `${app.url}/`, source: where, ecs },
        `ecs-gitops is running — dashboard: ${app.url}/`,
      );
    } else {
      writeLine(ctx.stdout, '');
      writeLine(ctx.stdout, `  ecs-gitops is running — dashboard: ${app.url}/`);
      writeLine(ctx.stdout, `  source: ${where}`);
      writeLine(ctx.stdout, `  ECS: ${ecs}   Ctrl-C to stop`);
      writeLine(ctx.stdout, '');
    }

    await new Promise<void>((resolve) => {
      if (ctx.stopSignal.aborted) resolve();
      else ctx.stopSignal.addEventListener('abort', () => resolve(), { once: true });
    });
    logger.info('stopping: finishing the current pass');
    // ECS gives a task stopTimeout (30 s by default) between SIGTERM and SIGKILL: stay well inside it.
    const stopped = await Promise.race([
      app.stop().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_TIMEOUT_MS).unref()),
    ]);
    if (!stopped)
      logger.warn({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'the current pass did not finish in time; exiting');
    leaseClients?.destroy();
    await emulator?.stop();
    logger.info('stopped');
    logger.flush();
  });
}
