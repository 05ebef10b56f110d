// Preflight checks over the real wire: the AWS SDK's ECR, Secrets Manager, SSM and CloudWatch Logs
// clients against the emulator, for the passing and the failing case of each check, and the
// `ecs-gitops verify` command.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallCounter } from '../../controller/aws/clients.js';
import { runCli } from '../../controller/cli/index.js';
import { createPreflightReader } from '../../controller/live/preflight-reads.js';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredTaskDefinition } from '../../controller/manifest/model.js';
import { verifyTaskDefinition } from '../../controller/preflight/index.js';
import { parseImage, parseSecret } from '../../controller/preflight/references.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';
import { createPrerequisites, REGISTRY } from './prerequisites.js';

const env = useTestEmulator();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function manifest(image: string, extra = ''): string {
  return `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: api}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: api
      image: ${image}
${extra}`;
}

const WITH_REFERENCES = `      secrets:
        - {name: TOKEN, valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/token"}
        - {name: DB, valueFrom: /api/db}
        - {name: DSN, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/api/dsn"}
      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/api, awslogs-region: us-east-1, awslogs-stream-prefix: api}
`;

function taskDefinition(text: string): DesiredTaskDefinition {
  const result = parseManifests([{ path: 'api.yaml', content: text }], { revision: 'r1' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.desired.resources[0] as DesiredTaskDefinition;
}

function reader() {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  return createPreflightReader({ region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 });
}

describe('preflight references', () => {
  it('given image names, when parsed, then ECR images give registry, region, repository and tag or digest; others are skipped', () => {
    expect(parseImage(`${REGISTRY}/team/api:1.2`)).toEqual({
      kind: 'ecr',
      image: `${REGISTRY}/team/api:1.2`,
      registryId: '123456789012',
      region: 'us-east-1',
      repository: 'team/api',
      tag: '1.2',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImage(`210987654321.dkr.ecr.eu-west-1.amazonaws.com/api@${digest}`)).toMatchObject({
      registryId: '210987654321',
      region: 'eu-west-1',
      digest,
    });
    expect(parseImage(`${REGISTRY}/api`)).toMatchObject({ tag: 'latest' });
    expect(parseImage('public.ecr.aws/nginx/nginx:1.27')).toEqual({
      kind: 'other',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      registry: 'public.ecr.aws',
    });
    expect(parseImage('nginx:1.27')).toMatchObject({ kind: 'other', registry: 'docker.io' });
  });

  it('given valueFrom forms, when parsed, then Secrets Manager ARNs lose their JSON key and SSM names keep the task region', () => {
    expect(
      parseSecret('arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::', 'us-east-1'),
    ).toEqual({
      kind: 'secretsmanager',
      valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::',
      region: 'eu-west-1',
      secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    });
    expect(parseSecret('/api/db', 'us-east-1')).toEqual({
      kind: 'ssm',
      valueFrom: '/api/db',
      region: 'us-east-1',
      name: '/api/db',
    });
  });
});

describe('preflight checks against the emulator (real SDK clients)', () => {
  it("given a target's role in another account, when its preflight reads, then it reads that account and the calls are counted", async () => {
    await createPrerequisites(env().url, { parameters: ['/shared/db'] });
    const counter = new AwsCallCounter();
    const asTarget = createPreflightReader(
      { region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 },
      {
        counter,
        credentials: fromTemporaryCredentials({
          params: { RoleArn: 'arn:aws:iam::222222222222:role/deployer', RoleSessionName: 'preflight' },
          masterCredentials: TEST_CREDENTIALS,
          clientConfig: { region: 'us-east-1', endpoint: env().url },
        }),
      },
    );
    const own = reader();
    try {
      // the parameter exists in the controller's account, not in the target's
      expect((await own.parameters('us-east-1', ['/shared/db'])).get('/shared/db')).toEqual({ found: true });
      expect((await asTarget.parameters('us-east-1', ['/shared/db'])).get('/shared/db')).toMatchObject({
        found: false,
      });
      expect(counter.snapshot()).toEqual({ 'ssm:GetParameters': 1 });
    } finally {
      asTarget.destroy();
      own.destroy();
    }
  });

  it('given an image, secret, parameters and log group that exist, when verified, then every check passes', async () => {
    await createPrerequisites(env().url, {
      images: [{ repository: 'api', tag: '1.2' }],
      secrets: ['api/token'],
      parameters: ['/api/db', '/api/dsn'],
      logGroups: ['/ecs/api'],
    });
    const preflight = reader();
    const report = await verifyTaskDefinition(
      taskDefinition(manifest(`${REGISTRY}/api:1.2`, WITH_REFERENCES)),
      preflight,
      'us-east-1',
    );
    preflight.destroy();
    expect(report.checks.map((c) => `${c.status} ${c.check}`)).toEqual([
      'ok image',
      'ok secret',
      'ok secret',
      'ok secret',
      'ok log-group',
    ]);
    expect(report.ok).toBe(true);
  });

  it('given a missing tag, repository, secret, parameter and log group, when verified, then each failure names the ARN and what is missing', async () => {
    await createPrerequisites(env().url, {
      images: [{ repository: 'api', tag: '1.2' }],
      parameters: ['/api/db'],
    });
    const preflight = reader();
    const missingTag = await verifyTaskDefinition(
      taskDefinition(manifest(`${REGISTRY}/api:9.9`, WITH_REFERENCES)),
      preflight,
      'us-east-1',
    );
    const missingRepo = await verifyTaskDefinition(
      taskDefinition(manifest(`${REGISTRY}/nope:1`)),
      preflight,
      'us-east-1',
    );
    preflight.destroy();

    expect(missingTag.ok).toBe(false);
    expect(missingTag.checks.filter((c) => c.status === 'failed').map((c) => c.message)).toEqual([
      `container api: image ${REGISTRY}/api:9.9 not found in ECR repository arn:aws:ecr:us-east-1:123456789012:repository/api (ImageNotFoundException: The image with imageId {imageDigest:'null', imageTag:'9.9'} does not exist within the repository with name 'api' in the registry with id '123456789012')`,
      'container api: Secrets Manager secret arn:aws:secretsmanager:us-east-1:123456789012:secret:api/token does not exist (valueFrom arn:aws:secretsmanager:us-east-1:123456789012:secret:api/token)',
      'container api: SSM parameter arn:aws:ssm:us-east-1:123456789012:parameter/api/dsn (us-east-1) does not exist (valueFrom arn:aws:ssm:us-east-1:123456789012:parameter/api/dsn)',
      'container api: CloudWatch Logs group /ecs/api does not exist in us-east-1 (create it or set awslogs-create-group: "true")',
    ]);
    expect(missingTag.checks.filter((c) => c.status === 'ok').map((c) => c.message)).toEqual([
      'container api: SSM parameter /api/db (us-east-1) exists',
    ]);
    expect(missingRepo.checks[0]?.message).toContain(
      "(RepositoryNotFoundException: The repository with name 'nope' does not exist in the registry with id '123456789012')",
    );
  });

  it('given a public image and awslogs-create-group, when verified, then the image is skipped with a note and the log group passes without a read', async () => {
    const preflight = reader();
    const report = await verifyTaskDefinition(
      taskDefinition(
        manifest(
          'public.ecr.aws/nginx/nginx:1.27',
          `      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/new, awslogs-region: us-east-1, awslogs-stream-prefix: x, awslogs-create-group: "true"}
`,
        ),
      ),
      preflight,
      'us-east-1',
    );
    preflight.destroy();
    expect(report.checks).toEqual([
      {
        check: 'image',
        status: 'skipped',
        message: 'container api: public.ecr.aws/nginx/nginx:1.27 is on public.ecr.aws, not ECR: not checked',
      },
      {
        check: 'log-group',
        status: 'ok',
        message: 'container api: log group /ecs/new is created by awslogs-create-group',
      },
    ]);
    expect(report.ok).toBe(true);
    expect(env().calls()['logs:DescribeLogGroups']).toBeUndefined();
  });
});

describe('ecs-gitops verify', () => {
  async function verify(dir: string): Promise<{ code: number; stdout: string }> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    const code = await runCli(
      ['verify', '--path', dir, '--endpoint-url', env().url, '--region', 'us-east-1'],
      {
        stdout,
        stderr: new PassThrough(),
        env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...process.env },
        cwd: process.cwd(),
        stopSignal: new AbortController().signal,
      },
    );
    return { code, stdout: out };
  }

  it('given a task definition whose image tag is missing, when verified, then it prints the failed check and exits 1; once pushed, exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-verify-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'api.yaml'), manifest(`${REGISTRY}/api:2.0`));
    await createPrerequisites(env().url, { images: [{ repository: 'api', tag: '1.0' }] });

    const failing = await verify(dir);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('TaskDefinition/api: preflight FAILED');
    expect(failing.stdout).toContain(
      `  ✗ image: container api: image ${REGISTRY}/api:2.0 not found in ECR repository`,
    );

    await createPrerequisites(env().url, { images: [{ repository: 'api', tag: '2.0' }] });
    const passing = await verify(dir);
    expect(passing.stdout).toBe(
      `TaskDefinition/api: preflight passed\n  ✓ image: container api: image ${REGISTRY}/api:2.0 exists\n`,
    );
    expect(passing.code).toBe(0);
  });
});
