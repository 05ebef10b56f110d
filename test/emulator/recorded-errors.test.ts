// Error codes and messages as AWS answers them, each from a documented or recorded source (named
// beside the case), so a client that matches on them behaves the same against the emulator.
import {
  DescribeTasksCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { CreateScheduleCommand, DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { errorOf, fargateTaskDefinition, givenCluster, NETWORK, schedulerClient } from './world.js';

const env = useTestEmulator();

const scheduler = () => schedulerClient(env().url);

async function givenJob(ecs: ECSClient): Promise<void> {
  await givenCluster(ecs);
  await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('job')));
}

const runJob = (ecs: ECSClient, input: { clientToken?: string; count?: number } = {}) =>
  ecs.send(
    new RunTaskCommand({
      cluster: 'prod',
      taskDefinition: 'job',
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...input,
    }),
  );

describe('ECS RunTask and DescribeTasks errors', () => {
  it('given a clientToken reused with other parameters, then ConflictException says what the API reference documents', async () => {
    // ECS API Reference, ConflictException: "The RunTask request could not be processed due to conflicts. …"
    const { ecs } = env();
    await givenJob(ecs);
    await runJob(ecs, { clientToken: 'release-42' });
    expect(await errorOf(runJob(ecs, { clientToken: 'release-42', count: 2 }))).toEqual({
      name: 'ConflictException',
      message:
        'The RunTask request could not be processed due to conflicts. The provided clientToken is already in use with a different RunTask request. The resourceIds are the existing task ARNs which are already associated with the clientToken.',
      status: 400,
    });
  });

  it('given more than 100 tasks to describe, then InvalidParameterException names taskIds, as ECS does', async () => {
    // As ECS answers it (reported in gchq/sleeper#555): "taskIds can have at most 100 items."
    const { ecs } = env();
    await givenCluster(ecs);
    const tasks = Array.from({ length: 101 }, (_, i) => `${String(i).padStart(32, '0')}`);
    expect(await errorOf(ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks })))).toEqual({
      name: 'InvalidParameterException',
      message: 'taskIds can have at most 100 items.',
      status: 400,
    });
  });
});

describe('EventBridge Scheduler errors', () => {
  const target = {
    Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    RoleArn: 'arn:aws:iam::123456789012:role/scheduler-runs-tasks',
    EcsParameters: { TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/job:1' },
  };

  // Recorded against AWS in localstack's tests/aws/services/scheduler/test_scheduler.snapshot.json.
  it.each([
    'cron(0 1 * * * *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron()',
    'rate(10 seconds)',
    'rate(10 years)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(-10 minutes)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'at(2021-12-31T23:59:59Z)',
    'at(2021-12-31)',
  ])(
    'given the expression %j, then CreateSchedule answers ValidationException "Invalid Schedule Expression …."',
    async (expression) => {
      const error = await errorOf(
        scheduler().send(
          new CreateScheduleCommand({
            Name: 'bad',
            ScheduleExpression: expression,
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: target,
          }),
        ),
      );
      expect(error).toEqual({
        name: 'ValidationException',
        message: `Invalid Schedule Expression ${expression}.`,
        status: 400,
      });
    },
  );

  it('given a schedule that does not exist, then DeleteSchedule answers 404 ResourceNotFoundException', async () => {
    // Recorded against AWS (same snapshot file, test_delete_schedule_not_found).
    expect(
      await errorOf(scheduler().send(new DeleteScheduleCommand({ Name: 'not-existing-schedule-name' }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Schedule not-existing-schedule-name does not exist.',
      status: 404,
    });
  });
});
