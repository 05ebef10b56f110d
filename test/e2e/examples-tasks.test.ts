// The bundled hook example (manifests/examples-tasks, `npm start -- --dir manifests/examples-tasks`):
// from an empty account the migration runs before the web service is created, exits 0, and then
// every resource is Synced and Healthy, the nightly report's schedule included; a resync runs nothing again.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitForStatus } from './harness.js';

const DIR = join(import.meta.dirname, '..', '..', 'manifests', 'examples-tasks');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('manifests/examples-tasks', () => {
  it('runs the PreSync migration before creating the service, then everything is Synced and Healthy', async () => {
    harness = await startHarness({ dir: 'tasks' });
    const files: Record<string, string> = {};
    for (const name of await readdir(DIR)) files[`tasks/${name}`] = await readFile(join(DIR, name), 'utf8');
    await harness.repo.commit(files, 'the shop with its migration hook');
    const snapshot = await waitForStatus(
      harness.app,
      (s) =>
        s.resources.length === 7 && s.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy'),
      30_000,
    );
    const migrate = snapshot.resources.find((r) => r.key === 'Task/shop-migrate');
    expect(migrate?.hookRuns?.[0]).toMatchObject({
      phase: 'PreSync',
      state: 'Succeeded',
      exitCodes: { migrate: 0 },
    });
    const nightly = snapshot.resources.find((r) => r.key === 'ScheduledTask/shop-nightly-report');
    expect(nightly?.healthMessage).toBe('ENABLED: cron(0 3 * * ? *) (Europe/Berlin)');
    const passes = harness.app.reconciler.passes;
    await waitForStatus(harness.app, () => harness!.app.reconciler.passes >= passes + 2, 15_000);
    const stopped = await harness.emulator.ecs.send(
      new ListTasksCommand({ cluster: 'shop', family: 'shop-migrate', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toHaveLength(1);
  });
});
