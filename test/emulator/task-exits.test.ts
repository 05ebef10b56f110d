// Tasks that run to completion: exit codes on the emulator clock, and RunTask clientToken idempotency.
import {
  ConflictException,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { errorOf, fargateTaskDefinition, givenCluster, NETWORK } from './world.js';

const env = useTestEmulator();

async function givenMigration(ecs: ECSClient, exitCode: string | undefined, extra = {}): Promise<void> {
  await ecs.send(
    new RegisterTaskDefinitionCommand(
      fargateTaskDefinition('migrate', 'example/migrate:1', {
        containerDefinitions: [
          {
            name: 'migrate',
            image: 'example/migrate:1',
            environment: exitCode === undefined ? [] : [{ name: 'EMULATOR_EXIT_CODE', value: exitCode }],
          },
        ],
        ...extra,
      }),
    ),
  );
}

const run = (ecs: ECSClient, input: Partial<ConstructorParameters<typeof RunTaskCommand>[0]> = {}) =>
  ecs.send(
    new RunTaskCommand({
      cluster: 'prod',
      taskDefinition: 'migrate',
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...input,
    }),
  );

async function describe1(ecs: ECSClient, arn: string): Promise<Task> {
  const out = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }));
  return out.tasks![0]!;
}

describe('tasks that exit', () => {
  it('given EMULATOR_EXIT_CODE=0, when the task has run 5 seconds, then it stops with exitCode 0 and EssentialContainerExited', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '0');
    const arn = (await run(ecs)).tasks![0]!.taskArn!;
    advance(5); // provisioning 2 + pending 3
    expect((await describe1(ecs, arn)).lastStatus).toBe('RUNNING');
    advance(4);
    expect((await describe1(ecs, arn)).containers![0]!.exitCode).toBeUndefined();
    advance(1);
    const stopping = await describe1(ecs, arn);
    expect(stopping).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(stopping.containers![0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    advance(2);
    const stopped = await describe1(ecs, arn);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    expect(listed.taskArns).toEqual([arn]);
  });

  it('given a containerOverride with EMULATOR_EXIT_CODE=3 and EMULATOR_RUN_SECONDS=30, then the override wins', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '0');
    const out = await run(ecs, {
      overrides: {
        containerOverrides: [
          {
            name: 'migrate',
            environment: [
              { name: 'EMULATOR_EXIT_CODE', value: '3' },
              { name: 'EMULATOR_RUN_SECONDS', value: '30' },
            ],
          },
        ],
      },
    });
    const arn = out.tasks![0]!.taskArn!;
    advance(5 + 29);
    expect((await describe1(ecs, arn)).desiredStatus).toBe('RUNNING');
    advance(1 + 2);
    const stopped = await describe1(ecs, arn);
    expect(stopped).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(stopped.containers![0]!.exitCode).toBe(3);
  });

  it('given a non-essential sidecar that exits, then the task keeps running; the stop terminates the rest with 143', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateTaskDefinition('migrate', 'x', {
          containerDefinitions: [
            {
              name: 'migrate',
              image: 'example/migrate:1',
              environment: [
                { name: 'EMULATOR_EXIT_CODE', value: '1' },
                { name: 'EMULATOR_RUN_SECONDS', value: '20' },
              ],
            },
            {
              name: 'init',
              image: 'busybox',
              essential: false,
              environment: [{ name: 'EMULATOR_EXIT_CODE', value: '0' }],
            },
            { name: 'log-router', image: 'fluent-bit', essential: false },
          ],
        }),
      ),
    );
    const arn = (await run(ecs)).tasks![0]!.taskArn!;
    advance(5 + 5);
    const afterInit = await describe1(ecs, arn);
    expect(afterInit.desiredStatus).toBe('RUNNING');
    expect(afterInit.containers!.find((c) => c.name === 'init')).toMatchObject({
      lastStatus: 'STOPPED',
      exitCode: 0,
    });
    advance(15 + 2);
    const stopped = await describe1(ecs, arn);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(Object.fromEntries(stopped.containers!.map((c) => [c.name, c.exitCode]))).toEqual({
      migrate: 1,
      init: 0,
      'log-router': 143,
    });
  });

  it('given no exit variable, then the task runs until it is stopped', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, undefined);
    const arn = (await run(ecs)).tasks![0]!.taskArn!;
    advance(3600);
    expect((await describe1(ecs, arn)).lastStatus).toBe('RUNNING');
  });
});

describe('RunTask clientToken', () => {
  it('given a retry with the same token and parameters, then it returns the original tasks and starts none', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '0');
    const first = await run(ecs, { clientToken: 'rev-abc/migrate' });
    advance(3);
    const again = await run(ecs, { clientToken: 'rev-abc/migrate' });
    expect(again.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn));
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'prod' }));
    expect(listed.taskArns).toHaveLength(1);
  });

  it('given the same token with a different parameter, then ConflictException names the tasks it started', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '0');
    const first = await run(ecs, { clientToken: 'token-1' });
    const error = await run(ecs, { clientToken: 'token-1', count: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).resourceIds).toEqual([first.tasks![0]!.taskArn]);
  });

  it('scopes a token to its cluster and forgets it after 24 hours', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenCluster(ecs, 'batch');
    await givenMigration(ecs, '0');
    await run(ecs, { clientToken: 'nightly' });
    const other = await run(ecs, { cluster: 'batch', clientToken: 'nightly' });
    expect(other.tasks).toHaveLength(1);
    advance(24 * 3600 + 1);
    const later = await run(ecs, { clientToken: 'nightly', count: 2 });
    expect(later.tasks).toHaveLength(2);
  });

  it('rejects a token longer than 64 characters or outside ASCII 33-126', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '0');
    expect(await errorOf(run(ecs, { clientToken: 'x'.repeat(65) }))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await errorOf(run(ecs, { clientToken: 'has space' }))).toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it.skipIf(!hasAwsCli)('the aws CLI sees the exit code and the ConflictException', async () => {
    const { ecs, advance, url } = env();
    await givenCluster(ecs);
    await givenMigration(ecs, '2');
    const args = [
      'ecs',
      'run-task',
      '--cluster',
      'prod',
      '--task-definition',
      'migrate',
      '--launch-type',
      'FARGATE',
      '--network-configuration',
      'awsvpcConfiguration={subnets=[subnet-0abc]}',
      '--client-token',
      'cli-token',
    ];
    const out = (await awsCli(url, 'us-east-1', ...args)) as { tasks: Array<{ taskArn: string }> };
    const arn = out.tasks[0]!.taskArn;
    await expect(awsCli(url, 'us-east-1', ...args, '--count', '2')).rejects.toThrow(/ConflictException/);
    advance(12);
    const described = (await awsCli(
      url,
      'us-east-1',
      'ecs',
      'describe-tasks',
      '--cluster',
      'prod',
      '--tasks',
      arn,
    )) as {
      tasks: Array<{ lastStatus: string; stopCode: string; containers: Array<{ exitCode: number }> }>;
    };
    expect(described.tasks[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(described.tasks[0]!.containers[0]!.exitCode).toBe(2);
  });
});
