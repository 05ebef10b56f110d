// `ecs-gitops promote Service/web` and `ecs-gitops rollback Service/web`: answer the gate of a
// progressive deployment (docs/progressive-delivery.md). With `--server URL` the request goes
// through the controller (which records who answered in its status); otherwise straight to ECS.
// Exit 0 done, 1 refused (nothing waits at a gate, no deployment in flight), 2 error.
import type { Command } from 'commander';
import { createAwsClients } from '../aws/clients.js';
import { addAwsOptions, addSourceOptions, resolveConfig } from '../config.js';
import { formatProblem } from '../errors.js';
import {
  answerGate,
  describeOutcome,
  type GateAction,
  GateError,
  type GateOutcome,
} from '../progressive/gate.js';
import { type CliContext, writeLine } from './context.js';
import { describeAwsFailure } from './diff.js';
import { loadDesired } from './load-desired.js';

function serviceName(ref: string): string | undefined {
  const [kind, name] = ref.includes('/') ? ref.split('/', 2) : ['Service', ref];
  return kind === 'Service' && name ? name : undefined;
}

async function viaServer(
  server: string,
  token: string | undefined,
  name: string,
  action: GateAction,
  by: string,
  target: string | undefined,
) {
  const route = `resources/Service/${encodeURIComponent(name)}/${action}`;
  const response = await fetch(
    new URL(target ? `/api/targets/${encodeURIComponent(target)}/${route}` : `/api/${route}`, server),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: new URL(server).origin,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ by }),
    },
  );
  const body = (await response.json().catch(() => ({}))) as { message?: string } & Partial<GateOutcome>;
  return { status: response.status, body };
}

function registerAction(program: Command, ctx: CliContext, action: GateAction): void {
  const command = program
    .command(`${action} <resource>`)
    .description(
      action === 'promote'
        ? 'let a progressive deployment waiting at its approval gate go on (ContinueServiceDeployment CONTINUE)'
        : 'roll a progressive deployment back (at its gate, or StopServiceDeployment ROLLBACK)',
    )
    .option(
      '--server <url>',
      'answer through the controller at this URL (records who), e.g. http://127.0.0.1:8080',
    )
    .option('--api-token <token>', 'bearer token of the controller API (ECS_GITOPS_API_TOKEN)')
    .option('--by <name>', 'who answers (recorded in the status branch when --server is used)')
    .option(
      '--target <name>',
      'with --server and several targets (--targets): the target whose service it is',
    )
    .option('--cluster <name>', 'the cluster in ECS (default: from the Service manifest)');
  addSourceOptions(command);
  addAwsOptions(command);
  command.action(async (ref: string, raw: Record<string, unknown>) => {
    const name = serviceName(ref);
    if (!name) {
      writeLine(ctx.stderr, `error: ${action} takes a Service, like Service/web (got ${ref})`);
      ctx.setExitCode(2);
      return;
    }
    const by = typeof raw.by === 'string' ? raw.by : (ctx.env.USER ?? 'cli');
    if (typeof raw.server === 'string') {
      const token = typeof raw.apiToken === 'string' ? raw.apiToken : ctx.env.ECS_GITOPS_API_TOKEN;
      try {
        const target = typeof raw.target === 'string' ? raw.target : undefined;
        const { status, body } = await viaServer(raw.server, token, name, action, by, target);
        if (status === 200) {
          writeLine(
            ctx.stdout,
            `${action === 'promote' ? 'promoted' : 'rolled back'} Service/${name}${target ? ` in target ${target}` : ''}: ${body.message ?? ''}`,
          );
          return;
        }
        writeLine(ctx.stderr, `error: ${body.message ?? `HTTP ${status}`}`);
        ctx.setExitCode(status === 409 ? 1 : 2);
      } catch (error) {
        writeLine(
          ctx.stderr,
          `error: cannot reach the controller at ${raw.server}: ${(error as Error).message}`,
        );
        ctx.setExitCode(2);
      }
      return;
    }
    if (typeof raw.target === 'string') {
      writeLine(
        ctx.stderr,
        `error: --target ${raw.target} needs --server (the controller that runs the targets)`,
      );
      ctx.setExitCode(2);
      return;
    }
    const config = resolveConfig(raw, ctx.env);
    let cluster = typeof raw.cluster === 'string' ? raw.cluster : undefined;
    let awsName = name;
    if (!cluster) {
      const { result } = await loadDesired(config, ctx.cwd);
      if (!result.ok) {
        for (const problem of result.problems) writeLine(ctx.stderr, formatProblem(problem));
        writeLine(ctx.stderr, 'error: the manifests do not load; name the cluster with --cluster');
        ctx.setExitCode(2);
        return;
      }
      const service = result.desired.resources.find((r) => r.kind === 'Service' && r.name === name);
      if (service?.kind !== 'Service') {
        writeLine(ctx.stderr, `error: no Service/${name} in the manifests; name the cluster with --cluster`);
        ctx.setExitCode(2);
        return;
      }
      cluster = service.cluster.clusterName;
      awsName = service.serviceName;
    }
    const clients = createAwsClients(config.aws);
    try {
      const outcome = await answerGate(clients, { cluster, service: awsName }, action);
      writeLine(ctx.stdout, describeOutcome(`Service/${name}`, outcome));
      // ECS keeps no note of who answered; only the controller's status does.
      writeLine(
        ctx.stderr,
        `note: answered in ECS directly, so ${by} is not recorded; --server URL answers through the controller, which records who`,
      );
    } catch (error) {
      if (error instanceof GateError) {
        writeLine(ctx.stderr, `${action} refused: ${error.message}`);
        ctx.setExitCode(1);
      } else {
        writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
        ctx.setExitCode(2);
      }
    } finally {
      clients.destroy();
    }
  });
}

export function register(program: Command, ctx: CliContext): void {
  registerAction(program, ctx, 'promote');
  registerAction(program, ctx, 'rollback');
}
