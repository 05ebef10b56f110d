// The handover through the long-running controller: services made with the SDK, imported into a Git
// repository, and the first `run` pass only tags (ownership, revision, source, spec-hash): no
// RegisterTaskDefinition, UpdateService, UpdateCluster, PutScalingPolicy or RegisterScalableTarget.
// After it, every resource is Synced and Healthy like any other.
import { join } from 'node:path';
import {
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerApp, startController } from '../../controller/app.js';
import { resolveConfig } from '../../controller/config.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { waitForStatus } from './harness.js';

const FORBIDDEN = [
  'ecs:RegisterTaskDefinition',
  'ecs:UpdateService',
  'ecs:UpdateCluster',
  'ecs:UpdateClusterSettings',
  'ecs:PutClusterCapacityProviders',
  'ecs:CreateService',
  'application-autoscaling:PutScalingPolicy',
  'application-autoscaling:RegisterScalableTarget',
];

let emulator: TestEmulator | undefined;
let app: ControllerApp | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await app?.stop();
  await emulator?.close();
  await cleanup?.();
});

async function buildServices(env: TestEmulator): Promise<void> {
  const { ecs, autoscaling } = env;
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'shop',
      capacityProviders: ['FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    }),
  );
  for (const name of ['web', 'api']) {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name, image: `public.ecr.aws/shop/${name}:1`, portMappings: [{ containerPort: 80 }] },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'shop',
        serviceName: name,
        taskDefinition: name,
        desiredCount: 2,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0shop'] } },
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
  }
  await autoscaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs',
      ResourceId: 'service/shop/web',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 2,
      MaxCapacity: 6,
    }),
  );
  await autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: 'cpu',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/shop/web',
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
      },
    }),
  );
}

describe('adoption by the controller', () => {
  it('given imported manifests in Git, when the controller runs, then its first pass only tags and everything ends Synced and Healthy', async () => {
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const tmp = await tempDir('ecs-gitops-adopt-');
    cleanup = tmp.cleanup;
    emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    await buildServices(emulator);
    const repo = await createRepo(tmp.path);
    const imported = await runCliCaptured([
      'import',
      '--cluster',
      'shop',
      '--out',
      join(repo.work, 'manifests'),
      '--endpoint-url',
      emulator.url,
    ]);
    expect(imported.code).toBe(0);
    await repo.commit({}, 'import shop');
    emulator.resetCalls();

    const { logger } = captureLogger('info');
    // The first pass runs at start: no poll or resync interval matters here.
    const flags = { repo: repo.remote, dir: 'manifests', listen: '127.0.0.1:0', statusWrite: false };
    const config = resolveConfig(
      { ...flags, cacheDir: join(tmp.path, 'cache'), endpointUrl: emulator.url },
      {},
    );
    app = await startController(config, { logger, cwd: tmp.path, progressPollMs: 300 });
    const snapshot = await waitForStatus(
      app,
      (s) =>
        s.resources.length === 6 && s.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy'),
      30_000,
    );
    expect(snapshot.resources.map((r) => r.key).sort()).toEqual([
      'Cluster/shop',
      'ScalingPolicy/web',
      'Service/api',
      'Service/web',
      'TaskDefinition/api',
      'TaskDefinition/web',
    ]);

    const calls = emulator.calls();
    for (const operation of FORBIDDEN) expect(calls[operation] ?? 0, operation).toBe(0);
    expect(calls['ecs:TagResource']).toBe(5);
    expect(calls['application-autoscaling:TagResource']).toBe(1);
    const described = await emulator.ecs.send(
      new DescribeServicesCommand({ cluster: 'shop', services: ['web'], include: ['TAGS'] }),
    );
    const tags = Object.fromEntries((described.services?.[0]?.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({
      'ecs-gitops/managed-by': 'ecs-gitops',
      'ecs-gitops/source': 'manifests/shop/web.yaml',
      'ecs-gitops/revision': expect.stringMatching(/^[0-9a-f]{40}$/),
      'ecs-gitops/spec-hash': expect.any(String),
    });
  }, 60_000);
});
