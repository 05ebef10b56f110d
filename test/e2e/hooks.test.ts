// End-to-end: a PreSync migration hook guarding the web service, with `run`'s controller against a
// real Git remote and the emulator (its tasks exit with the code EMULATOR_EXIT_CODE names).
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitForStatus } from './harness.js';
import { migration, morePasses, syncFailedAlerts, tasksOf, webImage, webWith } from './hook-support.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('PreSync hook Tasks, end to end', () => {
  it('runs the migration before the service update, blocks the update when it exits 1 (one alert), and never runs it twice across a restart', async () => {
    harness = await startHarness({}, { omit: ['web-migrate.yaml'] });
    const h = harness;
    await waitForStatus(
      h.app,
      (s) => s.resources.length === h.fleetResources && s.resources.every((r) => r.sync === 'Synced'),
    );

    // 1. A commit changes the image and brings the migration: the task runs first, exits 0, then web updates.
    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('0'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28 with its migration',
    );
    const first = await waitForStatus(
      h.app,
      (s) =>
        s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Healthy' &&
        s.resources.find((r) => r.key === 'Service/web')?.sync === 'Synced',
      30_000,
    );
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.28');
    const runs = first.resources.find((r) => r.key === 'Task/migrate')?.hookRuns ?? [];
    expect(runs[0]).toMatchObject({ phase: 'PreSync', state: 'Succeeded', exitCodes: { migrate: 0 } });
    const [task] = await tasksOf(h, 'migrate');
    const service = (
      await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))
    ).services![0]!;
    const primary = service.deployments!.find((d) => d.status === 'PRIMARY')!;
    // The guarded update was made only after every essential container had exited.
    expect(primary.createdAt!.getTime()).toBeGreaterThanOrEqual(task!.executionStoppedAt!.getTime());
    expect(await tasksOf(h, 'migrate')).toHaveLength(1);

    // 2. The next migration exits 1: web is not updated, Failed with the exit code and the log stream, one alert.
    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('1'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.29'),
      },
      'web 1.29, migration fails',
    );
    const failed = await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.sync === 'Failed',
      30_000,
    );
    const failedTask = failed.resources.find((r) => r.key === 'Task/migrate')!;
    expect(failedTask.health).toBe('Degraded');
    expect(failedTask.healthMessage).toMatch(/container migrate exited 1/);
    expect(failedTask.healthMessage).toMatch(/Essential container in task exited/);
    expect(failedTask.healthMessage).toMatch(/logs: \/ecs\/migrate:migrate\/migrate\/[0-9a-f]{32}/);
    const web = failed.resources.find((r) => r.key === 'Service/web')!;
    expect(web.sync).toBe('OutOfSync');
    expect(web.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'hook-failed',
    });
    // Several resync passes later: still 1.28, still one alert, still no second run.
    await morePasses(h);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.28');
    const alerts = syncFailedAlerts(h).filter((a) => a.resource === 'Task/migrate');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toMatch(
      /PreSync hook Task\/migrate failed: .*exited 1.*Service\/web not updated/,
    );
    expect(await tasksOf(h, 'migrate')).toHaveLength(2);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="failed"} 1');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="succeeded"} 1');

    // 3. A restart while the next migration runs does not start it twice.
    await h.repo.commit({ 'manifests/migrate.yaml': migration('0', '120') }, 'slow migration that succeeds');
    await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Progressing',
      30_000,
    );
    expect(await tasksOf(h, 'migrate')).toHaveLength(3);
    await h.app.stop();
    await h.start();
    await waitForStatus(
      h.app,
      (s) =>
        s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Healthy' &&
        s.resources.find((r) => r.key === 'Service/web')?.sync === 'Synced',
      30_000,
    );
    expect(await tasksOf(h, 'migrate')).toHaveLength(3);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.29');
  }, 120_000);
});
