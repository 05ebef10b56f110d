// EventBridge Scheduler over its REST-JSON wire protocol: the real SDK client and the aws CLI.
import { DescribeTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { fargateTaskDefinition, givenCluster, schedulerClient } from './world.js';

const env = useTestEmulator();

const scheduler = () => schedulerClient(env().url);

const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/scheduler-runs-tasks';

function nightly(overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: 'nightly-report',
    GroupName: 'ecs-gitops',
    ScheduleExpression: 'cron(0 3 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: CLUSTER_ARN,
      RoleArn: ROLE_ARN,
      EcsParameters: {
        TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/report:1',
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          awsvpcConfiguration: { Subnets: ['subnet-0abc'], AssignPublicIp: 'DISABLED' },
        },
      },
    },
    ...overrides,
  };
}

async function givenReportTaskDefinition(exitCode = '0'): Promise<void> {
  const { ecs } = env();
  await givenCluster(ecs);
  await ecs.send(
    new RegisterTaskDefinitionCommand(
      fargateTaskDefinition('report', 'example/report:1', {
        containerDefinitions: [
          {
            name: 'report',
            image: 'example/report:1',
            environment: [{ name: 'EMULATOR_EXIT_CODE', value: exitCode }],
          },
        ],
      }),
    ),
  );
}

describe('EventBridge Scheduler', () => {
  it('creates a group with tags and a schedule in it; GetSchedule fills the documented defaults', async () => {
    const client = scheduler();
    const group = await client.send(
      new CreateScheduleGroupCommand({
        Name: 'ecs-gitops',
        Tags: [{ Key: 'ecs-gitops/managed-by', Value: 'prod' }],
      }),
    );
    expect(group.ScheduleGroupArn).toBe('arn:aws:scheduler:us-east-1:123456789012:schedule-group/ecs-gitops');
    const created = await client.send(new CreateScheduleCommand(nightly()));
    expect(created.ScheduleArn).toBe(
      'arn:aws:scheduler:us-east-1:123456789012:schedule/ecs-gitops/nightly-report',
    );
    const got = await client.send(
      new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
    );
    expect(got).toMatchObject({
      Name: 'nightly-report',
      GroupName: 'ecs-gitops',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: {
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        EcsParameters: { TaskCount: 1, LaunchType: 'FARGATE' },
      },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceArn: group.ScheduleGroupArn! }));
    expect(tags.Tags).toEqual([{ Key: 'ecs-gitops/managed-by', Value: 'prod' }]);
    await client.send(
      new TagResourceCommand({ ResourceArn: group.ScheduleGroupArn!, Tags: [{ Key: 'team', Value: 'web' }] }),
    );
    await client.send(
      new UntagResourceCommand({ ResourceArn: group.ScheduleGroupArn!, TagKeys: ['ecs-gitops/managed-by'] }),
    );
    expect(
      (await client.send(new ListTagsForResourceCommand({ ResourceArn: group.ScheduleGroupArn! }))).Tags,
    ).toEqual([{ Key: 'team', Value: 'web' }]);
  });

  it('refuses a duplicate name, a missing group, a bad expression, timezone, role and window', async () => {
    const client = scheduler();
    await client.send(new CreateScheduleGroupCommand({ Name: 'ecs-gitops' }));
    await client.send(new CreateScheduleCommand(nightly()));
    const duplicate = await client.send(new CreateScheduleCommand(nightly())).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect((duplicate as Error).message).toBe('Schedule nightly-report already exists.');
    const noGroup = await client
      .send(new CreateScheduleCommand(nightly({ GroupName: 'ghost' })))
      .catch((e: unknown) => e);
    expect(noGroup).toBeInstanceOf(ResourceNotFoundException);
    for (const bad of [
      { ScheduleExpression: 'cron(0 3 * * * *)' }, // both day fields set: one must be ?
      { ScheduleExpression: 'rate(0 minutes)' },
      { ScheduleExpression: 'every day' },
      { ScheduleExpressionTimezone: 'Mars/Olympus' },
      { Name: 'has space' },
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const } },
      { Target: { ...nightly().Target!, RoleArn: 'not-a-role' } },
    ]) {
      const error = await client
        .send(new CreateScheduleCommand(nightly({ Name: 'other', ...bad })))
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(bad)).toBeInstanceOf(ValidationException);
    }
    const badName = await client
      .send(new CreateScheduleCommand(nightly({ Name: 'has space' })))
      .catch((e: unknown) => e);
    expect((badName as Error).message).toBe(
      "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$",
    );
    const missing = await client
      .send(new GetScheduleCommand({ Name: 'ghost', GroupName: 'ecs-gitops' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Schedule ghost does not exist.');
  });

  it('UpdateSchedule replaces the whole schedule; ListSchedules filters by group, prefix and state', async () => {
    const client = scheduler();
    await client.send(new CreateScheduleGroupCommand({ Name: 'ecs-gitops' }));
    await client.send(new CreateScheduleCommand(nightly({ Description: 'the nightly report' })));
    await client.send(
      new CreateScheduleCommand(nightly({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' })),
    );
    await client.send(new CreateScheduleCommand(nightly({ Name: 'elsewhere', GroupName: undefined })));
    await client.send(
      new UpdateScheduleCommand({ ...nightly({ State: 'DISABLED' }), Description: undefined }),
    );
    const got = await client.send(
      new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'ecs-gitops' }),
    );
    expect(got.State).toBe('DISABLED');
    expect(got.Description).toBeUndefined();
    const inGroup = await client.send(new ListSchedulesCommand({ GroupName: 'ecs-gitops' }));
    expect(inGroup.Schedules?.map((s) => s.Name)).toEqual(['hourly', 'nightly-report']);
    const disabled = await client.send(new ListSchedulesCommand({ State: 'DISABLED' }));
    expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['nightly-report']);
    const prefixed = await client.send(new ListSchedulesCommand({ NamePrefix: 'else' }));
    expect(prefixed.Schedules?.[0]).toMatchObject({
      Name: 'elsewhere',
      GroupName: 'default',
      Target: { Arn: CLUSTER_ARN },
    });
    const paged = await client.send(new ListSchedulesCommand({ MaxResults: 2 }));
    expect(paged.Schedules).toHaveLength(2);
    const rest = await client.send(new ListSchedulesCommand({ MaxResults: 2, NextToken: paged.NextToken }));
    expect(rest.Schedules).toHaveLength(1);
    await client.send(new DeleteScheduleCommand({ Name: 'hourly', GroupName: 'ecs-gitops' }));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'ecs-gitops' }));
    expect((await client.send(new ListSchedulesCommand({}))).Schedules?.map((s) => s.Name)).toEqual([
      'elsewhere',
    ]);
  });

  it('given a cron schedule in Europe/Berlin, when the clock passes 03:00 there, then it runs the task', async () => {
    const { ecs, advance, admin } = env();
    await givenReportTaskDefinition('0');
    const client = scheduler();
    await client.send(new CreateScheduleGroupCommand({ Name: 'ecs-gitops' }));
    const clock = (await admin('GET', '/_emulator/clock')) as { epochSeconds: number };
    await client.send(new CreateScheduleCommand(nightly()));
    const next = new Date(clock.epochSeconds * 1000);
    type Runs = {
      invocations: Array<{ name: string; outcome: string; invokedAt: string; taskArns: string[] }>;
    };
    const invocations = async () =>
      ((await admin('GET', '/_emulator/schedule-invocations')) as Runs).invocations;
    // Hour by hour until 03:00 Berlin has passed (at most a day), then long enough for the task to exit.
    for (let hour = 0; hour < 25 && (await invocations()).length === 0; hour++) advance(3600);
    advance(15);
    const runs = { invocations: await invocations() };
    expect(runs.invocations.length).toBeGreaterThanOrEqual(1);
    const first = runs.invocations[0]!;
    expect(first).toMatchObject({ name: 'nightly-report', outcome: 'SUCCEEDED' });
    expect(new Date(first.invokedAt).getTime()).toBeGreaterThan(next.getTime());
    const berlinHour = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(first.invokedAt));
    expect(berlinHour).toBe('03:00');
    const task = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: first.taskArns }));
    expect(task.tasks?.[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(task.tasks?.[0]?.containers?.[0]?.exitCode).toBe(0);
  });

  it('given a disabled or rate schedule, then runs follow its state and period; a failing target is recorded', async () => {
    const { advance, admin } = env();
    await givenReportTaskDefinition('0');
    const client = scheduler();
    await client.send(new CreateScheduleGroupCommand({ Name: 'ecs-gitops' }));
    await client.send(
      new CreateScheduleCommand(nightly({ Name: 'every-10', ScheduleExpression: 'rate(10 minutes)' })),
    );
    await client.send(
      new CreateScheduleCommand(
        nightly({ Name: 'off', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED' }),
      ),
    );
    await client.send(
      new CreateScheduleCommand(
        nightly({
          Name: 'broken',
          ScheduleExpression: 'rate(30 minutes)',
          Target: { ...nightly().Target!, Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost' },
        }),
      ),
    );
    advance(30 * 60);
    const { invocations } = (await admin('GET', '/_emulator/schedule-invocations')) as {
      invocations: Array<{ name: string; outcome: string; error?: string }>;
    };
    expect(invocations.filter((i) => i.name === 'every-10').map((i) => i.outcome)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    expect(invocations.some((i) => i.name === 'off')).toBe(false);
    expect(invocations.find((i) => i.name === 'broken')).toMatchObject({
      outcome: 'FAILED',
      error: 'ClusterNotFoundException: Cluster not found.',
    });
  });

  it('an at() schedule with ActionAfterCompletion DELETE runs once and is deleted', async () => {
    const { advance, admin } = env();
    await givenReportTaskDefinition('0');
    const client = scheduler();
    const clock = (await admin('GET', '/_emulator/clock')) as { epochSeconds: number };
    const at = new Date((Math.floor(clock.epochSeconds) + 3600) * 1000).toISOString().slice(0, 19);
    await client.send(
      new CreateScheduleCommand(
        nightly({
          Name: 'once',
          GroupName: undefined,
          ScheduleExpression: `at(${at})`,
          ScheduleExpressionTimezone: 'UTC',
          ActionAfterCompletion: 'DELETE',
        }),
      ),
    );
    advance(3599);
    expect(
      ((await admin('GET', '/_emulator/schedule-invocations')) as { invocations: unknown[] }).invocations,
    ).toEqual([]);
    advance(2);
    const { invocations } = (await admin('GET', '/_emulator/schedule-invocations')) as {
      invocations: unknown[];
    };
    expect(invocations).toHaveLength(1);
    const gone = await client.send(new GetScheduleCommand({ Name: 'once' })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it.skipIf(!hasAwsCli)(
    'the aws CLI creates, gets, lists and deletes a schedule',
    async () => {
      const { url } = env();
      const aws = (...args: string[]) => awsCli(url, 'us-east-1', 'scheduler', ...args);
      await aws('create-schedule-group', '--name', 'ecs-gitops', '--tags', 'Key=team,Value=web');
      const created = await aws(
        'create-schedule',
        '--name',
        'nightly',
        '--group-name',
        'ecs-gitops',
        '--schedule-expression',
        'cron(30 2 ? * MON-FRI *)',
        '--flexible-time-window',
        'Mode=FLEXIBLE,MaximumWindowInMinutes=15',
        '--target',
        JSON.stringify({
          Arn: CLUSTER_ARN,
          RoleArn: ROLE_ARN,
          EcsParameters: { TaskDefinitionArn: 'report:1', TaskCount: 2 },
        }),
      );
      expect(created.ScheduleArn).toBe(
        'arn:aws:scheduler:us-east-1:123456789012:schedule/ecs-gitops/nightly',
      );
      const got = await aws('get-schedule', '--name', 'nightly', '--group-name', 'ecs-gitops');
      expect(got).toMatchObject({
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: { EcsParameters: { TaskCount: 2 } },
      });
      const listed = (await aws('list-schedules', '--group-name', 'ecs-gitops')) as {
        Schedules: Array<{ Name: string }>;
      };
      expect(listed.Schedules.map((s) => s.Name)).toEqual(['nightly']);
      await expect(aws('get-schedule', '--name', 'ghost')).rejects.toThrow(
        /ResourceNotFoundException.*Schedule ghost does not exist/,
      );
      await aws('delete-schedule', '--name', 'nightly', '--group-name', 'ecs-gitops');
      expect(((await aws('list-schedules')) as { Schedules: unknown[] }).Schedules).toEqual([]);
    },
    90_000,
  ); // seven aws CLI processes: slow on a loaded machine
});
