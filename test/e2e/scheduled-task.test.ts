// End-to-end: a ScheduledTask created in EventBridge Scheduler, changed in Git, disabled behind
// Git's back (detected, then healed), firing on the emulator's clock, and pruned.
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { type Harness, startHarness, waitForStatus } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function nightly(expression: string): string {
  return `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: report}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: report
      image: example/report:1
      environment: [{name: EMULATOR_EXIT_CODE, value: "0"}]
---
apiVersion: ecs-gitops/v1
kind: ScheduledTask
metadata: {name: nightly-report}
spec:
  scheduleExpression: ${expression}
  scheduleExpressionTimezone: Europe/Berlin
  description: the nightly report
  target:
    cluster: batch
    taskDefinition: report
    roleArn: arn:aws:iam::123456789012:role/ecs-gitops-scheduler
    launchType: FARGATE
    networkConfiguration:
      awsvpcConfiguration: {subnets: [subnet-0a1b2c3d4e5f60001], securityGroups: [sg-0a1b2c3d4e5f60001]}
    tags: {team: reports}
`;
}

const statusOf = (h: Harness) =>
  h.app.store.snapshot().resources.find((r) => r.key === 'ScheduledTask/nightly-report');

describe('ScheduledTask, end to end', () => {
  it('is created in the controller’s schedule group, follows Git, reports and heals a disable, runs tasks and is pruned', async () => {
    harness = await startHarness({ prune: true }, { omit: ['nightly-report.yaml'] });
    const h = harness;
    const scheduler = new SchedulerClient({
      endpoint: h.emulator.url,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
    });
    await waitForStatus(
      h.app,
      (s) => s.resources.length === h.fleetResources && s.resources.every((r) => r.sync === 'Synced'),
    );

    await h.repo.commit({ 'manifests/nightly.yaml': nightly('cron(0 3 * * ? *)') }, 'nightly report');
    await waitForStatus(
      h.app,
      () => statusOf(h)?.sync === 'Synced' && statusOf(h)?.health === 'Healthy',
      30_000,
    );
    const created = await scheduler.send(
      new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
    );
    expect(created).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-prod',
        EcsParameters: { TaskCount: 1, LaunchType: 'FARGATE' },
      },
    });
    expect(created.Target?.EcsParameters?.TaskDefinitionArn).toMatch(/task-definition\/report:1$/);
    const group = await scheduler.send(
      new ListTagsForResourceCommand({
        ResourceArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule-group/ecs-gitops',
      }),
    );
    expect(group.Tags).toContainEqual({ Key: 'ecs-gitops/managed-by', Value: 'ecs-gitops' });

    // A change in Git updates the schedule (every minute: it fires at the emulator's speed).
    await h.repo.commit({ 'manifests/nightly.yaml': nightly('rate(1 minute)') }, 'report every minute');
    await waitForStatus(
      h.app,
      () => statusOf(h)?.sync === 'Synced' && statusOf(h)?.lastAppliedRevision !== undefined,
      30_000,
    );
    await waitFor(async () => {
      const got = await scheduler.send(
        new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
      );
      return got.ScheduleExpression === 'rate(1 minute)';
    });
    // It runs the task on the emulator's clock.
    let taskArns: string[] = [];
    await waitFor(async () => {
      const runs = (await h.emulator.admin('GET', '/_emulator/schedule-invocations')) as {
        invocations: Array<{ name: string; outcome: string; taskArns?: string[] }>;
      };
      const ok = runs.invocations.filter((i) => i.name === 'nightly-report' && i.outcome === 'SUCCEEDED');
      taskArns = ok[0]?.taskArns ?? [];
      return taskArns.length > 0;
    }, 20_000);
    const ran = await h.emulator.ecs.send(
      new DescribeTasksCommand({ cluster: 'batch-prod', tasks: taskArns }),
    );
    expect(ran.tasks?.[0]?.taskDefinitionArn).toMatch(/task-definition\/report:1$/);

    // Disabled behind Git's back: Drifted (the default policy only alerts), one DriftDetected.
    const live = await scheduler.send(
      new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
    );
    await scheduler.send(
      new UpdateScheduleCommand({
        Name: 'nightly-report',
        GroupName: 'ecs-gitops',
        ScheduleExpression: live.ScheduleExpression!,
        ScheduleExpressionTimezone: live.ScheduleExpressionTimezone,
        Description: live.Description,
        FlexibleTimeWindow: live.FlexibleTimeWindow!,
        Target: live.Target!,
        State: 'DISABLED',
      }),
    );
    await waitForStatus(h.app, () => statusOf(h)?.sync === 'Drifted', 20_000);
    expect(statusOf(h)?.diff).toContainEqual(
      expect.objectContaining({ path: 'state', desired: 'ENABLED', live: 'DISABLED' }),
    );
    const driftAlerts = () =>
      h.receiver.received
        .map((r) => JSON.parse(r.body) as { type?: string; event?: { type?: string; resource?: string } })
        .map((b) => b.event ?? b)
        .filter(
          (e) =>
            e.type === 'DriftDetected' &&
            (e as { resource?: string }).resource === 'ScheduledTask/nightly-report',
        );
    // The alert is delivered asynchronously; once it arrived, later resync passes send no second one.
    await waitFor(async () => driftAlerts().length > 0, 10_000);
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 2, 15_000);
    expect(driftAlerts()).toHaveLength(1);

    // A controller restarted with --drift heal tells it is drift (the record on the target) and heals it.
    await h.app.stop();
    await h.start({ prune: true, drift: 'heal' });
    await waitFor(async () => {
      const got = await scheduler.send(
        new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
      );
      return got.State === 'ENABLED';
    }, 20_000);
    await waitForStatus(h.app, () => statusOf(h)?.sync === 'Synced', 20_000);

    // Removed from Git: pruned.
    await h.repo.commit({}, 'no more reports', { remove: ['manifests/nightly.yaml'] });
    await waitFor(async () => {
      const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'ecs-gitops' }));
      return (listed.Schedules ?? []).length === 0;
    }, 20_000);
    scheduler.destroy();
  }, 150_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((done) => setTimeout(done, 100));
  }
}
