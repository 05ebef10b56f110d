// The role and target-group preflight checks over the real wire: the SDK's IAM (GetRole) and ELBv2
// (DescribeTargetGroups) clients against the emulator, for the passing and failing case of each
// check; the gate that blocks a load-balanced service whose target group is wrong; `verify`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { createPreflightReader } from '../../controller/live/preflight-reads.js';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredService, DesiredState, DesiredTaskDefinition } from '../../controller/manifest/model.js';
import { planChanges } from '../../controller/plan/index.js';
import { gateChangeSet } from '../../controller/preflight/gate.js';
import { taskDefinitionOf, verifyService, verifyTaskDefinition } from '../../controller/preflight/index.js';
import { trustsEcsTasks } from '../../controller/preflight/trust.js';
import { liveStateFromFixture } from '../diff/live-fixture.js';
import { runCommand } from '../helpers/cli.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';
import { webFleet } from '../helpers/web-fleet.js';
import { createPrerequisites } from './prerequisites.js';

const env = useTestEmulator();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ACCOUNT = '123456789012';
const role = (path: string) => `arn:aws:iam::${ACCOUNT}:role${path}`;

function desired(text: string): DesiredState {
  const result = parseManifests([{ path: 'web.yaml', content: text }], { revision: 'r1' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.desired;
}

function parts(text: string): { td: DesiredTaskDefinition; service: DesiredService; state: DesiredState } {
  const state = desired(text);
  const service = state.resources.find((r): r is DesiredService => r.kind === 'Service');
  const td = service ? taskDefinitionOf(service, state.resources) : undefined;
  if (!service || !td) throw new Error('fixture lacks its service or task definition');
  return { td, service, state };
}

function reader() {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  return createPreflightReader({ region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 });
}

describe('trust policies (pure)', () => {
  it('given trust policies, when read, then only an Allow of ecs-tasks (or *) for sts:AssumeRole without a Deny trusts ECS tasks', () => {
    const policy = (...statements: object[]) =>
      JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const allow = {
      Effect: 'Allow',
      Principal: { Service: ['ecs-tasks.amazonaws.com'] },
      Action: ['sts:AssumeRole'],
    };
    expect(trustsEcsTasks(policy(allow))).toEqual({ trusted: true });
    expect(
      trustsEcsTasks(JSON.stringify({ Statement: { ...allow, Principal: '*', Action: 'sts:*' } })),
    ).toEqual({
      trusted: true,
    });
    expect(trustsEcsTasks(policy(allow, { ...allow, Effect: 'Deny' }))).toMatchObject({ trusted: false });
    expect(
      trustsEcsTasks(
        policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ),
    ).toEqual({
      trusted: false,
      reason:
        'its trust policy does not allow ecs-tasks.amazonaws.com to sts:AssumeRole (it trusts lambda.amazonaws.com)',
    });
    expect(trustsEcsTasks(policy({ ...allow, Action: 'sts:TagSession' }))).toMatchObject({ trusted: false });
  });
});

describe('role checks against the emulator (IAM GetRole)', () => {
  it('given execution and task roles that exist and trust ecs-tasks, when verified, then both pass', async () => {
    await createPrerequisites(env().url, {
      roles: [{ name: 'ecsTaskExecutionRole' }, { name: 'web', path: '/app/' }],
    });
    const preflight = reader();
    const { td } = parts(
      webFleet({ executionRoleArn: role('/ecsTaskExecutionRole'), taskRoleArn: role('/app/web') }),
    );
    const report = await verifyTaskDefinition(td, preflight, 'us-east-1');
    preflight.destroy();
    expect(report.checks.filter((c) => c.check === 'role')).toEqual([
      {
        check: 'role',
        status: 'ok',
        message: `execution role ${role('/ecsTaskExecutionRole')} exists and trusts ecs-tasks.amazonaws.com`,
      },
      {
        check: 'role',
        status: 'ok',
        message: `task role ${role('/app/web')} exists and trusts ecs-tasks.amazonaws.com`,
      },
    ]);
    expect(report.ok).toBe(true);
    expect(env().calls()['iam:GetRole']).toBe(2);
  });

  it('given a missing role, a role trusting another service and an ARN with the wrong path, when verified, then each fails naming the ARN and why', async () => {
    await createPrerequisites(env().url, {
      roles: [
        { name: 'lambda-role', trusts: 'lambda.amazonaws.com' },
        { name: 'pathed', path: '/real/' },
      ],
    });
    const preflight = reader();
    const missing = await verifyTaskDefinition(
      parts(webFleet({ executionRoleArn: role('/ecsTaskExecutionRole'), taskRoleArn: 'lambda-role' })).td,
      preflight,
      'us-east-1',
    );
    const wrongPath = await verifyTaskDefinition(
      parts(webFleet({ executionRoleArn: role('/other/pathed') })).td,
      preflight,
      'us-east-1',
    );
    preflight.destroy();
    expect(missing.ok).toBe(false);
    expect(missing.checks.filter((c) => c.check === 'role').map((c) => c.message)).toEqual([
      `execution role ${role('/ecsTaskExecutionRole')} does not exist (NoSuchEntityException: The role with name ecsTaskExecutionRole cannot be found.)`,
      'task role lambda-role cannot be assumed by ECS tasks: its trust policy does not allow ecs-tasks.amazonaws.com to sts:AssumeRole (it trusts lambda.amazonaws.com)',
    ]);
    expect(wrongPath.checks.filter((c) => c.check === 'role')).toEqual([
      {
        check: 'role',
        status: 'failed',
        message: `execution role ${role('/other/pathed')} does not exist: the role named pathed is ${role('/real/pathed')}`,
      },
    ]);
  });
});

describe('target group checks against the emulator (ELBv2 DescribeTargetGroups)', () => {
  it('given an ip target group for the container port, when verified, then it passes', async () => {
    const { targetGroupArns } = await createPrerequisites(env().url, {
      targetGroups: [{ name: 'web', protocol: 'HTTP', port: 80 }],
    });
    const arn = targetGroupArns.web ?? '';
    const preflight = reader();
    const { td, service } = parts(webFleet({ targetGroupArn: arn }));
    const report = await verifyService(service, td, preflight, 'us-east-1');
    preflight.destroy();
    expect(report).toEqual({
      resource: 'Service/web',
      ok: true,
      checks: [
        { check: 'target-group', status: 'ok', message: `target group ${arn} (HTTP, ip) serves web:80` },
      ],
    });
  });

  it('given a missing group, an instance group for awsvpc tasks and a UDP group for a tcp port, when verified, then each fails with the reason', async () => {
    const { targetGroupArns } = await createPrerequisites(env().url, {
      targetGroups: [
        { name: 'by-instance', protocol: 'HTTP', port: 80, targetType: 'instance' },
        { name: 'udp', protocol: 'UDP', port: 53 },
      ],
    });
    const ghost = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/ghost/0123456789abcdef`;
    const preflight = reader();
    const messages: string[] = [];
    for (const [arn, port] of [
      [ghost, 80],
      [targetGroupArns['by-instance'] ?? '', 80],
      [targetGroupArns.udp ?? '', 80],
    ] as const) {
      const { td, service } = parts(webFleet({ targetGroupArn: arn, containerPort: port }));
      const report = await verifyService(service, td, preflight, 'us-east-1');
      expect(report.ok).toBe(false);
      messages.push(...report.checks.map((c) => c.message));
    }
    preflight.destroy();
    expect(messages).toEqual([
      `target group ${ghost} does not exist (TargetGroupNotFoundException: One or more target groups not found)`,
      `target group ${targetGroupArns['by-instance']} cannot serve web:80: its target type instance does not fit network mode awsvpc (needs ip)`,
      `target group ${targetGroupArns.udp} cannot serve web:80: its protocol UDP does not carry container port 80/tcp`,
    ]);
  });

  it('given a changed service whose target group is missing, when gated, then the service is blocked with the message and the task definition is not', async () => {
    const ghost = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/ghost/0123456789abcdef`;
    const { state } = parts(webFleet({ targetGroupArn: ghost }));
    const planned = planChanges(diffResources(state, liveStateFromFixture({}), { instance: 'test' }), {
      revision: 'r1',
      prune: false,
      pruneLimit: 10,
      pruneConfirm: false,
    });
    const preflight = reader();
    const { changeSet, failures } = await gateChangeSet(planned, preflight, 'us-east-1');
    preflight.destroy();
    const message = `preflight failed: target group ${ghost} does not exist (TargetGroupNotFoundException: One or more target groups not found)`;
    expect([...failures]).toEqual([['Service/web', message]]);
    const blocked = Object.fromEntries(
      changeSet.entries.map((e) => [`${e.key.kind}/${e.key.name}`, e.blocked]),
    );
    expect(blocked['Service/web']).toEqual({ reason: 'preflight-failed', message });
    expect(blocked['TaskDefinition/web']).toBeUndefined();
  });
});

describe('ecs-gitops verify with roles and target groups', () => {
  it('given a service whose target group is missing, when verified, then it prints both reports and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-verify-'));
    dirs.push(dir);
    await createPrerequisites(env().url, { roles: [{ name: 'exec' }] });
    const ghost = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/ghost/0123456789abcdef`;
    writeFileSync(
      join(dir, 'web.yaml'),
      webFleet({ executionRoleArn: role('/exec'), targetGroupArn: ghost }),
    );
    const { code, stdout } = await runCommand(
      ['verify', '--path', dir, '--endpoint-url', env().url, '--region', 'us-east-1'],
      {
        cwd: process.cwd(),
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      },
    );
    expect(stdout).toBe(
      [
        'TaskDefinition/web: preflight passed',
        '  - image: container web: public.ecr.aws/nginx/nginx:1.27 is on public.ecr.aws, not ECR: not checked',
        `  ✓ role: execution role ${role('/exec')} exists and trusts ecs-tasks.amazonaws.com`,
        'Service/web: preflight FAILED',
        `  ✗ target-group: target group ${ghost} does not exist (TargetGroupNotFoundException: One or more target groups not found)`,
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
  });
});
