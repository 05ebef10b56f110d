import {
  ContinueServiceDeploymentCommand,
  type CreateServiceCommandInput,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ServiceDeployment,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { type TestEmulator, useTestEmulator } from '../helpers/emulator.js';
import { describeService, errorOf, givenCluster, givenService, givenTaskDefinition } from './world.js';

// Default timings: tasks RUN 5 s after launch, stop in 2 s; every stage without a bake takes 2 s.
const env = useTestEmulator();

const LB = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef',
  containerName: 'web',
  containerPort: 80,
  advancedConfiguration: {
    alternateTargetGroupArn:
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210',
    productionListenerRule:
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef',
    roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
  },
};

/** A blue/green service that has settled on web:1; the returned call deploys web:2 with `config`. */
async function givenProgressiveService(
  e: TestEmulator,
  deploymentConfiguration: DeploymentConfiguration,
  extra: Partial<CreateServiceCommandInput> = {},
): Promise<() => Promise<unknown>> {
  await givenCluster(e.ecs);
  await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
  await givenService(e.ecs, {
    desiredCount: 2,
    loadBalancers: [LB],
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
    ...extra,
  });
  e.advance(60);
  await givenTaskDefinition(e.ecs, 'web', 'nginx:2');
  return () => update(e, { deploymentConfiguration });
}

async function current(e: TestEmulator): Promise<ServiceDeployment> {
  const arn = (await describeService(e.ecs)).currentServiceDeployment;
  const out = await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn!] }));
  return out.serviceDeployments![0]!;
}

const target = (d: ServiceDeployment) => d.targetServiceRevision!;

interface Seen {
  readonly at: number;
  readonly status: string;
  readonly stage: string;
  readonly production: number;
  readonly test: number;
}

/** Steps the clock one second at a time, recording every change of status, stage or weights. */
async function trace(e: TestEmulator, until: (d: ServiceDeployment) => boolean, max = 900): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (let second = 0; second <= max; second++) {
    const d = await current(e);
    const row = {
      at: second,
      status: d.status ?? '',
      stage: d.lifecycleStage ?? '',
      production: target(d).requestedProductionTrafficWeight ?? -1,
      test: target(d).requestedTestTrafficWeight ?? -1,
    };
    const last = seen.at(-1);
    if (
      !last ||
      last.status !== row.status ||
      last.stage !== row.stage ||
      last.production !== row.production
    ) {
      seen.push(row);
    }
    if (until(d)) return seen;
    e.advance(1);
  }
  throw new Error(`did not finish: ${JSON.stringify(seen.at(-1))}`);
}

async function taskCount(e: TestEmulator): Promise<number> {
  const out = await e.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
  return out.taskArns?.length ?? 0;
}

const finished = (d: ServiceDeployment) =>
  ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(d.status ?? '');

const update = (e: TestEmulator, extra: Record<string, unknown> = {}) =>
  e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web', ...extra }));

describe('service deployments of ROLLING services', () => {
  it('records one per deployment with revisions, counts and the circuit breaker, SUCCESSFUL when it completes', async () => {
    // given a rolling service
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs, {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    e.advance(20);
    // when it is updated to web:2
    const web2 = await givenTaskDefinition(e.ecs, 'web', 'nginx:2');
    await update(e);
    // then a second service deployment is IN_PROGRESS from the first revision to the new one
    const listed = await e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(listed.serviceDeployments?.map((d) => d.status)).toEqual(['IN_PROGRESS', 'SUCCESSFUL']);
    const running = await current(e);
    expect(running).toMatchObject({
      status: 'IN_PROGRESS',
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
      alarms: { status: 'DISABLED' },
      sourceServiceRevisions: [
        { arn: listed.serviceDeployments?.[1]?.targetServiceRevisionArn, runningTaskCount: 2 },
      ],
    });
    expect(running.lifecycleStage).toBeUndefined();
    expect(target(running).requestedProductionTrafficWeight).toBeUndefined();
    const revisions = await e.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [
          target(running).arn!,
          'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1',
        ],
      }),
    );
    expect(revisions.serviceRevisions?.[0]).toMatchObject({
      taskDefinition: web2,
      launchType: 'FARGATE',
      containerImages: [{ containerName: 'web', image: 'nginx:2' }],
    });
    expect(revisions.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1', reason: 'MISSING' },
    ]);
    // and it is SUCCESSFUL once the rollout completed
    e.advance(30);
    const done = await current(e);
    expect(done).toMatchObject({
      status: 'SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE' },
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect((await describeService(e.ecs)).currentServiceRevisions).toEqual([
      { arn: target(done).arn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
    ]);
  });

  it('is ROLLBACK_SUCCESSFUL after a circuit-breaker rollback, with the reason and the revision rolled back to', async () => {
    const e = env();
    e.emulator.setFailImagePattern('broken');
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs, {
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    e.advance(20);
    const first = await current(e);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:broken');
    await update(e);
    for (let i = 0; i < 60 && !finished(await current(e)); i++) e.advance(2);
    const rolledBack = await current(e);
    expect(rolledBack).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      rollback: { serviceRevisionArn: target(first).arn },
      deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3 },
    });
    expect(rolledBack.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(3);
    expect(rolledBack.rollback?.reason).toMatch(/circuit breaker/);
  });
});

describe('BLUE_GREEN', () => {
  it('runs green at full size, shifts test then production traffic, bakes with both revisions, then cleans up blue', async () => {
    // given a blue/green service with a one-minute bake
    const e = env();
    const deploy = await givenProgressiveService(e, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    expect((await current(e)).status).toBe('SUCCESSFUL');
    // when it is updated
    await deploy();
    // then the stages run in the documented order, with the weights of each
    const seen = await trace(e, finished);
    expect(seen.map((s) => [s.status, s.stage, s.production])).toEqual([
      ['PENDING', '', 0],
      ['IN_PROGRESS', 'PRE_SCALE_UP', 0],
      ['IN_PROGRESS', 'SCALE_UP', 0],
      ['IN_PROGRESS', 'POST_SCALE_UP', 0],
      ['IN_PROGRESS', 'TEST_TRAFFIC_SHIFT', 0],
      ['IN_PROGRESS', 'POST_TEST_TRAFFIC_SHIFT', 0],
      ['IN_PROGRESS', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 0],
      ['IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', 100],
      ['IN_PROGRESS', 'POST_PRODUCTION_TRAFFIC_SHIFT', 100],
      ['IN_PROGRESS', 'BAKE_TIME', 100],
      ['IN_PROGRESS', 'CLEAN_UP', 100],
      ['SUCCESSFUL', 'CLEAN_UP', 100],
    ]);
    expect(seen.find((s) => s.stage === 'POST_TEST_TRAFFIC_SHIFT')?.test).toBe(100);
    const bake = seen.findIndex((s) => s.stage === 'BAKE_TIME');
    expect(seen[bake + 1]!.at - seen[bake]!.at).toBe(60);
    expect(await taskCount(e)).toBe(2);
  });

  it('holds both revisions at full size during the bake', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'BAKE_TIME');
    e.advance(120);
    const baking = await current(e);
    expect(baking.lifecycleStage).toBe('BAKE_TIME');
    expect(baking.sourceServiceRevisions?.[0]).toMatchObject({
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 0,
    });
    expect(target(baking)).toMatchObject({ runningTaskCount: 2, requestedProductionTrafficWeight: 100 });
    expect(await taskCount(e)).toBe(4);
    const service = await describeService(e.ecs);
    expect(service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
  });
});

describe('CANARY and LINEAR', () => {
  it('CANARY shifts canaryPercent, bakes canaryBakeTimeInMinutes, then shifts the rest', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 },
    });
    await deploy();
    const seen = await trace(e, finished);
    const shifts = seen.filter((s) => s.stage === 'PRODUCTION_TRAFFIC_SHIFT');
    expect(shifts.map((s) => s.production)).toEqual([10, 100]);
    expect(shifts[1]!.at - shifts[0]!.at).toBe(120 + 2);
    expect(seen.map((s) => s.stage).filter((s) => s.includes('PRODUCTION'))).toEqual([
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
    ]);
    expect(seen.at(-1)?.status).toBe('SUCCESSFUL');
  });

  it('LINEAR shifts stepPercent per step with stepBakeTimeInMinutes between steps (none after 100 %)', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, {
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 33.3, stepBakeTimeInMinutes: 1 },
    });
    await deploy();
    const seen = await trace(e, finished);
    const shifts = seen.filter((s) => s.stage === 'PRODUCTION_TRAFFIC_SHIFT');
    expect(shifts.map((s) => s.production)).toEqual([33.3, 66.6, 99.9, 100]);
    expect(shifts.map((s, i) => (i === 0 ? 0 : s.at - shifts[i - 1]!.at))).toEqual([0, 62, 62, 62]);
    const post = seen.find((s) => s.stage === 'POST_PRODUCTION_TRAFFIC_SHIFT')!;
    expect(post.at - shifts[3]!.at).toBe(2);
  });
});

const PAUSE_AT = (
  stage: string,
  timeout?: { timeoutInMinutes: number; action: 'CONTINUE' | 'ROLLBACK' },
) => ({
  strategy: 'CANARY' as const,
  canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 0 },
  lifecycleHooks: [
    {
      targetType: 'PAUSE' as const,
      lifecycleStages: [stage as 'PRE_PRODUCTION_TRAFFIC_SHIFT'],
      ...(timeout ? { timeoutConfiguration: timeout } : {}),
    },
  ],
});

describe('lifecycle hooks', () => {
  it('a PAUSE hook waits AWAITING_ACTION until ContinueServiceDeployment CONTINUE', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, PAUSE_AT('POST_TEST_TRAFFIC_SHIFT'));
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT');
    e.advance(3600);
    const paused = await current(e);
    expect(paused).toMatchObject({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' }],
    });
    const hook = paused.lifecycleHookDetails![0]!;
    expect(hook.hookId).toMatch(/^ecs-pause-/);
    expect(hook.expiresAt!.getTime() - paused.updatedAt!.getTime()).toBeGreaterThan(22 * 3600_000);
    await e.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: paused.serviceDeploymentArn,
        hookId: hook.hookId,
        action: 'CONTINUE',
      }),
    );
    const seen = await trace(e, finished);
    expect(seen.at(-1)?.status).toBe('SUCCESSFUL');
    // a hook answered twice is refused
    const again = await errorOf(
      e.ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: paused.serviceDeploymentArn,
          hookId: hook.hookId,
        }),
      ),
    );
    expect(again.name).toBe('InvalidParameterException');
  });

  it('ContinueServiceDeployment ROLLBACK shifts traffic back and removes green: ROLLBACK_SUCCESSFUL', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, PAUSE_AT('PRE_PRODUCTION_TRAFFIC_SHIFT'));
    const web1 = (await describeService(e.ecs)).taskDefinition;
    await deploy();
    await trace(e, (d) => d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    const paused = await current(e);
    await e.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: paused.serviceDeploymentArn,
        hookId: paused.lifecycleHookDetails![0]!.hookId,
        action: 'ROLLBACK',
      }),
    );
    expect((await current(e)).status).toBe('ROLLBACK_REQUESTED');
    const seen = await trace(e, finished);
    expect(seen.map((s) => s.status)).toEqual([
      'ROLLBACK_REQUESTED',
      'ROLLBACK_IN_PROGRESS',
      'ROLLBACK_SUCCESSFUL',
    ]);
    const done = await current(e);
    expect(done.rollback).toMatchObject({ serviceRevisionArn: done.sourceServiceRevisions?.[0]?.arn });
    expect(done.rollback?.reason).toMatch(/ContinueServiceDeployment/);
    expect(target(done)).toMatchObject({ requestedProductionTrafficWeight: 0, runningTaskCount: 0 });
    const service = await describeService(e.ecs);
    expect(service.taskDefinition).toBe(web1);
    expect(service.deployments?.[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: web1 });
    // the failed green deployment leaves the list at once (blue already runs in full); the events tell
    expect(service.deployments).toHaveLength(1);
    const events = (service.events ?? []).map((event) => event.message ?? '');
    expect(
      events.some((m) =>
        /\(deployment ecs-svc\/\d+\) deployment failed: Rolled back through ContinueServiceDeployment/.test(
          m,
        ),
      ),
    ).toBe(true);
    expect(events.some((m) => /rolling back to deployment ecs-svc\/\d+/.test(m))).toBe(true);
  });

  it('a hook that times out takes its timeout action (ROLLBACK)', async () => {
    const e = env();
    const deploy = await givenProgressiveService(
      e,
      PAUSE_AT('POST_SCALE_UP', { timeoutInMinutes: 10, action: 'ROLLBACK' }),
    );
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'POST_SCALE_UP');
    e.advance(599);
    expect((await current(e)).lifecycleHookDetails?.[0]?.status).toBe('AWAITING_ACTION');
    e.advance(1);
    const timedOut = await current(e);
    expect(timedOut.status).toBe('ROLLBACK_REQUESTED');
    expect(timedOut.rollback?.reason).toMatch(/timed out at POST_SCALE_UP/);
    await trace(e, finished);
    expect((await current(e)).status).toBe('ROLLBACK_SUCCESSFUL');
  });

  it('a hook that times out with CONTINUE goes on', async () => {
    const e = env();
    const deploy = await givenProgressiveService(
      e,
      PAUSE_AT('POST_SCALE_UP', { timeoutInMinutes: 1, action: 'CONTINUE' }),
    );
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'POST_SCALE_UP');
    e.advance(60);
    expect((await current(e)).lifecycleHookDetails?.[0]?.status).toBe('TIMED_OUT');
    await trace(e, finished);
    expect((await current(e)).status).toBe('SUCCESSFUL');
  });

  it('an AWS_LAMBDA hook answers by the admin rule: IN_PROGRESS for N seconds, then FAILED rolls back', async () => {
    const e = env();
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';
    const deploy = await givenProgressiveService(e, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          targetType: 'AWS_LAMBDA',
          hookTargetArn: fn,
          roleArn: 'arn:aws:iam::123456789012:role/hooks',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        },
      ],
    });
    await e.admin('POST', '/_emulator/lifecycle-hooks', {
      hookTargetArn: fn,
      result: 'FAILED',
      inProgressSeconds: 30,
    });
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT');
    expect((await current(e)).lifecycleHookDetails).toMatchObject([
      { targetType: 'AWS_LAMBDA', targetArn: fn, status: 'IN_PROGRESS' },
    ]);
    e.advance(29);
    expect((await current(e)).status).toBe('IN_PROGRESS');
    e.advance(1);
    expect((await current(e)).status).toBe('ROLLBACK_REQUESTED');
    expect((await current(e)).rollback?.reason).toMatch(/failed at POST_TEST_TRAFFIC_SHIFT/);
  });
});

describe('alarms and StopServiceDeployment', () => {
  it('an alarm of deploymentConfiguration.alarms in ALARM rolls the deployment back', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 10,
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
    });
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'BAKE_TIME');
    expect((await current(e)).alarms).toEqual({ status: 'MONITORING', alarmNames: ['web-5xx'] });
    await e.admin('POST', '/_emulator/alarms', { alarmName: 'web-5xx', state: 'ALARM' });
    const triggered = await current(e);
    expect(triggered.status).toBe('ROLLBACK_REQUESTED');
    expect(triggered.alarms).toEqual({
      status: 'TRIGGERED',
      alarmNames: ['web-5xx'],
      triggeredAlarmNames: ['web-5xx'],
    });
    await trace(e, finished);
    expect((await current(e)).status).toBe('ROLLBACK_SUCCESSFUL');
  });

  it('StopServiceDeployment ROLLBACK rolls back an in-progress deployment; a finished one is a ConflictException', async () => {
    const e = env();
    const deploy = await givenProgressiveService(e, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 });
    await deploy();
    await trace(e, (d) => d.lifecycleStage === 'BAKE_TIME');
    const arn = (await current(e)).serviceDeploymentArn!;
    const out = await e.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect(out.serviceDeploymentArn).toBe(arn);
    await trace(e, finished);
    const done = await current(e);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.rollback?.reason).toMatch(/StopServiceDeployment/);
    const again = await errorOf(e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })));
    expect(again.name).toBe('ConflictException');
    const missing = await errorOf(
      e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${arn.slice(0, -3)}xyz` })),
    );
    expect(missing).toMatchObject({
      name: 'ServiceDeploymentNotFoundException',
      message: 'Service deployment not found.',
    });
  });

  it('StopServiceDeployment ROLLBACK on a ROLLING deployment rolls back to the last completed revision', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs);
    e.advance(20);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:2');
    await update(e);
    await e.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: (await current(e)).serviceDeploymentArn }),
    );
    for (let i = 0; i < 60 && !finished(await current(e)); i++) e.advance(1);
    expect((await current(e)).status).toBe('ROLLBACK_SUCCESSFUL');
    expect((await describeService(e.ecs)).taskDefinition).toMatch(/web:1$/);
  });
});

describe('validation', () => {
  const invalid = async (config: DeploymentConfiguration, extra: Partial<CreateServiceCommandInput> = {}) => {
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs);
    return errorOf(givenService(e.ecs, { loadBalancers: [LB], deploymentConfiguration: config, ...extra }));
  };

  it.each([
    [
      'BLUE_GREEN without a load balancer or Service Connect',
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
      { loadBalancers: [] },
      /requires a load balancer with advancedConfiguration/,
    ],
    [
      'advancedConfiguration without roleArn',
      { strategy: 'CANARY' },
      {
        loadBalancers: [
          { ...LB, advancedConfiguration: { ...LB.advancedConfiguration, roleArn: undefined } },
        ],
      },
      /advancedConfiguration.roleArn must be provided/,
    ],
    [
      'another deployment controller',
      { strategy: 'LINEAR' },
      { deploymentController: { type: 'CODE_DEPLOY' } },
      /only supported for services that use the ECS deployment controller/,
    ],
    [
      'the circuit breaker with BLUE_GREEN',
      {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 5,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      {},
      /circuit breaker can only be used .*\(ROLLING\)/,
    ],
    [
      'a PAUSE hook at PRODUCTION_TRAFFIC_SHIFT',
      {
        strategy: 'CANARY',
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
      },
      {},
      /PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT/,
    ],
    [
      'stepPercent below 3',
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2.5 } },
      {},
      /stepPercent must be a multiple of 0.1 between 3.0 and 100.0/,
    ],
    [
      'canaryPercent not a multiple of 0.1',
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5.05 } },
      {},
      /canaryPercent must be a multiple of 0.1/,
    ],
    [
      'a bake time over 24 hours',
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 },
      {},
      /bakeTimeInMinutes must be an integer between 0 and 1440/,
    ],
    [
      'BLUE_GREEN without bakeTimeInMinutes',
      { strategy: 'BLUE_GREEN' },
      {},
      /bakeTimeInMinutes must be provided/,
    ],
    [
      'linearConfiguration with CANARY',
      { strategy: 'CANARY', linearConfiguration: { stepPercent: 10 } },
      {},
      /only valid when the deployment strategy is LINEAR/,
    ],
    ['an unknown strategy', { strategy: 'RAINBOW' }, {}, /Invalid deployment strategy: RAINBOW/],
  ] as const)('refuses %s', async (_name, config, extra, message) => {
    const error = await invalid(
      config as DeploymentConfiguration,
      extra as Partial<CreateServiceCommandInput>,
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(message);
  });

  it('accepts Service Connect instead of a load balancer', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs);
    const service = await givenService(e.ecs, {
      deploymentConfiguration: { strategy: 'LINEAR' },
      serviceConnectConfiguration: { enabled: true, namespace: 'internal' },
    });
    expect(service.deploymentConfiguration?.strategy).toBe('LINEAR');
  });
});
