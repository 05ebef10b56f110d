// Secrets probe (issue 11, resilience suite): the real `ecs-gitops run` process at debug level, with
// every secret it can be given — a Git token (against a smart-HTTP remote that requires it), the
// alert signing secret, the push webhook secret, the API token, a Slack webhook URL and a PagerDuty
// routing key, a password-like environment value in a manifest — taken through deploys, a failing
// Slack (its URL in an error), a drift, a rejected revision and the Git remote going down. Then every
// channel is searched for each secret: the process's whole output, /api/status, /api/events,
// /metrics, the dashboard page and its assets, every alert delivered, the status branch, `diff` in
// text, JSON and markdown, and the process list.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { signGitHub } from '../../controller/server/index.js';
import { startReceiver } from '../alerts/receiver.js';
import { exampleFiles } from '../e2e/harness.js';
import { runCommand } from '../helpers/cli.js';
import { startTestEmulator, TEST_CREDENTIALS } from '../helpers/emulator.js';
import { createRepo, git, startGitHttpServer, tempDir, waitFor } from '../helpers/git.js';
import { HAS_PROC, watchProcessList } from '../helpers/process-list.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ecs-gitops.js');
const SECRETS = {
  gitToken: 'ghp_GitTokenZ9x8c7v6b5n4m3',
  webhookSecret: 'whsec-AlertSigning-4f3e2d1c',
  gitWebhookSecret: 'push-Webhook-Secret-8a7b6c',
  apiToken: 'api-Token-Bearer-5e6f7a8b',
  slackPath: 'T00000000/B00000000/SlackSecretPathXoXb123',
  pagerdutyKey: 'pd-RoutingKey-0123456789abcdef',
  envValue: 'db-Password-Value-q1w2e3r4',
} as const;

// The in-process `diff` uses the SDK's default credential chain.
process.env.AWS_ACCESS_KEY_ID ??= TEST_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= TEST_CREDENTIALS.secretAccessKey;

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanups.reverse()) await step();
});

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
}

describe.skipIf(!HAS_PROC)('secrets never leave the controller', () => {
  it('given every kind of secret, through deploys, alerts, a failing sink, drift, a rejected revision and a Git outage, then no channel carries any of them', async () => {
    const tmp = await tempDir('ecs-gitops-secrets-');
    cleanups.push(() => tmp.cleanup());
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    cleanups.push(() => emulator.close());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    // Slack answers 500 at first: the delivery error is logged (with the URL, if anything leaked it)
    const slack = await startReceiver([500, 500, 500, 500, 500]);
    cleanups.push(() => slack.close());

    const repo = await createRepo(tmp.path);
    const files = await exampleFiles();
    const withSecretEnv = (image: string) =>
      (files['manifests/web.yaml'] ?? '')
        .replace('nginx:1.27', image)
        .replace(
          '- {name: NGINX_ENTRYPOINT_QUIET_LOGS, value: "1"}',
          `- {name: NGINX_ENTRYPOINT_QUIET_LOGS, value: "1"}\n        - {name: DB_PASSWORD, value: ${SECRETS.envValue}}`,
        );
    await repo.commit({ ...files, 'manifests/web.yaml': withSecretEnv('nginx:1.27') }, 'fleet');
    const gitServer = await startGitHttpServer({ projectRoot: tmp.path, token: SECRETS.gitToken });
    cleanups.push(() => gitServer.close());
    const remote = `${gitServer.url}/${basename(repo.remote)}`;

    const slackUrl = `${slack.url.replace(/\/hook$/, '')}/services/${SECRETS.slackPath}`;
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      ECS_GITOPS_LOG_FORMAT: 'json',
      ECS_GITOPS_LOG_LEVEL: 'debug',
      ECS_GITOPS_GIT_TOKEN: SECRETS.gitToken,
      ECS_GITOPS_WEBHOOK_SECRET: SECRETS.webhookSecret,
      ECS_GITOPS_GIT_WEBHOOK_SECRET: SECRETS.gitWebhookSecret,
      ECS_GITOPS_API_TOKEN: SECRETS.apiToken,
      ECS_GITOPS_SLACK_WEBHOOK_URL: slackUrl,
      ECS_GITOPS_PAGERDUTY_ROUTING_KEY: SECRETS.pagerdutyKey,
      ECS_GITOPS_PAGERDUTY_URL: `${receiver.url.replace(/\/hook$/, '')}/v2/enqueue`,
    };
    const processes = watchProcessList((cmdline) => /ecs-gitops|\bgit\b|remote-http/.test(cmdline));
    cleanups.push(() => processes.stop());

    const child: ChildProcess = spawn(
      process.execPath,
      [
        ...[BIN, 'run', '--repo', remote, '--dir', 'manifests', '--endpoint-url', emulator.url],
        ...[
          '--listen',
          '127.0.0.1:0',
          '--cache-dir',
          join(tmp.path, 'cache'),
          '--poll',
          '300ms',
          '--resync',
          '1s',
        ],
        ...['--webhook-url', receiver.url, '--no-preflight'],
      ],
      { env, cwd: tmp.path, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    await waitFor(() => /dashboard: http:\/\//.test(output) || child.exitCode !== null, 30_000);
    const url = /dashboard: (http:\/\/[^\s/"]+)/.exec(output)?.[1];
    if (!url) throw new Error(`run did not start: ${output}`);
    const status = async () =>
      (await (await fetch(`${url}/api/status`)).json()) as {
        overall: { lastAppliedRevision?: string; rejectedRevision?: unknown };
        resources: Array<{ key: string; sync: string; health: string }>;
      };
    const converged = async (revision: string) =>
      waitFor(
        async () => {
          const s = await status();
          return s.overall.lastAppliedRevision === revision && s.resources.every((r) => r.sync === 'Synced');
        },
        60_000,
        200,
      );
    await converged(await repo.head());

    // a deploy (the secret env var's task definition changes), a push webhook and Sync now with the token
    await repo.commit({ 'manifests/web.yaml': withSecretEnv('nginx:1.28') }, 'new image');
    const push = JSON.stringify({ ref: 'refs/heads/main', after: await repo.head() });
    expect(
      (
        await fetch(`${url}/hooks/git`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-hub-signature-256': signGitHub(push, SECRETS.gitWebhookSecret),
          },
          body: push,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await fetch(`${url}/api/sync`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SECRETS.apiToken}` },
        })
      ).status,
    ).toBe(202);
    await converged(await repo.head());

    // drift: the secret env var's service scaled by hand
    await emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'batch-prod', service: 'worker', desiredCount: 3 }),
    );
    await waitFor(() => receiver.received.some((r) => r.body.includes('DriftDetected')), 30_000, 100);

    // a rejected revision, then the Git remote down for a few polls
    await repo.commit({ 'manifests/broken.yaml': 'kind: [unclosed\n' }, 'broken');
    await waitFor(async () => (await status()).overall.rejectedRevision !== undefined, 30_000, 100);
    await gitServer.close();
    await waitFor(() => /poll failed/.test(output), 30_000, 100);

    // then: every channel, searched for every secret
    const channels: Record<string, string> = {
      'process output (debug logs)': output,
      '/api/status': await (await fetch(`${url}/api/status`)).text(),
      '/api/events': await (await fetch(`${url}/api/events?limit=500`)).text(),
      '/api/resources/Service/web': await (await fetch(`${url}/api/resources/Service/web`)).text(),
      '/metrics': await (await fetch(`${url}/metrics`)).text(),
      '/readyz': await (await fetch(`${url}/readyz`)).text(),
      dashboard: await (await fetch(`${url}/`)).text(),
      alerts: [...receiver.received, ...slack.received]
        .map((r) => `${JSON.stringify(r.headers)} ${r.body}`)
        .join('\n'),
    };
    const html = channels.dashboard ?? '';
    for (const asset of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g))
      channels[`dashboard ${asset[1]}`] = await (await fetch(`${url}${asset[1]}`)).text();
    const statusBranch = join(tmp.path, 'status-check');
    await git(tmp.path, 'clone', '--quiet', '--branch', 'ecs-gitops/status', repo.remote, statusBranch);
    // every version of every status file (the branch's own history, not the manifests on main)
    channels['status branch'] = await git(statusBranch, 'log', '-p', 'HEAD', '--', 'status');
    expect(channels['status branch']).toMatch(/summary\.yaml/);
    const cliEnv = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ECS_GITOPS_GIT_TOKEN: SECRETS.gitToken,
    };
    // a diff that has to show the password-like value changing (to one that contains it)
    const next = join(tmp.path, 'next');
    await mkdir(next);
    for (const [path, text] of Object.entries(files))
      await writeFile(join(next, path.replace('manifests/', '')), text.replace('nginx:1.27', 'nginx:1.28'));
    await writeFile(
      join(next, 'web.yaml'),
      withSecretEnv('nginx:1.28').replace(SECRETS.envValue, `${SECRETS.envValue}-next`),
    );
    for (const format of ['text', 'json', 'markdown']) {
      const diff = await runCommand(
        [
          ...['diff', '--path', next, '--endpoint-url', emulator.url],
          ...['--region', 'us-east-1', '--cache-dir', join(tmp.path, `diff-${format}`), '--output', format],
        ],
        { cwd: tmp.path, env: cliEnv },
      );
      channels[`diff --output ${format}`] = `${diff.stdout}${diff.stderr}`;
      expect(diff.stdout, diff.stderr).toMatch(/DB_PASSWORD/);
    }
    await processes.stop();
    channels['process list'] = [...processes.seen].join('\n');

    // the probe reached what it meant to: alerts of several kinds went out, Slack failed, Git failed
    expect(channels.alerts).toMatch(/DriftDetected/);
    expect(channels.alerts).toMatch(/RevisionRejected/);
    expect(output).toMatch(/slack/i);
    expect(channels['process list']).toMatch(/ecs-gitops/);
    const found = Object.fromEntries(
      Object.entries(channels)
        .map(([name, text]) => [name, leaks(text)] as const)
        .filter(([, names]) => names.length > 0),
    );
    expect(found).toEqual({});
  }, 240_000);
});
