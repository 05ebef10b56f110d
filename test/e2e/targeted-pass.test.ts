// Targeted passes: a one-file commit in a 200-service repository costs a fixed handful of reads (the
// changed service, its cluster, its task definition), not a read of the whole estate; the periodic
// resync stays a full read.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllerApp, startController } from '../../controller/app.js';
import { createAwsClients } from '../../controller/aws/clients.js';
import { resolveConfig } from '../../controller/config.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, type TestRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { applyPass, serviceFleet } from '../helpers/service-fleet.js';
import { desiredFrom } from '../live/support.js';

const SERVICES = 200;
const READ = /:(Describe|List)/;

let emulator: TestEmulator;
let repo: TestRepo;
let app: ControllerApp;
let tmp: Awaited<ReturnType<typeof tempDir>>;

function reads(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([op]) => READ.test(op))
    .reduce((sum, [, n]) => sum + n, 0);
}

async function until<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 20));
  }
}

beforeAll(async () => {
  // given 200 in-sync services, each in its own file, applied by the controller's own pipeline
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  tmp = await tempDir('ecs-gitops-targeted-');
  emulator = await startTestEmulator({ clock: { mode: 'manual' } });
  repo = await createRepo(tmp.path);
  const files = serviceFleet(SERVICES);
  const sha = await repo.commit(files, 'fleet');
  const clients = createAwsClients(
    { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 3 },
    undefined,
    { rateLimiter: false },
  );
  const seeded = await applyPass(clients, desiredFrom(files, sha), {
    instance: 'ecs-gitops',
    concurrency: 16,
  });
  clients.destroy();
  expect(seeded.entries.filter((e) => e.outcome === 'failed')).toEqual([]);
  emulator.advance(600);
  const config = resolveConfig(
    {
      repo: repo.remote,
      branch: 'main',
      poll: '10m',
      resync: '10m',
      listen: '127.0.0.1:0',
      cacheDir: join(tmp.path, 'cache'),
      endpointUrl: emulator.url,
      region: 'us-east-1',
      statusWrite: false,
    },
    {},
  );
  app = await startController(config, {
    logger: captureLogger('warn').logger,
    cwd: tmp.path,
    progressPollMs: 60_000,
  });
  await until(() => (app.reconciler.passes > 0 ? true : undefined));
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await emulator?.close();
  await tmp?.cleanup();
});

describe('targeted passes', () => {
  it('a one-file commit reads only what it changed, a handful of calls whatever the estate size', async () => {
    // given the first (full) pass found everything in sync
    expect(app.store.snapshot().resources.filter((r) => r.sync !== 'Synced')).toEqual([]);
    emulator.resetCalls();

    // when one service's image changes in one commit and the controller hears of it
    const file = serviceFleet(SERVICES)['svc-42.yaml'] ?? '';
    await repo.commit({ 'svc-42.yaml': file.replace('nginx:1.27', 'nginx:1.28') }, 'deploy svc-42');
    const passes = app.reconciler.passes;
    app.reconciler.requestSync('push refs/heads/main');
    await until(() => (app.reconciler.passes > passes ? true : undefined));

    // then the service was updated after at most 6 reads (cluster, its 10-service batch, its
    // running and latest revisions) — a full read of 200 services takes over 20 DescribeServices alone
    const calls = emulator.calls();
    expect(calls['ecs:UpdateService']).toBe(1);
    expect(calls['ecs:RegisterTaskDefinition']).toBe(1);
    expect(reads(calls)).toBeLessThanOrEqual(6);
    expect(calls['ecs:DescribeServices']).toBe(1);
    // and the other 199 services keep their status from the last full pass
    expect(app.store.snapshot().resources).toHaveLength(2 * SERVICES + 1);
  });

  it('the periodic resync is still a full read', async () => {
    // when a resync pass runs
    emulator.resetCalls();
    const passes = app.reconciler.passes;
    app.reconciler.requestSync('resync', { fetch: false });
    await until(() => (app.reconciler.passes > passes ? true : undefined));

    // then every service is described again (10 per call)
    expect(emulator.calls()['ecs:DescribeServices']).toBe(SERVICES / 10);
  });
});
