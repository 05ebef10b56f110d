// `import` and the controller's EventBridge Scheduler group: its schedules become ScheduledTask
// manifests (the Scheduler's defaults left out, the cluster and task definition as references),
// diff is in sync but for the adoption, apply writes only the ownership record, and the controller's
// own bookkeeping clusters (hook ledger, lease anchor) are not imported with --all-clusters.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, TEST_REGION, useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ROLE = 'arn:aws:iam::123456789012:role/scheduler-runs-tasks';
const cli = (...args: string[]) =>
  runCliCaptured([...args, '--endpoint-url', env().url], { env: { AWS_REGION: 'us-east-1' } });

describe('import of the controller’s schedule group', () => {
  it('given schedules made with the SDK, when imported, then they are ScheduledTasks that diff in sync and apply only adopts', async () => {
    const { ecs, url } = env();
    const scheduler = new SchedulerClient({
      endpoint: url,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
    });
    const cluster = await ecs.send(new CreateClusterCommand({ clusterName: 'batch' }));
    // The controller's own hook ledger: bookkeeping, not part of the estate.
    await ecs.send(
      new CreateClusterCommand({
        clusterName: 'ecs-gitops-hooks-ecs-gitops',
        tags: [{ key: 'ecs-gitops/hooks-for', value: 'ecs-gitops' }],
      }),
    );
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'report',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'report', image: 'example/report:1' }],
      }),
    );
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'ecs-gitops' }));
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'other-team' }));
    const target = {
      Arn: cluster.cluster!.clusterArn!,
      RoleArn: ROLE,
      EcsParameters: {
        TaskDefinitionArn: td.taskDefinition!.taskDefinitionArn!,
        LaunchType: 'FARGATE' as const,
        NetworkConfiguration: {
          awsvpcConfiguration: {
            Subnets: ['subnet-0a1b2c3d4e5f60001'],
            SecurityGroups: ['sg-0a1b2c3d4e5f60001'],
          },
        },
      },
    };
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'nightly-report',
        GroupName: 'ecs-gitops',
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        Description: "yesterday's orders",
        StartDate: new Date('2027-01-01T00:00:00Z'),
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: {
          ...target,
          Input: JSON.stringify({
            containerOverrides: [{ name: 'report', command: ['./report', '--yesterday'] }],
          }),
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq' },
          EcsParameters: { ...target.EcsParameters, Tags: [{ team: 'reports' }] },
        },
      }),
    );
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'weekly_cleanup',
        GroupName: 'ecs-gitops',
        ScheduleExpression: 'rate(7 days)',
        State: 'DISABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: target,
      }),
    );
    // Another team's group is not this controller's.
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'theirs',
        GroupName: 'other-team',
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: target,
      }),
    );

    const out = mkdtempSync(join(tmpdir(), 'ecs-gitops-import-schedules-'));
    dirs.push(out);
    const imported = await cli('import', '--all-clusters', '--out', out);
    expect(imported.stderr).not.toMatch(/error/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /wrote +\S*schedules\/nightly-report\.yaml +\(ScheduledTask\/nightly-report\)/,
    );
    expect(imported.stdout).toMatch(/\(ScheduledTask\/weekly-cleanup\)/);
    expect(imported.stdout).not.toMatch(/theirs|ecs-gitops-hooks/);

    const nightly = load(readFileSync(join(out, 'schedules', 'nightly-report.yaml'), 'utf8'));
    expect(nightly).toEqual({
      apiVersion: 'ecs-gitops/v1',
      kind: 'ScheduledTask',
      metadata: { name: 'nightly-report', annotations: { 'ecs-gitops/adopt': 'true' } },
      spec: {
        scheduleExpression: 'cron(0 3 * * ? *)',
        scheduleExpressionTimezone: 'Europe/Berlin',
        description: "yesterday's orders",
        startDate: '2027-01-01T00:00:00Z',
        flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 },
        target: expect.objectContaining({
          cluster: 'batch',
          taskDefinition: 'report:1',
          roleArn: ROLE,
          launchType: 'FARGATE',
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: ['subnet-0a1b2c3d4e5f60001'],
              securityGroups: ['sg-0a1b2c3d4e5f60001'],
            },
          },
          overrides: { containerOverrides: [{ name: 'report', command: ['./report', '--yesterday'] }] },
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
          deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq' },
          tags: { team: 'reports' },
        }),
      },
    });
    const weekly = load(readFileSync(join(out, 'schedules', 'weekly-cleanup.yaml'), 'utf8')) as {
      spec: Record<string, unknown>;
    };
    // The schedule's own name is kept where the manifest name cannot carry it; defaults stay out.
    expect(weekly.spec).toEqual({
      scheduleName: 'weekly_cleanup',
      scheduleExpression: 'rate(7 days)',
      state: 'DISABLED',
      target: expect.not.objectContaining({ retryPolicy: expect.anything(), taskCount: expect.anything() }),
    });

    // diff: in sync but for the adoption; apply writes the record; then nothing is left.
    expect((await cli('diff', '--path', out)).code).toBe(0);
    const applied = await cli('apply', '--path', out);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/ScheduledTask\/nightly-report/);
    const after = await cli('diff', '--path', out, '--output', 'json');
    expect(after.code).toBe(0);
    const plan = JSON.parse(after.stdout) as { entries: Array<{ key: string; action: string }> };
    expect(plan.entries.filter((e) => e.key.startsWith('ScheduledTask/'))).toEqual([
      expect.objectContaining({ key: 'ScheduledTask/nightly-report', action: 'noop' }),
      expect.objectContaining({ key: 'ScheduledTask/weekly-cleanup', action: 'noop' }),
    ]);
  });
});
