// `ecs-gitops status`: the resource table, from a running controller's /api/status or from the
// status branch of the repository (no controller needed).

import { type Command, Option } from 'commander';
import { DEFAULTS } from '../config.js';
import { errorMessage } from '../errors.js';
import type { StatusSnapshot } from '../status/model.js';
import { readStatusBranch } from '../status/read-status-branch.js';
import { shortRevision } from '../types.js';
import { type CliContext, writeLine } from './context.js';
import { renderStatus } from './status-table.js';

const DEFAULT_SERVER = `http://${DEFAULTS.listen}`;

interface StatusOptions {
  server?: string;
  repo?: string;
  statusBranch?: string;
  sshKeyFile?: string;
  knownHostsFile?: string;
  output?: string;
}

function isStatusSnapshot(value: unknown): value is StatusSnapshot {
  const candidate = value as StatusSnapshot | undefined;
  return Boolean(
    candidate && typeof candidate === 'object' && candidate.overall && Array.isArray(candidate.resources),
  );
}

async function fromServer(server: string, ctx: CliContext): Promise<StatusSnapshot> {
  const url = new URL('/api/status', server.endsWith('/') ? server : `${server}/`);
  const token = ctx.env.ECS_GITOPS_API_TOKEN;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.any([ctx.stopSignal, AbortSignal.timeout(10_000)]),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : errorMessage(error);
    throw new Error(
      `cannot reach the controller at ${url.origin}: ${reason} (is \`ecs-gitops run\` running? or use --repo to read the status branch)`,
    );
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${url.href} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url.href} did not answer JSON`);
  }
  if (!isStatusSnapshot(body)) throw new Error(`${url.href} did not answer a status snapshot`);
  return body;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      "print every resource's sync and health (from a running controller, or from the status branch)",
    )
    .addOption(
      new Option('--server <url>', `controller to ask (default ${DEFAULT_SERVER})`).env('ECS_GITOPS_SERVER'),
    )
    .addOption(
      new Option('--repo <url|dir>', 'read the status branch of this repository instead of a controller').env(
        'ECS_GITOPS_REPO',
      ),
    )
    .addOption(
      new Option('--status-branch <name>', `status branch (default ${DEFAULTS.statusBranch})`).env(
        'ECS_GITOPS_STATUS_BRANCH',
      ),
    )
    .addOption(
      new Option('--ssh-key-file <file>', 'private key for ssh remotes').env('ECS_GITOPS_SSH_KEY_FILE'),
    )
    .addOption(
      new Option('--known-hosts-file <file>', 'known_hosts for ssh remotes').env(
        'ECS_GITOPS_KNOWN_HOSTS_FILE',
      ),
    )
    .addOption(
      new Option('--output <format>', 'text or json').choices(['text', 'json']).env('ECS_GITOPS_OUTPUT'),
    )
    .action(async (options: StatusOptions) => {
      let snapshot: StatusSnapshot;
      let origin: string;
      try {
        if (options.repo && !options.server) {
          const read = await readStatusBranch({
            repoUrl: options.repo,
            branch: options.statusBranch ?? DEFAULTS.statusBranch,
            cwd: ctx.cwd,
            auth: {
              ...(ctx.env.ECS_GITOPS_GIT_TOKEN ? { token: ctx.env.ECS_GITOPS_GIT_TOKEN } : {}),
              ...(options.sshKeyFile ? { sshKeyFile: options.sshKeyFile } : {}),
              ...(options.knownHostsFile ? { knownHostsFile: options.knownHostsFile } : {}),
            },
          });
          snapshot = read.snapshot;
          origin = `status branch ${options.statusBranch ?? DEFAULTS.statusBranch} @ ${shortRevision(read.commit)} (written ${read.committedAt})`;
        } else {
          const server = options.server ?? DEFAULT_SERVER;
          snapshot = await fromServer(server, ctx);
          origin = server;
        }
      } catch (error) {
        writeLine(ctx.stderr, `error: ${errorMessage(error)}`);
        ctx.setExitCode(2);
        return;
      }
      if (options.output === 'json') {
        writeLine(ctx.stdout, JSON.stringify(snapshot, null, 2));
        return;
      }
      writeLine(ctx.stdout, `From:      ${origin}`);
      ctx.stdout.write(renderStatus(snapshot));
    });
}
