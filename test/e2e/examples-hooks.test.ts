// The default fleet's migration and nightly job (manifests/examples, what `npm start` runs): from an
// empty account Task/web-migrate runs before Service/web is created (its ScalingPolicy waits with
// it), exits 0, and then every resource is Synced and Healthy, the nightly schedule included; a
// resync runs nothing again, and a commit that changes web runs the migration once more, first.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from '../helpers/example-fleet.js';
import { allSyncedAndHealthy, type Harness, startHarness, waitForStatus } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function migrations(h: Harness) {
  const arns =
    (
      await h.emulator.ecs.send(
        new ListTasksCommand({ cluster: 'prod', family: 'web-migrate', desiredStatus: 'STOPPED' }),
      )
    ).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await h.emulator.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? [];
}

describe('manifests/examples: the migration hook and the nightly job', () => {
  it('given an empty account, when the fleet deploys, then the migration exits 0 before web exists, every resource converges, and only a web change runs it again', async () => {
    harness = await startHarness();
    const h = harness;
    const snapshot = await waitForStatus(h.app, (s) => allSyncedAndHealthy(s), 30_000);

    const migrate = snapshot.resources.find((r) => r.key === 'Task/web-migrate');
    expect(migrate?.hookRuns?.[0]).toMatchObject({
      phase: 'PreSync',
      state: 'Succeeded',
      exitCodes: { migrate: 0 },
    });
    const [run] = await migrations(h);
    const web = (
      await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))
    ).services?.[0];
    expect(run?.containers?.[0]?.exitCode).toBe(0);
    expect(run?.stoppedAt?.getTime()).toBeLessThanOrEqual(web?.createdAt?.getTime() ?? 0);
    // The log tells the story in order: the migration starts and succeeds, then web is created.
    const messages = h.logs.map((line) => String(line.msg));
    const started = messages.findIndex((m) => m.startsWith('Task/web-migrate PreSync hook started'));
    const succeeded = messages.findIndex((m) => m.startsWith('Task/web-migrate PreSync hook succeeded'));
    const created = messages.findIndex((m) => m.startsWith('created service web on'));
    expect(started).toBeGreaterThanOrEqual(0);
    expect(succeeded).toBeGreaterThan(started);
    expect(created).toBeGreaterThan(succeeded);
    expect(h.receiver.received.filter((alert) => alert.body.includes('SyncFailed'))).toEqual([]);

    const nightly = snapshot.resources.find((r) => r.key === 'ScheduledTask/nightly-report');
    expect(nightly?.healthMessage).toBe('ENABLED: cron(0 3 * * ? *) (Europe/Berlin)');

    // Resyncs run nothing again.
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 2, 15_000);
    expect(await migrations(h)).toHaveLength(1);

    // A commit that changes web's image runs the migration again, before the update.
    const text = await readFile(join(EXAMPLES_DIR, 'web.yaml'), 'utf8');
    const revision = await h.repo.commit(
      { 'manifests/web.yaml': text.replace('nginx/nginx:1.27', 'nginx/nginx:1.28') },
      'web: nginx 1.28',
    );
    await waitForStatus(
      h.app,
      (s) =>
        allSyncedAndHealthy(s) &&
        s.resources.find((r) => r.key === 'Task/web-migrate')?.hookRuns?.[0]?.revision === revision &&
        s.resources.find((r) => r.key === 'Service/web')?.lastAppliedRevision === revision,
      30_000,
    );
    expect(await migrations(h)).toHaveLength(2);
  });
});
