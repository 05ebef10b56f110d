// Deployment gates with several targets: two targets (us-east-1 and eu-west-1) run the same CANARY
// service with `ecs-gitops/approval: manual`. The unqualified gate route refuses to guess (409
// Ambiguous); /api/targets/<target>/resources/Service/checkout/promote answers only that target's
// gate and records who in that target's status; `ecs-gitops promote --server … --target a` too.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../controller/config.js';
import { startTargets, type TargetsApp } from '../../controller/targets/start-targets.js';
import { parseTargets } from '../../controller/targets/targets-file.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { runFlags, waitForStatus } from './harness.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'manifests', 'examples-progressive');
const TARGETS = `- {name: a, dir: envs/a, region: us-east-1}
- {name: b, dir: envs/b, region: eu-west-1}
`;

let emulator: TestEmulator;
let app: TargetsApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  const tmp = await tempDir('ecs-gitops-e2e-target-gates-');
  emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
  const repo = await createRepo(tmp.path);
  const files: Record<string, string> = {};
  for (const name of ['cluster.yaml', 'checkout.yaml']) {
    const text = await readFile(join(EXAMPLE, name), 'utf8');
    files[`envs/a/${name}`] = text;
    files[`envs/b/${name}`] = text;
  }
  await repo.commit(files, 'the same canary in two targets');
  const { logger } = captureLogger('info');
  const config = resolveConfig(runFlags(repo.remote, tmp.path, emulator.url), {});
  app = await startTargets(config, parseTargets('targets.yaml', Buffer.from(TARGETS)), {
    logger,
    cwd: tmp.path,
    progressPollMs: 300,
  });
  cleanup = async () => {
    await app.stop();
    await emulator.close();
    await tmp.cleanup();
  };
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

const checkout = (target: string) =>
  app.targets
    .get(target)
    ?.store.snapshot()
    .resources.find((r) => r.key === 'Service/checkout');

async function waitingAt(target: string) {
  await waitForStatus(
    app.targets.get(target)!,
    () => checkout(target)?.serviceDeployment?.awaitingApproval === true,
    60_000,
  );
  return checkout(target)!.serviceDeployment!.waitingFor!.hookId;
}

function post(path: string, by: string) {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ by }),
  });
}

describe('gates with two targets', () => {
  it('answer only the named target, refuse to guess, and record who in that target', async () => {
    // given both targets' canaries waiting at their first gate
    const hookA = await waitingAt('a');
    const hookB = await waitingAt('b');

    // when promoted without naming a target, then nothing is answered: 409 naming both
    const ambiguous = await post('/api/resources/Service/checkout/promote', 'mallory');
    expect(ambiguous.status).toBe(409);
    expect(await ambiguous.json()).toMatchObject({ error: 'Ambiguous', targets: ['a', 'b'] });
    expect((await post('/api/targets/c/resources/Service/checkout/promote', 'x')).status).toBe(404);

    // when promoted in target b
    const promoted = await post('/api/targets/b/resources/Service/checkout/promote', 'bob');
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ by: 'bob', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' });
    // then b moves on and records bob; a still waits at the same gate, unanswered
    await waitForStatus(
      app.targets.get('b')!,
      () => checkout('b')?.serviceDeployment?.waitingFor?.hookId !== hookB,
      30_000,
    );
    expect(checkout('b')?.approvals).toEqual([
      expect.objectContaining({ action: 'promote', by: 'bob', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' }),
    ]);
    expect(checkout('a')?.serviceDeployment?.waitingFor?.hookId).toBe(hookA);
    expect(checkout('a')?.approvals).toBeUndefined();

    // when the CLI promotes target a through the controller
    const cli = await runCliCaptured([
      'promote',
      'Service/checkout',
      '--server',
      app.url,
      '--target',
      'a',
      '--by',
      'carol',
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^promoted Service\/checkout in target a: /);
    expect(checkout('a')?.approvals).toEqual([expect.objectContaining({ action: 'promote', by: 'carol' })]);
    expect(checkout('b')?.approvals).toHaveLength(1);
  }, 180_000);
});
