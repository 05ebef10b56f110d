// Two whole controllers (startController) with the same instance name against one emulator and one
// Git repository: while A holds the lease, B reads and reports the pending changes but never writes;
// once A stops, B takes over and deploys the next commit. A progressive deployment waiting at its
// gate is answered only by A: B's gate API (and so its dashboard) refuses with 503 Standby naming A.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServiceDeploymentsCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerApp, startController } from '../../controller/app.js';
import { resolveConfig } from '../../controller/config.js';
import { type LeaseKeeper, startLeaseKeeper } from '../../controller/lease/keeper.js';
import type { Logger } from '../../controller/log.js';
import { launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { createRepo, type TestRepo, tempDir, waitFor } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'manifests', 'examples');
const PROGRESSIVE = join(import.meta.dirname, '..', '..', 'manifests', 'examples-progressive');
const WRITE = /:(Create|Register|Deregister|Update|Delete|Put|Run|Tag|Untag)/;

interface Fixture {
  readonly emulator: TestEmulator;
  readonly repo: TestRepo;
  readonly dir: string;
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function fixture(examples = EXAMPLES): Promise<Fixture> {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  const tmp = await tempDir('ecs-gitops-lease-');
  const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
  cleanup.push(
    () => tmp.cleanup(),
    () => emulator.close(),
  );
  const repo = await createRepo(tmp.path);
  const files: Record<string, string> = {};
  for (const name of await readdir(examples))
    files[`manifests/${name}`] = await readFile(join(examples, name), 'utf8');
  await repo.commit(files, 'example fleet');
  return { emulator, repo, dir: tmp.path };
}

function keeper(name: string, f: Fixture, logger: Logger): LeaseKeeper {
  const k = startLeaseKeeper({
    clients: { ecs: f.emulator.clients().ecs },
    instance: 'ecs-gitops',
    holderId: name,
    // Far longer than a loaded CI machine can stall the renewals (every 300 ms): A releases on a
    // graceful stop, so B never waits for it to expire.
    ttlMs: 15_000,
    settleMs: 20,
    clockSkewMs: 100,
    renewEveryMs: 300,
    logger,
  });
  cleanup.push(async () => k.stop());
  return k;
}

async function controller(
  name: string,
  f: Fixture,
  lease: LeaseKeeper,
  logger: Logger,
): Promise<ControllerApp> {
  const config = resolveConfig(
    {
      repo: f.repo.remote,
      branch: 'main',
      dir: 'manifests',
      poll: '300ms',
      resync: '500ms',
      listen: '127.0.0.1:0',
      cacheDir: join(f.dir, `cache-${name}`),
      endpointUrl: f.emulator.url,
      region: 'us-east-1',
      statusWrite: false,
      preflight: false,
    },
    {},
  );
  const app = await startController(config, { logger, cwd: f.dir, lease, progressPollMs: 300 });
  cleanup.push(() => app.stop());
  return app;
}

function writes(app: ControllerApp): Record<string, number> {
  return Object.fromEntries(
    Object.entries(app.clients.counter.snapshot()).filter(([key]) => WRITE.test(key)),
  );
}

function allSynced(app: ControllerApp): boolean {
  const resources = app.store.snapshot().resources;
  return (
    resources.length === EXAMPLE_RESOURCES &&
    resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy')
  );
}

describe('two controllers with one instance name', () => {
  it('given A holds the lease, when B sees the whole fleet missing, then B writes nothing until A stops, then B deploys', async () => {
    const f = await fixture();
    const a = captureLogger('info');
    const b = captureLogger('info');
    const leaseA = keeper('task-a', f, a.logger);
    await waitFor(() => leaseA.lease.isHeld(), 5000);

    // B starts first: all the example resources are to be created, and B is the only controller running.
    const leaseB = keeper('task-b', f, b.logger);
    const appB = await controller('task-b', f, leaseB, b.logger);
    await waitFor(
      () =>
        appB.store.snapshot().resources.length === EXAMPLE_RESOURCES &&
        (appB.clients.counter.snapshot()['ecs:DescribeClusters'] ?? 0) >= 3,
      10_000,
    );
    expect(writes(appB)).toEqual({});
    expect((await f.emulator.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      expect.stringMatching(/cluster\/ecs-gitops-lease-ecs-gitops$/),
    ]);
    // Every resource waits to be created; web's migration (a Task: nothing to create) has not run.
    const seen = appB.store.snapshot().resources;
    expect(seen.filter((r) => !r.key.startsWith('Task/')).every((r) => r.sync === 'OutOfSync')).toBe(true);
    expect(seen.find((r) => r.key === 'Task/web-migrate')?.hookRuns ?? []).toEqual([]);
    expect(b.lines.some((l) => String(l.msg).startsWith('standby'))).toBe(true);

    // A (the lease holder) starts and converges the fleet; B still writes nothing.
    const appA = await controller('task-a', f, leaseA, a.logger);
    await waitFor(() => allSynced(appA), 60_000);
    expect(writes(appA)['ecs:CreateService']).toBe(3);
    expect(writes(appB)).toEqual({});

    // A stops gracefully and releases the lease; B becomes active and deploys the next commit.
    await appA.stop();
    await waitFor(() => leaseB.lease.isHeld(), 15_000);
    const web = await readFile(join(f.repo.work, 'manifests', 'web.yaml'), 'utf8');
    await f.repo.commit(
      { 'manifests/web.yaml': web.replace('nginx/nginx:1.27', 'nginx/nginx:1.28') },
      'nginx 1.28',
    );

    await waitFor(() => (writes(appB)['ecs:RegisterTaskDefinition'] ?? 0) >= 1, 30_000);
    await waitFor(() => allSynced(appB), 60_000);
    expect(writes(appB)['ecs:CreateService'] ?? 0).toBe(0);
    expect(b.lines.some((l) => String(l.msg).startsWith('write lease acquired'))).toBe(true);
  }, 240_000);
});

describe('two controllers and a deployment gate', () => {
  it('given A holds the lease and a canary waits at its gate, when B is asked to promote, then B refuses naming A and ECS still waits; A promotes', async () => {
    const f = await fixture(PROGRESSIVE);
    const a = captureLogger('info');
    const b = captureLogger('info');
    const leaseA = keeper('task-a', f, a.logger);
    await waitFor(() => leaseA.lease.isHeld(), 5000);
    const appA = await controller('task-a', f, leaseA, a.logger);
    const appB = await controller('task-b', f, keeper('task-b', f, b.logger), b.logger);
    const checkout = (app: ControllerApp) =>
      app.store.snapshot().resources.find((r) => r.key === 'Service/checkout');
    // the first deployment of the new service waits at its gate; B, reading ECS, sees it too
    await waitFor(() => checkout(appB)?.serviceDeployment?.awaitingApproval === true, 60_000);
    const arn = checkout(appB)!.serviceDeployment!.arn;

    // when B's gate API is asked to promote
    const promote = (app: ControllerApp) =>
      fetch(`${app.url}/api/resources/Service/checkout/promote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"by":"alice"}',
      });
    const refused = await promote(appB);
    // then it refuses, naming the holder, and nothing was sent to ECS
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({
      error: 'Standby',
      message:
        'this controller is a standby: task-a holds the write lease and answers gates; ask it (or retry once it hands over)',
      holder: { id: 'task-a', expiresAt: expect.any(String) },
    });
    expect(writes(appB)).toEqual({});
    expect(checkout(appB)?.approvals).toBeUndefined();

    // and B's dashboard shows that answer where the gate's answers go
    const browser = await launchBrowser();
    if (browser) {
      try {
        const page = await browser.newPage();
        await page.goto(`${appB.url}/#/Service/checkout`);
        await page.getByTestId('promote').click();
        await page.getByText(/^this controller is a standby: task-a holds the write lease/).waitFor();
      } finally {
        await browser.close();
      }
      expect(writes(appB)).toEqual({});
    } else console.warn(`dashboard part skipped: ${SKIP_REASON}`);
    const [deployment] =
      (await f.emulator.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
        .serviceDeployments ?? [];
    expect(deployment?.status).toBe('IN_PROGRESS');
    expect(deployment?.lifecycleStage).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT');

    // when A (the holder) is asked, then it promotes
    const answered = await promote(appA);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ ok: true, serviceDeploymentArn: arn, by: 'alice' });
  }, 240_000);
});
