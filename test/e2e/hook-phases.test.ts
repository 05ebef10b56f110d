// End-to-end: PostSync and SyncFail hooks, and the hook ledger across restarts, with `run`'s
// controller against a real Git remote and the emulator (hook tasks exit with EMULATOR_EXIT_CODE).
import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitForStatus } from './harness.js';
import {
  hookTask,
  migration,
  morePasses,
  syncFailedAlerts,
  tasksOf,
  webImage,
  webWith,
} from './hook-support.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const smoke = (exitCode: string) => hookTask({ name: 'smoke', phase: 'PostSync', exitCode });
const cleanup = () => hookTask({ name: 'cleanup', phase: 'SyncFail', exitCode: '0', hookFor: null });

type Snapshot = Awaited<ReturnType<typeof waitForStatus>>;
const resource = (s: Snapshot, key: string) => s.resources.find((r) => r.key === key);
const allSynced = (s: Snapshot) => s.resources.every((r) => r.sync === 'Synced');
const lastRun = (s: Snapshot, key: string) => resource(s, key)?.hookRuns?.[0];

async function fleetReady(h: Harness): Promise<void> {
  await waitForStatus(h.app, (s) => s.resources.length === h.fleetResources && allSynced(s));
}

/** When web's newest deployment completed (its "deployment completed" service event). */
async function webCompletedAt(h: Harness): Promise<number> {
  const service = (
    await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))
  ).services![0]!;
  const primary = service.deployments!.find((d) => d.status === 'PRIMARY')!;
  const event = service.events!.find(
    (e) => e.message?.includes(primary.id!) && e.message.includes('deployment completed'),
  );
  return event!.createdAt!.getTime();
}

async function ledgerTags(h: Harness): Promise<Record<string, string>> {
  const out = await h.emulator.ecs.send(
    new DescribeClustersCommand({ clusters: ['ecs-gitops-hooks-ecs-gitops'], include: ['TAGS'] }),
  );
  return Object.fromEntries((out.clusters?.[0]?.tags ?? []).map((t) => [t.key!, t.value!]));
}

describe('PostSync and SyncFail hooks, end to end', () => {
  it('runs PostSync once web is Healthy; a failed PostSync or PreSync is told once and runs the SyncFail hooks once', async () => {
    harness = await startHarness({}, { omit: ['web-migrate.yaml'] });
    const h = harness;
    await fleetReady(h);

    // 1. A deploy of web with a PostSync smoke test: it runs after the rollout completed, once.
    await h.repo.commit(
      {
        'manifests/smoke.yaml': smoke('0'),
        'manifests/cleanup.yaml': cleanup(),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28 with a smoke test',
    );
    const first = await waitForStatus(h.app, (s) => lastRun(s, 'Task/smoke')?.state === 'Succeeded', 30_000);
    expect(resource(first, 'Task/smoke')?.hookRuns?.[0]).toMatchObject({
      phase: 'PostSync',
      state: 'Succeeded',
      exitCodes: { smoke: 0 },
    });
    const [smokeRun] = await tasksOf(h, 'smoke');
    expect(smokeRun!.createdAt!.getTime()).toBeGreaterThanOrEqual(await webCompletedAt(h));
    expect(await tasksOf(h, 'cleanup')).toHaveLength(0);
    // Steady resyncs start nothing more.
    await morePasses(h);
    expect(await tasksOf(h, 'smoke')).toHaveLength(1);

    // 2. The next smoke test exits 3: web stays deployed (PostSync undoes nothing), one alert, cleanup runs once.
    await h.repo.commit(
      {
        'manifests/smoke.yaml': smoke('3'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.29'),
      },
      'web 1.29, the smoke test fails',
    );
    const failed = await waitForStatus(
      h.app,
      (s) =>
        resource(s, 'Task/smoke')?.sync === 'Failed' && resource(s, 'Task/cleanup')?.health === 'Healthy',
      30_000,
    );
    expect(resource(failed, 'Task/smoke')?.healthMessage).toMatch(/container smoke exited 3/);
    expect(resource(failed, 'Task/cleanup')?.hookRuns?.[0]).toMatchObject({
      phase: 'SyncFail',
      state: 'Succeeded',
    });
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.29');
    await morePasses(h);
    const smokeAlerts = syncFailedAlerts(h).filter((a) => a.resource === 'Task/smoke');
    expect(smokeAlerts).toHaveLength(1);
    expect(smokeAlerts[0]?.message).toMatch(/PostSync hook Task\/smoke failed: .*exited 3/);
    expect(smokeAlerts[0]?.message).not.toMatch(/not updated/);
    expect(await tasksOf(h, 'cleanup')).toHaveLength(1);
    expect(await tasksOf(h, 'smoke')).toHaveLength(2);

    // 3. A PreSync migration exits 1: web is not updated, the SyncFail hook runs once for this revision, PostSync never.
    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('1'),
        'manifests/smoke.yaml': smoke('0'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.30'),
      },
      'web 1.30, the migration fails',
    );
    await waitForStatus(
      h.app,
      (s) =>
        resource(s, 'Task/migrate')?.sync === 'Failed' && resource(s, 'Task/cleanup')?.hookRuns?.length === 2,
      30_000,
    );
    await waitForStatus(
      h.app,
      (s) => resource(s, 'Task/cleanup')?.hookRuns?.[0]?.state === 'Succeeded',
      30_000,
    );
    await morePasses(h);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.29');
    expect(await tasksOf(h, 'cleanup')).toHaveLength(2);
    expect(await tasksOf(h, 'smoke')).toHaveLength(2);
    expect(syncFailedAlerts(h).filter((a) => a.resource === 'Task/migrate')).toHaveLength(1);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PostSync",result="succeeded"} 1');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PostSync",result="failed"} 1');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="SyncFail",result="succeeded"} 2');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="failed"} 1');
  }, 150_000);
});

describe('the hook ledger across restarts', () => {
  it('runs a PostSync hook a deploy made due before the restart, once', async () => {
    harness = await startHarness({}, { omit: ['web-migrate.yaml'] });
    const h = harness;
    await fleetReady(h);

    const sha = await h.repo.commit(
      {
        'manifests/smoke.yaml': smoke('0'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28 with a smoke test',
    );
    // Stop right after the pass that updated web: its rollout has not completed, the smoke test is due.
    await new Promise<void>((done) => {
      const off = h.app.reconciler.onPass((s) => {
        if (resource(s, 'Service/web')?.lastAppliedRevision !== sha) return;
        off();
        void h.app.stop().then(done);
      });
    });
    expect(await tasksOf(h, 'smoke')).toHaveLength(0);
    expect(Object.values(await ledgerTags(h)).some((value) => /^v1 PostSync Armed 0 /.test(value))).toBe(
      true,
    );

    await h.start();
    const after = await waitForStatus(h.app, (s) => lastRun(s, 'Task/smoke')?.state === 'Succeeded', 30_000);
    expect(resource(after, 'Task/smoke')?.hookRuns?.[0]).toMatchObject({ phase: 'PostSync', revision: sha });
    const [smokeRun] = await tasksOf(h, 'smoke');
    expect(smokeRun!.createdAt!.getTime()).toBeGreaterThanOrEqual(await webCompletedAt(h));

    // Another restart once it ran: the ledger says it succeeded, nothing runs again.
    await h.app.stop();
    await h.start();
    const again = await waitForStatus(h.app, (s) => lastRun(s, 'Task/smoke')?.state === 'Succeeded', 30_000);
    expect(resource(again, 'Task/smoke')?.hookRuns).toHaveLength(1);
    await morePasses(h);
    expect(await tasksOf(h, 'smoke')).toHaveLength(1);
  }, 120_000);

  it('remembers a failed PreSync hook after ECS forgot its clientToken: no second run, no second alert', async () => {
    harness = await startHarness({}, { omit: ['web-migrate.yaml'] });
    const h = harness;
    await fleetReady(h);

    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('1'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28, the migration fails',
    );
    await waitForStatus(h.app, (s) => resource(s, 'Task/migrate')?.sync === 'Failed', 30_000);
    expect(syncFailedAlerts(h).filter((a) => a.resource === 'Task/migrate')).toHaveLength(1);
    await h.app.stop();

    // A day and an hour later ECS has forgotten the RunTask clientToken (it keeps one 24 hours) and
    // the stopped task (it shows one about an hour).
    h.emulator.advance(25 * 3600);
    expect(await tasksOf(h, 'migrate')).toHaveLength(0);
    h.emulator.resetCalls();
    await h.start();
    const after = await waitForStatus(h.app, (s) => resource(s, 'Task/migrate')?.sync === 'Failed', 30_000);
    expect(resource(after, 'Task/migrate')?.healthMessage).toMatch(/exited 1/);
    expect(resource(after, 'Service/web')?.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'hook-failed',
    });
    await morePasses(h);
    expect(await tasksOf(h, 'migrate')).toHaveLength(0);
    expect(h.emulator.calls()['ecs:RunTask'] ?? 0).toBe(0);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.27');
    expect(syncFailedAlerts(h).filter((a) => a.resource === 'Task/migrate')).toHaveLength(1);
  }, 120_000);
});
