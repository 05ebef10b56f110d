// End-to-end: `run`'s controller against a real Git remote, the emulator over HTTP with the real
// SDK, the real HTTP server and a real webhook receiver.
import { rename } from 'node:fs/promises';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '../../controller/alerts/webhook.js';
import { signGitHub } from '../../controller/server/index.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { readTree, waitFor } from '../helpers/git.js';
import { logGitCommands } from '../helpers/git-commands.js';
import {
  allSyncedAndHealthy,
  exampleFiles,
  type Harness,
  startHarness,
  WEBHOOK_SECRET,
  waitForStatus,
} from './harness.js';

const WRITES =
  /^ecs:(Create|Update|Register|Deregister|Delete|Put|Run|Tag|Untag)|^application-autoscaling:(Register|Put|Delete|Deregister|Tag)/;

function writeCalls(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([op]) => WRITES.test(op)));
}

function alertsOf(
  harness: Harness,
  type: string,
): Array<{ body: Record<string, unknown>; signature: string; raw: string }> {
  return harness.receiver.received
    .map((r) => ({
      raw: r.body,
      body: JSON.parse(r.body) as Record<string, unknown>,
      signature: String(r.headers['x-ecs-gitops-signature']),
    }))
    .filter((r) => r.body.type === type || (r.body.event as { type?: string } | undefined)?.type === type);
}

async function workerDesiredCount(harness: Harness): Promise<number | undefined> {
  const out = await harness.emulator.ecs.send(
    new DescribeServicesCommand({ cluster: 'batch-prod', services: ['worker'] }),
  );
  return out.services?.[0]?.desiredCount;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('ecs-gitops run, end to end', () => {
  it('given the example fleet in Git, when the controller starts, then everything is Synced and Healthy, the status branch has the files, and /metrics agrees with /api/status', async () => {
    harness = await startHarness();
    await waitForStatus(harness.app, (s) => allSyncedAndHealthy(s));

    const status = (await (await fetch(`${harness.app.url}/api/status`)).json()) as {
      overall: { ready: boolean; lastAppliedRevision: string };
      resources: Array<{ key: string; sync: string; health: string }>;
    };
    expect(status.overall.ready).toBe(true);
    expect(status.overall.lastAppliedRevision).toBe(await harness.repo.head());
    const metrics = await (await fetch(`${harness.app.url}/metrics`)).text();
    for (const resource of status.resources) {
      const [kind, name] = resource.key.split('/');
      expect(metrics).toContain(
        `ecs_gitops_resource_info{kind="${kind}",name="${name}",sync="${resource.sync}",health="${resource.health}"} 1`,
      );
    }
    expect(metrics).toMatch(/ecs_gitops_drifted_resources 0/);
    expect(metrics).toMatch(
      /ecs_gitops_aws_requests_total\{service="ecs",operation="CreateService",code="OK"\} 3/,
    );

    const remote = harness.repo.remote;
    await waitFor(
      async () => {
        try {
          const tree = await readTree(remote, 'ecs-gitops/status');
          return (
            tree['status/summary.yaml']?.includes(`Synced: ${EXAMPLE_RESOURCES}`) === true &&
            tree['status/Service/web.yaml']?.includes('health: Healthy') === true
          );
        } catch {
          return false;
        }
      },
      10_000,
      100,
    );
    const tree = await readTree(remote, 'ecs-gitops/status');
    expect(Object.keys(tree).sort()).toEqual([
      'status/Cluster/batch.yaml',
      'status/Cluster/prod.yaml',
      'status/ScalingPolicy/web.yaml',
      'status/ScheduledTask/nightly-report.yaml',
      'status/Service/api.yaml',
      'status/Service/web.yaml',
      'status/Service/worker.yaml',
      'status/Task/web-migrate.yaml',
      'status/TaskDefinition/api.yaml',
      'status/TaskDefinition/nightly-report.yaml',
      'status/TaskDefinition/web-migrate.yaml',
      'status/TaskDefinition/web.yaml',
      'status/TaskDefinition/worker.yaml',
      'status/summary.yaml',
    ]);
    expect(tree['status/Service/web.yaml']).toContain('health: Healthy');
  });

  it('given a running controller, when an image change is committed, then the next poll applies it, the status branch records the revision, and a signed SyncSucceeded alert arrives', async () => {
    // Resync off: only the poll can pick the commit up. How fast is bench:commit's business.
    harness = await startHarness({ resync: '1h' });
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    h.emulator.resetCalls();
    const files = await exampleFiles();
    const web = files['manifests/web.yaml']!.replace('nginx/nginx:1.27', 'nginx/nginx:1.28');
    const sha = await h.repo.commit({ 'manifests/web.yaml': web }, 'web: nginx 1.28');

    await waitForStatus(h.app, (s) => s.overall.lastAppliedRevision === sha, 30_000);
    // web's PreSync migration runs once, before the update.
    expect(writeCalls(h.emulator.calls())).toMatchObject({
      'ecs:RegisterTaskDefinition': 1,
      'ecs:RunTask': 1,
      'ecs:UpdateService': 1,
    });
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    await waitFor(
      async () => {
        try {
          return (
            (await readTree(h.repo.remote, 'ecs-gitops/status'))['status/summary.yaml']?.includes(sha) ===
            true
          );
        } catch {
          return false;
        }
      },
      10_000,
      100,
    );

    await waitFor(() => alertsOf(h, 'SyncSucceeded').some((a) => a.raw.includes(sha)), 5000);
    const alert = alertsOf(h, 'SyncSucceeded').find((a) => a.raw.includes(sha))!;
    expect(alert.signature).toBe(signBody(alert.raw, WEBHOOK_SECRET));
    // A deploy is not drift: the Service follows its TaskDefinition's new content.
    expect(alertsOf(h, 'DriftDetected')).toEqual([]);
  });

  it('given an hourly poll, when a signed push webhook arrives, then the commit is applied without waiting for the poll; a bad signature triggers nothing', async () => {
    harness = await startHarness({ poll: '1h', resync: '1h' });
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    const files = await exampleFiles();
    const sha = await h.repo.commit(
      {
        'manifests/worker.yaml': files['manifests/worker.yaml']!.replace(
          'LOG_LEVEL, value: info',
          'LOG_LEVEL, value: debug',
        ),
      },
      'worker: debug logs',
    );
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    const bad = await fetch(`${h.app.url}/hooks/git`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': 'sha256=00',
      },
      body,
    });
    expect(bad.status).toBe(401);
    await new Promise((done) => setTimeout(done, 500));
    expect(h.app.store.snapshot().overall.lastAppliedRevision).not.toBe(sha);

    const gitCommands = await logGitCommands();
    gitCommands.install();
    const good = await fetch(`${h.app.url}/hooks/git`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': signGitHub(body, 'push-secret'),
      },
      body,
    });
    expect(good.status).toBeLessThan(300);
    // Poll and resync are an hour away: only the webhook can have applied it (latency: bench:commit).
    await waitForStatus(h.app, (s) => s.overall.lastAppliedRevision === sha, 30_000);
    // The push named its head: the pass fetched it without asking the remote for main's head first.
    const commands = await gitCommands.commands();
    await gitCommands.close();
    expect(commands.some((c) => c.startsWith('fetch '))).toBe(true);
    expect(commands.filter((c) => c.startsWith('ls-remote ') && c.endsWith('refs/heads/main'))).toEqual([]);
    // One log line per accepted push (the server logs it; the composition root only acts on it).
    expect(h.logs.filter((line) => line.msg === 'git push webhook')).toHaveLength(1);
  });

  it('given a commit with an image that cannot start, then the circuit breaker’s rollback is reported as Degraded with the stoppedReason and one RolloutFailed alert', async () => {
    harness = await startHarness();
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    const files = await exampleFiles();
    await h.repo.commit(
      {
        'manifests/web.yaml': files['manifests/web.yaml']!.replace('nginx/nginx:1.27', 'nginx/nginx:broken'),
      },
      'web: a broken image',
    );
    const degraded = await waitForStatus(
      h.app,
      (s) =>
        s.resources.some(
          (r) => r.key === 'Service/web' && r.health === 'Degraded' && (r.stoppedReasons?.length ?? 0) > 0,
        ),
      20_000,
    );
    const web = degraded.resources.find((r) => r.key === 'Service/web')!;
    expect(web.healthMessage).toMatch(/roll/i);
    expect(web.stoppedReasons?.[0]).toBeTruthy();
    await waitFor(() => alertsOf(h, 'RolloutFailed').length === 1, 10_000, 50);
    expect(alertsOf(h, 'RolloutFailed')[0]!.raw).toContain('Service/web');

    // No redeploy loop: the rolled-back content is not pushed again on later passes.
    const updates = () => h.emulator.calls()['ecs:UpdateService'] ?? 0;
    const before = updates();
    const passes = h.app.reconciler.passes;
    await waitFor(() => h.app.reconciler.passes >= passes + 3, 10_000, 50);
    expect(updates()).toBe(before);
    const failed = h.app.store.snapshot().resources.find((r) => r.key === 'Service/web')!;
    expect(failed.sync).toBe('Failed');
    expect(alertsOf(h, 'DriftDetected')).toEqual([]);

    // Committing a fix deploys it and the service recovers.
    await h.repo.commit(
      { 'manifests/web.yaml': files['manifests/web.yaml']!.replace('nginx/nginx:1.27', 'nginx/nginx:1.28') },
      'fix',
    );
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s), 20_000);
  });

  it('given desiredCount changed behind Git’s back, when resyncs run, then the service is Drifted with the field and DriftDetected is sent once; nothing is reverted under the default policy', async () => {
    harness = await startHarness();
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    await h.emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'batch-prod', service: 'worker', desiredCount: 3 }),
    );

    const drifted = await waitForStatus(h.app, (s) =>
      s.resources.some((r) => r.key === 'Service/worker' && r.sync === 'Drifted'),
    );
    const worker = drifted.resources.find((r) => r.key === 'Service/worker')!;
    expect(worker.diff).toEqual([expect.objectContaining({ path: 'desiredCount', desired: 1, live: 3 })]);
    expect(worker.conditions.find((c) => c.type === 'Drifted')?.status).toBe('True');

    const passes = h.app.reconciler.passes;
    await waitFor(() => h.app.reconciler.passes >= passes + 3, 10_000, 50);
    await h.app.stop();
    expect(alertsOf(h, 'DriftDetected')).toHaveLength(1);
    expect(alertsOf(h, 'DriftDetected')[0]!.raw).toContain('desiredCount');
    expect(await workerDesiredCount(h)).toBe(3);
    const metrics = await h.app.metrics.registry.metrics();
    expect(metrics).toMatch(/ecs_gitops_drifted_resources 1/);
  });

  it('given drift that happened while the controller was down, when it starts again, then the spec-hash tag tells it is drift (reported, not reverted)', async () => {
    harness = await startHarness();
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    await h.app.stop();
    await h.emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'batch-prod', service: 'worker', desiredCount: 3 }),
    );

    const restarted = await h.start();
    await waitForStatus(restarted, (s) =>
      s.resources.some((r) => r.key === 'Service/worker' && r.sync === 'Drifted'),
    );
    expect(await workerDesiredCount(h)).toBe(3);
  });

  it('given --drift heal, when desiredCount drifts, then it is reverted and DriftResolved is sent', async () => {
    harness = await startHarness({ drift: 'heal' });
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    await h.emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'batch-prod', service: 'worker', desiredCount: 3 }),
    );
    await waitFor(
      async () => (await workerDesiredCount(h)) === 1 && alertsOf(h, 'DriftResolved').length === 1,
      10_000,
      50,
    );
    expect(alertsOf(h, 'DriftDetected')).toHaveLength(1);
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
  });

  it('given a commit with broken YAML, then the revision is rejected with file:line, ECS is untouched, and the fix is applied', async () => {
    harness = await startHarness();
    const h = harness;
    const good = await h.repo.head();
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    h.emulator.resetCalls();
    const files = await exampleFiles();
    const broken = await h.repo.commit(
      {
        'manifests/worker.yaml': files['manifests/worker.yaml']!.replace(
          'desiredCount: 1',
          'desiredCount: [1',
        ),
      },
      'oops',
    );
    const rejected = await waitForStatus(h.app, (s) => s.overall.rejectedRevision?.revision === broken);
    expect(rejected.overall.rejectedRevision?.problems[0]).toMatch(/^manifests\/worker\.yaml:\d+:\d+: /);
    expect(rejected.overall.lastAppliedRevision).toBe(good);
    await waitFor(() => alertsOf(h, 'RevisionRejected').length === 1, 5000);
    // Resyncs go on against the last good revision, and nothing is written.
    const passes = h.app.reconciler.passes;
    await waitFor(() => h.app.reconciler.passes >= passes + 2, 10_000, 50);
    expect(writeCalls(h.emulator.calls())).toEqual({});
    expect(h.app.store.snapshot().resources).toHaveLength(EXAMPLE_RESOURCES);

    const fixed = await h.repo.commit(
      {
        'manifests/worker.yaml': files['manifests/worker.yaml']!.replace(
          'desiredCount: 1',
          'desiredCount: 2',
        ),
      },
      'fix',
    );
    await waitForStatus(h.app, (s) => s.overall.lastAppliedRevision === fixed && !s.overall.rejectedRevision);
    await waitFor(async () => (await workerDesiredCount(h)) === 2, 5000);
  });

  it('given the Git remote becomes unreachable, then the controller keeps running, /readyz reports the Source condition, and it recovers', async () => {
    harness = await startHarness();
    const h = harness;
    await waitForStatus(h.app, (s) => allSyncedAndHealthy(s));
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(200);
    const moved = `${h.repo.remote}.away`;
    await rename(h.repo.remote, moved);
    await waitFor(async () => (await fetch(`${h.app.url}/readyz`)).status === 503, 10_000, 100);
    const body = (await (await fetch(`${h.app.url}/readyz`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(body)).toMatch(/Source/);
    expect(h.app.store.snapshot().resources.every((r) => r.sync === 'Synced')).toBe(true);

    await rename(moved, h.repo.remote);
    const files = await exampleFiles();
    const sha = await h.repo.commit(
      {
        'manifests/worker.yaml': files['manifests/worker.yaml']!.replace(
          'LOG_LEVEL, value: info',
          'LOG_LEVEL, value: warn',
        ),
      },
      'after the outage',
    );
    await waitForStatus(h.app, (s) => s.overall.lastAppliedRevision === sha, 20_000);
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(200);
  });
});
