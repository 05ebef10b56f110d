// End-to-end: one `run` with two targets — staging in account 111111111111 / us-east-1 and prod in
// account 222222222222 / eu-west-1, each through its own assumed role — against one emulator.
// Both are reconciled; throttling every call of prod's region does not delay staging's next commit;
// the status branch has a section per target and /api/status and /metrics show both.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../controller/config.js';
import { startTargets, type TargetsApp } from '../../controller/targets/start-targets.js';
import { parseTargets } from '../../controller/targets/targets-file.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, readTree, tempDir, waitFor } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { exampleEnvFiles } from './harness.js';

const TARGETS = `# two accounts, two regions
- name: staging
  dir: envs/staging
  region: us-east-1
  roleArn: arn:aws:iam::111111111111:role/ecs-gitops
- name: prod
  dir: envs/prod
  region: eu-west-1
  roleArn: arn:aws:iam::222222222222:role/ecs-gitops
  externalId: prod-external-id
`;

/** What the named account runs, read as that account (through its role). */
async function serviceImageTag(
  emulator: TestEmulator,
  account: string,
  region: string,
  cluster: string,
  service: string,
) {
  const ecs = new ECSClient({
    region,
    endpoint: emulator.url,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: `arn:aws:iam::${account}:role/reader`, RoleSessionName: 'test' },
      masterCredentials: TEST_CREDENTIALS,
      clientConfig: { region, endpoint: emulator.url },
    }),
  });
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    return out.services?.[0]?.taskDefinition;
  } finally {
    ecs.destroy();
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('run with two targets', () => {
  // Two controllers, two clones and rollouts: minutes on a loaded 2-core machine, seconds alone.
  it('reconciles both accounts, and throttling one does not delay the other', {
    timeout: 240_000,
  }, async () => {
    // given a repository with staging and prod, and a targets file naming two accounts and regions
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const tmp = await tempDir('ecs-gitops-e2e-targets-');
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    const repo = await createRepo(tmp.path);
    const files = await exampleEnvFiles();
    await repo.commit(files, 'environments');
    await writeFile(join(tmp.path, 'targets.yaml'), TARGETS);
    const targets = parseTargets('targets.yaml', await readFile(join(tmp.path, 'targets.yaml')));
    const { logger } = captureLogger('info');
    const config = resolveConfig(
      {
        repo: repo.remote,
        branch: 'main',
        poll: '300ms',
        resync: '1s',
        listen: '127.0.0.1:0',
        cacheDir: join(tmp.path, 'cache'),
        endpointUrl: emulator.url,
        // The example's execution role is in account 123456789012; ECS (and preflight) want it in the
        // task's account, which here is another: the example is a one-account demo.
        preflight: false,
      },
      {},
    );
    const app: TargetsApp = await startTargets(config, targets, {
      logger,
      cwd: tmp.path,
      progressPollMs: 300,
    });
    cleanup = async () => {
      await app.stop();
      await emulator.close();
      await tmp.cleanup();
    };
    const synced = (name: string, count = 3) => {
      const snapshot = app.targets.get(name)?.store.snapshot();
      return (
        snapshot?.resources.length === count &&
        snapshot.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy')
      );
    };

    // when it runs, then both targets converge, each in its own account and region
    await waitFor(() => synced('staging') && synced('prod'), 90_000, 100);
    expect(await serviceImageTag(emulator, '111111111111', 'us-east-1', 'staging-apps', 'staging-web')).toBe(
      'arn:aws:ecs:us-east-1:111111111111:task-definition/staging-web:1',
    );
    expect(await serviceImageTag(emulator, '222222222222', 'eu-west-1', 'prod-apps', 'prod-web')).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:task-definition/prod-web:1',
    );
    expect(emulator.emulator.calls()['sts:AssumeRole']).toBeGreaterThanOrEqual(2);

    // and the shared server shows both
    const status = (await (await fetch(`${app.url}/api/status`)).json()) as {
      targets: { name: string }[];
      resources: { key: string; target: string }[];
    };
    expect(status.targets.map((t) => t.name)).toEqual(['staging', 'prod']);
    expect(
      status.resources
        .filter((r) => r.target === 'prod')
        .map((r) => r.key)
        .sort(),
    ).toEqual(['Cluster/prod-apps', 'Service/prod-web', 'TaskDefinition/prod-web']);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /ecs_gitops_resource_info\{kind="Service",name="staging-web",sync="Synced",health="Healthy",target="staging"\} 1/,
    );
    expect(metrics).toMatch(
      /ecs_gitops_resource_info\{kind="Service",name="prod-web",sync="Synced",health="Healthy",target="prod"\} 1/,
    );
    expect(metrics.match(/^# HELP ecs_gitops_resource_info /gm)).toHaveLength(1);

    // when every call in prod's region is throttled, and both environments get a commit
    await emulator.fault({ kind: 'throttle', match: { region: 'eu-west-1' } });
    const stagingOverlay = files['envs/staging/ecs-gitops.yaml'] ?? '';
    const prodOverlay = files['envs/prod/ecs-gitops.yaml'] ?? '';
    const sha = await repo.commit(
      {
        'envs/staging/ecs-gitops.yaml': stagingOverlay.replace('newTag: "1.28"', 'newTag: "1.29"'),
        'envs/prod/ecs-gitops.yaml': prodOverlay.replace('newTag: "1.27"', 'newTag: "1.28"'),
      },
      'staging 1.29, prod 1.28',
    );

    // then staging deploys its commit while prod is still being throttled
    await waitFor(
      async () =>
        app.targets.get('staging')?.store.snapshot().overall.lastAppliedRevision === sha &&
        (await serviceImageTag(emulator, '111111111111', 'us-east-1', 'staging-apps', 'staging-web')) ===
          'arn:aws:ecs:us-east-1:111111111111:task-definition/staging-web:2',
      90_000,
      200,
    );
    expect(app.targets.get('prod')?.store.snapshot().overall.lastAppliedRevision).not.toBe(sha);

    // and the status branch holds a section per target
    await waitFor(
      async () => {
        const tree = await readTree(repo.remote, 'ecs-gitops/status').catch(
          () => ({}) as Record<string, string>,
        );
        return Boolean(
          tree['status/staging/summary.yaml'] &&
            tree['status/prod/summary.yaml'] &&
            tree['status/prod/Service/prod-web.yaml'],
        );
      },
      60_000,
      200,
    );
  });
});
