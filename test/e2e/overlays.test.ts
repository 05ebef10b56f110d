import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerApp, startController } from '../../controller/app.js';
import { resolveConfig } from '../../controller/config.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { createPrerequisites } from '../preflight/prerequisites.js';
import { allSyncedAndHealthy, exampleEnvFiles, waitForStatus } from './harness.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function webImage(emulator: TestEmulator): Promise<string | undefined> {
  const services = await emulator.ecs.send(
    new DescribeServicesCommand({ cluster: 'prod-apps', services: ['prod-web'] }),
  );
  const arn = services.services?.[0]?.taskDefinition;
  if (!arn) return undefined;
  const td = await emulator.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return td.taskDefinition?.containerDefinitions?.[0]?.image;
}

describe('run with an overlay folder', () => {
  it('deploys the rendered prod environment, promotes an image by a one-line commit, rejects a broken overlay', {
    timeout: 180_000,
  }, async () => {
    // given the example repository (base + staging + prod) and a controller watching envs/prod
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const tmp = await tempDir('ecs-gitops-e2e-overlay-');
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    // the example's execution role, so its preflight (IAM GetRole) passes
    await createPrerequisites(emulator.url, { roles: [{ name: 'ecsTaskExecutionRole' }] });
    const repo = await createRepo(tmp.path);
    const files = await exampleEnvFiles();
    await repo.commit(files, 'environments');
    const { logger } = captureLogger('info');
    const config = resolveConfig(
      {
        repo: repo.remote,
        branch: 'main',
        dir: 'envs/prod',
        poll: '300ms',
        resync: '1s',
        listen: '127.0.0.1:0',
        cacheDir: join(tmp.path, 'cache'),
        endpointUrl: emulator.url,
        region: 'us-east-1',
        statusWrite: false,
      },
      {},
    );
    const app: ControllerApp = await startController(config, { logger, cwd: tmp.path, progressPollMs: 300 });
    cleanup = async () => {
      await app.stop();
      await emulator.close();
      await tmp.cleanup();
    };

    // when it starts, then the rendered prod resources run
    await waitForStatus(app, (s) => allSyncedAndHealthy(s, 3), 30_000);
    expect(
      app.store
        .snapshot()
        .resources.map((r) => r.key)
        .sort(),
    ).toEqual(['Cluster/prod-apps', 'Service/prod-web', 'TaskDefinition/prod-web']);
    expect(await webImage(emulator)).toBe('public.ecr.aws/nginx/nginx:1.27');

    // when prod's overlay gets staging's tag in one line
    const overlayPath = 'envs/prod/ecs-gitops.yaml';
    const overlay = files[overlayPath] ?? '';
    const promoted = overlay.replace('newTag: "1.27"', 'newTag: "1.28"');
    expect(promoted.split('\n').filter((line, index) => line !== overlay.split('\n')[index])).toHaveLength(1);
    const sha = await repo.commit({ [overlayPath]: promoted }, 'prod: nginx 1.28');

    // then prod runs it
    await waitForStatus(
      app,
      (s) => s.overall.lastAppliedRevision === sha && allSyncedAndHealthy(s, 3),
      30_000,
    );
    expect(await webImage(emulator)).toBe('public.ecr.aws/nginx/nginx:1.28');

    // when a commit breaks the overlay (a patch target that does not exist)
    const broken = promoted.replace(
      'target: {kind: Service, name: web}\n      merge',
      'target: {kind: Service, name: webb}\n      merge',
    );
    const bad = await repo.commit({ [overlayPath]: broken }, 'typo');

    // then the revision is rejected with the overlay's file:line, and 1.28 keeps running
    const line = broken.split('\n').findIndex((text) => text.includes('name: webb')) + 1;
    const status = await waitForStatus(app, (s) => s.overall.rejectedRevision?.revision === bad, 30_000);
    expect(JSON.stringify(status.overall.rejectedRevision)).toContain(`envs/prod/ecs-gitops.yaml:${line}:`);
    expect(await webImage(emulator)).toBe('public.ecr.aws/nginx/nginx:1.28');
  });
});
