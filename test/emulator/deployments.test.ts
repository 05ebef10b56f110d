import {
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { type TestEmulator, useTestEmulator } from '../helpers/emulator.js';
import { describeService, givenCluster, givenService, givenTaskDefinition } from './world.js';

// Default timings: PROVISIONING 2 s, PENDING 3 s (RUNNING after 5 s), stopping 2 s.
const env = useTestEmulator();

async function activeTasks(e: TestEmulator): Promise<number> {
  const running = await e.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
  return running.taskArns?.length ?? 0;
}

/** Steps the clock one second at a time, checking an invariant after each step. */
async function stepUntil(
  e: TestEmulator,
  done: (service: Service) => boolean,
  check: (service: Service, active: number) => void,
  maxSeconds = 120,
): Promise<Service> {
  for (let second = 0; second < maxSeconds; second++) {
    const service = await describeService(e.ecs);
    check(service, await activeTasks(e));
    if (done(service)) return service;
    e.advance(1);
  }
  throw new Error('did not converge');
}

const messages = (service: Service) => (service.events ?? []).map((event) => event.message ?? '').reverse();

describe('rolling deployment', () => {
  it('replaces tasks within maximumPercent 200 / minimumHealthyPercent 100 and completes', async () => {
    // given a steady service on web:1
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs, { desiredCount: 2 });
    e.advance(10);
    const before = await describeService(e.ecs);
    expect(before.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    // when it is updated to web:2
    const web2 = await givenTaskDefinition(e.ecs, 'web', 'nginx:2');
    const updated = await e.ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web' }),
    );
    expect(updated.service?.taskDefinition).toBe(web2);
    expect(
      updated.service?.deployments?.map((d) => [
        d.status,
        d.rolloutState,
        d.taskDefinition?.split('/').pop(),
      ]),
    ).toEqual([
      ['PRIMARY', 'IN_PROGRESS', 'web:2'],
      ['ACTIVE', 'COMPLETED', 'web:1'],
    ]);
    // then at every second at least 2 tasks run and at most 4 exist, until one COMPLETED deployment remains
    const final = await stepUntil(
      e,
      (s) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED',
      (s, active) => {
        expect(s.runningCount).toBeGreaterThanOrEqual(2);
        expect(active).toBeLessThanOrEqual(4);
      },
    );
    expect(final.deployments?.[0]).toMatchObject({
      taskDefinition: web2,
      runningCount: 2,
      status: 'PRIMARY',
    });
    expect(final.runningCount).toBe(2);
    const log = messages(final);
    expect(log.filter((m) => /has started 2 tasks/.test(m))).toHaveLength(2);
    expect(
      log.some((m) =>
        /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(
          m,
        ),
      ),
    ).toBe(true);
    expect(log.filter((m) => / deployment completed\.$/.test(m))).toHaveLength(2);
    expect(log.at(-1)).toBe('(service web) has reached a steady state.');
    // and the old tasks are STOPPED by the scheduler
    const stopped = await e.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    const tasks = await e.ecs.send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.taskArns ?? [] }),
    );
    expect(
      tasks.tasks?.map((t) => [t.lastStatus, t.stopCode, t.taskDefinitionArn?.split('/').pop()]),
    ).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated', 'web:1'],
      ['STOPPED', 'ServiceSchedulerInitiated', 'web:1'],
    ]);
  });

  it('with minimumHealthyPercent 50 / maximumPercent 100 it stops old tasks first and never exceeds desired', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs, {
      desiredCount: 4,
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
    });
    e.advance(10);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:2');
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const final = await stepUntil(
      e,
      (s) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED',
      (s, active) => {
        expect(s.runningCount).toBeGreaterThanOrEqual(2);
        expect(active).toBeLessThanOrEqual(4);
      },
    );
    expect(final.runningCount).toBe(4);
  });
});

describe('deployment circuit breaker', () => {
  async function givenBrokenUpdate(e: TestEmulator, rollback: boolean | undefined): Promise<void> {
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web', 'nginx:1');
    await givenService(e.ecs, {
      desiredCount: 2,
      ...(rollback === undefined
        ? {}
        : { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } } }),
    });
    e.advance(10);
    await e.admin('POST', '/_emulator/config', { failImagePattern: 'broken' });
    await givenTaskDefinition(e.ecs, 'web', 'registry.example/broken:2');
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
  }

  it('trips after 3 failed tasks and rolls back to the last completed deployment', async () => {
    const e = env();
    await givenBrokenUpdate(e, true);
    const failedId = (await describeService(e.ecs)).deployments?.[0]?.id;
    const final = await stepUntil(
      e,
      (s) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED',
      (s) => expect(s.runningCount).toBeGreaterThanOrEqual(2),
    );
    expect(final.taskDefinition).toMatch(/task-definition\/web:1$/);
    expect(final.deployments?.[0]?.id).not.toBe(failedId);
    expect(final.deployments?.[0]?.taskDefinition).toMatch(/web:1$/);
    const log = messages(final);
    expect(log).toContain(`(service web) (deployment ${failedId}) deployment failed: tasks failed to start.`);
    expect(log.some((m) => /^\(service web\) rolling back to deployment ecs-svc\/\d{19}\.$/.test(m))).toBe(
      true,
    );
    // the failed tasks tell why
    const stopped = await e.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    const tasks = await e.ecs.send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.taskArns ?? [] }),
    );
    const failed = (tasks.tasks ?? []).filter((t) => t.stopCode === 'TaskFailedToStart');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]?.stoppedReason).toMatch(/^CannotPullContainerError: .*registry\.example\/broken:2/);
  });

  it('while rolling back, the failed deployment is ACTIVE with rolloutState FAILED', async () => {
    const e = env();
    await givenBrokenUpdate(e, true);
    const during = await stepUntil(
      e,
      (s) => (s.deployments ?? []).some((d) => d.rolloutState === 'FAILED'),
      () => {},
    );
    const failed = during.deployments?.find((d) => d.rolloutState === 'FAILED');
    expect(failed).toMatchObject({
      status: 'ACTIVE',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(failed?.failedTasks).toBeGreaterThanOrEqual(3);
    expect(during.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(during.deployments?.[0]?.rolloutStateReason).toMatch(
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d{19}\.$/,
    );
  });

  it('without rollback marks the deployment FAILED and launches no more tasks', async () => {
    const e = env();
    await givenBrokenUpdate(e, false);
    const failed = await stepUntil(
      e,
      (s) => s.deployments?.[0]?.rolloutState === 'FAILED',
      () => {},
    );
    const failedTasks = failed.deployments?.[0]?.failedTasks;
    e.advance(120);
    const later = await describeService(e.ecs);
    expect(later.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED', failedTasks });
    expect(later.deployments?.[1]?.taskDefinition).toMatch(/web:1$/);
    expect(later.runningCount).toBe(2);
  });

  it('without a circuit breaker keeps retrying and stays IN_PROGRESS', async () => {
    const e = env();
    await givenBrokenUpdate(e, undefined);
    e.advance(60);
    const service = await describeService(e.ecs);
    expect(service.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    expect(service.deployments?.[0]?.failedTasks).toBeGreaterThan(10);
    expect(service.runningCount).toBe(2);
  });
});
