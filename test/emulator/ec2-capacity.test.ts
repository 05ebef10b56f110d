// EC2 capacity as ECS runs it: container instances, placement with CPU / memory / port accounting,
// constraints and strategies, unplaced-task events, DRAINING, attributes and StartTask.
import {
  CreateServiceCommand,
  DeleteAttributesCommand,
  DeleteClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  type Resource,
  RunTaskCommand,
  StartTaskCommand,
  type Task,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { type TestEmulator, useTestEmulator } from '../helpers/emulator.js';
import { addInstances, describeService, ec2TaskDefinition, errorOf, givenCluster } from './world.js';

const env = useTestEmulator();

const resource = (list: readonly Resource[] | undefined, name: string) => list?.find((r) => r.name === name);

async function tasksOf(e: TestEmulator, service = 'api'): Promise<Task[]> {
  const arns =
    (await e.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: service }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await e.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? [];
}

function perInstance(tasks: readonly Task[]): number[] {
  const counts = new Map<string, number>();
  for (const task of tasks)
    counts.set(task.containerInstanceArn ?? '-', (counts.get(task.containerInstanceArn ?? '-') ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

describe('container instances', () => {
  it('registers an instance the way the agent does and describes its resources, versions and attributes', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    const registered = await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: 'prod',
        instanceIdentityDocument: JSON.stringify({
          instanceId: 'i-0abc1234def567890',
          instanceType: 't3.large',
          availabilityZone: 'us-east-1b',
        }),
        instanceIdentityDocumentSignature: 'c2lnbmF0dXJl',
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 7842 },
        ],
        versionInfo: {
          agentVersion: '1.90.0',
          agentHash: 'deadbeef',
          dockerVersion: 'DockerVersion: 25.0.8',
        },
        attributes: [{ name: 'team', value: 'web' }],
      }),
    );
    const arn = registered.containerInstance?.containerInstanceArn ?? '';
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:container-instance\/prod\/[0-9a-f]{32}$/);

    const described = await ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: [arn, 'ghost'] }),
    );
    const instance = described.containerInstances?.[0];
    expect(instance).toMatchObject({
      ec2InstanceId: 'i-0abc1234def567890',
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      versionInfo: { agentVersion: '1.90.0', dockerVersion: 'DockerVersion: 25.0.8' },
    });
    expect(resource(instance?.registeredResources, 'CPU')?.integerValue).toBe(2048);
    expect(resource(instance?.registeredResources, 'MEMORY')?.integerValue).toBe(7842);
    expect(resource(instance?.registeredResources, 'PORTS')?.stringSetValue).toEqual([
      '22',
      '2375',
      '2376',
      '51678',
      '51679',
    ]);
    expect(resource(instance?.registeredResources, 'PORTS_UDP')?.stringSetValue).toEqual([]);
    const attributes = Object.fromEntries((instance?.attributes ?? []).map((a) => [a.name, a.value]));
    expect(attributes).toMatchObject({
      'ecs.instance-type': 't3.large',
      'ecs.availability-zone': 'us-east-1b',
      'ecs.os-type': 'linux',
      team: 'web',
    });
    expect(described.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ghost', reason: 'MISSING' },
    ]);
  });

  it('lists by status and by the cluster query language', async () => {
    const e = env();
    await givenCluster(e.ecs);
    const [small] = await addInstances(e.admin, {
      cluster: 'prod',
      instanceType: 't3.small',
      availabilityZone: 'us-east-1a',
    });
    const [large] = await addInstances(e.admin, {
      cluster: 'prod',
      instanceType: 'm5.large',
      availabilityZone: 'us-east-1b',
    });
    const list = async (input: { status?: 'ACTIVE' | 'DRAINING'; filter?: string }) =>
      (await e.ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', ...input })))
        .containerInstanceArns;
    expect(await list({})).toEqual([small?.containerInstanceArn, large?.containerInstanceArn]);
    expect(await list({ filter: 'attribute:ecs.instance-type == t3.small' })).toEqual([
      small?.containerInstanceArn,
    ]);
    expect(await list({ filter: 'attribute:ecs.availability-zone in [us-east-1b, us-east-1c]' })).toEqual([
      large?.containerInstanceArn,
    ]);
    expect(
      await list({
        filter: 'attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone != us-east-1a',
      }),
    ).toEqual([]);
    await e.ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: 'prod',
        containerInstances: [large?.containerInstanceArn ?? ''],
        status: 'DRAINING',
      }),
    );
    expect(await list({ status: 'DRAINING' })).toEqual([large?.containerInstanceArn]);
    expect(await errorOf(list({ filter: 'attribute:ecs.instance-type ==' }))).toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('EC2 placement', () => {
  async function givenEc2Service(e: TestEmulator, desiredCount: number, extra: Record<string, unknown> = {}) {
    await e.ecs.send(new RegisterTaskDefinitionCommand(ec2TaskDefinition('api')));
    await e.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'api',
        taskDefinition: 'api',
        desiredCount,
        launchType: 'EC2',
        placementStrategy: [{ type: 'binpack', field: 'memory' }],
        ...extra,
      }),
    );
  }

  it('binpacks by memory, reports unplaced tasks with ECS wording, and converges when capacity is added', async () => {
    const e = env();
    await givenCluster(e.ecs);
    // two instances with room for two 1024 MiB tasks each
    const [first, second] = await addInstances(e.admin, {
      cluster: 'prod',
      count: 2,
      cpu: 2048,
      memory: 2048,
    });
    await givenEc2Service(e, 3);
    e.advance(10);
    let tasks = await tasksOf(e);
    expect(tasks.every((t) => t.lastStatus === 'RUNNING' && t.launchType === 'EC2')).toBe(true);
    expect(perInstance(tasks)).toEqual([2, 1]);
    // binpack fills the first instance before the second
    expect(tasks.filter((t) => t.containerInstanceArn === first?.containerInstanceArn)).toHaveLength(2);
    const described = await e.ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod',
        containerInstances: [first?.containerInstanceArn ?? '', second?.containerInstanceArn ?? ''],
      }),
    );
    expect(
      described.containerInstances?.map((i) => resource(i.remainingResources, 'MEMORY')?.integerValue),
    ).toEqual([0, 1024]);
    expect(
      described.containerInstances?.map((i) => resource(i.remainingResources, 'CPU')?.integerValue),
    ).toEqual([1536, 1792]);
    expect(described.containerInstances?.map((i) => i.runningTasksCount)).toEqual([2, 1]);

    // when scaled past capacity
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 5 }));
    e.advance(10);
    let service = await describeService(e.ecs, 'api');
    expect(service.runningCount).toBe(4);
    expect(service.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    const unplaced = service.events?.filter((event) => event.message?.includes('was unable to place a task'));
    expect(unplaced).toHaveLength(1); // ECS omits the duplicates
    expect(unplaced?.[0]?.message).toMatch(
      /^\(service api\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) has insufficient memory available\. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\.$/,
    );

    // then adding an instance lets the scheduler place the fifth task
    await addInstances(e.admin, { cluster: 'prod', cpu: 2048, memory: 2048 });
    e.advance(10);
    service = await describeService(e.ecs, 'api');
    expect(service.runningCount).toBe(5);
    tasks = await tasksOf(e);
    expect(perInstance(tasks)).toEqual([2, 2, 1]);
  });

  it('keeps a new deployment IN_PROGRESS while its tasks cannot be placed', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await givenEc2Service(e, 2);
    e.advance(10);
    const service = await describeService(e.ecs, 'api');
    expect(service.runningCount).toBe(0);
    expect(service.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    expect(service.events?.[0]?.message).toBe(
      '(service api) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    await addInstances(e.admin, { cluster: 'prod' });
    e.advance(10);
    const after = await describeService(e.ecs, 'api');
    expect(after.runningCount).toBe(2);
    expect(after.deployments?.[0]?.rolloutState).toBe('COMPLETED');
  });

  it('accounts for static host ports and honours distinctInstance and memberOf', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await addInstances(e.admin, { cluster: 'prod', availabilityZone: 'us-east-1a' });
    await addInstances(e.admin, { cluster: 'prod', availabilityZone: 'us-east-1b' });
    // host port 8080: one task per instance at most
    await e.ecs.send(
      new RegisterTaskDefinitionCommand(ec2TaskDefinition('ported', {}, { memory: 256, hostPort: 8080 })),
    );
    await e.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'ported',
        taskDefinition: 'ported',
        desiredCount: 3,
        launchType: 'EC2',
      }),
    );
    e.advance(10);
    const ported = await describeService(e.ecs, 'ported');
    expect(ported.runningCount).toBe(2);
    expect(ported.events?.[0]?.message).toContain('is already using a port required by your task.');

    // memberOf: only us-east-1b; distinctInstance: one per instance
    await e.ecs.send(new RegisterTaskDefinitionCommand(ec2TaskDefinition('zonal', {}, { memory: 256 })));
    await e.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'zonal',
        taskDefinition: 'zonal',
        desiredCount: 2,
        launchType: 'EC2',
        placementConstraints: [
          { type: 'memberOf', expression: 'attribute:ecs.availability-zone == us-east-1b' },
          { type: 'distinctInstance' },
        ],
      }),
    );
    e.advance(10);
    const zonal = await describeService(e.ecs, 'zonal');
    expect(zonal.runningCount).toBe(1);
    expect(zonal.events?.[0]?.message).toContain('does not match the placement constraints of your task.');
    const tasks = await tasksOf(e, 'zonal');
    expect(tasks.map((t) => t.availabilityZone)).toEqual(['us-east-1b']);
    expect(
      await errorOf(
        e.ecs.send(
          new CreateServiceCommand({
            cluster: 'prod',
            serviceName: 'bad',
            taskDefinition: 'zonal',
            launchType: 'EC2',
            placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type ~~ x' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('moves service tasks off a DRAINING instance within minimumHealthyPercent', async () => {
    const e = env();
    await givenCluster(e.ecs);
    const [first] = await addInstances(e.admin, { cluster: 'prod', cpu: 2048, memory: 2048 });
    await givenEc2Service(e, 2);
    e.advance(10);
    const [second] = await addInstances(e.admin, { cluster: 'prod', cpu: 2048, memory: 2048 });
    expect(perInstance(await tasksOf(e))).toEqual([2]);

    await e.ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: 'prod',
        containerInstances: [first?.containerInstanceArn ?? ''],
        status: 'DRAINING',
      }),
    );
    // replacements start on the other instance first; the drained ones stop once they run
    e.advance(1);
    const during = await describeService(e.ecs, 'api');
    expect(during.runningCount).toBe(2);
    e.advance(20);
    const tasks = await tasksOf(e);
    expect(tasks).toHaveLength(2);
    expect(
      tasks.every(
        (t) => t.containerInstanceArn === second?.containerInstanceArn && t.lastStatus === 'RUNNING',
      ),
    ).toBe(true);
    const drained = await e.ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod',
        containerInstances: [first?.containerInstanceArn ?? ''],
      }),
    );
    expect(drained.containerInstances?.[0]).toMatchObject({ status: 'DRAINING', runningTasksCount: 0 });
    const service = await describeService(e.ecs, 'api');
    expect(service.runningCount).toBe(2);
    expect(service.deployments).toHaveLength(1);
  });
});

describe('standalone tasks on EC2', () => {
  it('RunTask places on instances and reports what did not fit; StartTask targets an instance', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await e.ecs.send(new RegisterTaskDefinitionCommand(ec2TaskDefinition('job', {}, { memory: 1536 })));
    expect(
      await errorOf(
        e.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'job', launchType: 'EC2' })),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: 'No Container Instances were found in your cluster.',
      status: 400,
    });
    const [instance] = await addInstances(e.admin, { cluster: 'prod', cpu: 2048, memory: 2048 });
    const run = await e.ecs.send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition: 'job', launchType: 'EC2', count: 2 }),
    );
    expect(run.tasks).toHaveLength(1);
    expect(run.tasks?.[0]?.containerInstanceArn).toBe(instance?.containerInstanceArn);
    expect(run.failures).toEqual([{ arn: instance?.containerInstanceArn, reason: 'RESOURCE:MEMORY' }]);

    const [other] = await addInstances(e.admin, { cluster: 'prod', cpu: 2048, memory: 2048 });
    const started = await e.ecs.send(
      new StartTaskCommand({
        cluster: 'prod',
        taskDefinition: 'job',
        containerInstances: [other?.containerInstanceArn ?? '', instance?.containerInstanceArn ?? ''],
      }),
    );
    expect(started.tasks?.map((t) => t.containerInstanceArn)).toEqual([other?.containerInstanceArn]);
    expect(started.failures).toEqual([{ arn: instance?.containerInstanceArn, reason: 'RESOURCE:MEMORY' }]);
  });
});

describe('attributes', () => {
  it('puts, lists, uses in memberOf and deletes custom attributes', async () => {
    const e = env();
    await givenCluster(e.ecs);
    const [a, b] = await addInstances(e.admin, { cluster: 'prod', count: 2 });
    await e.ecs.send(
      new PutAttributesCommand({
        cluster: 'prod',
        attributes: [
          {
            name: 'stack',
            value: 'prod',
            targetType: 'container-instance',
            targetId: a?.containerInstanceArn ?? '',
          },
        ],
      }),
    );
    const listed = await e.ecs.send(
      new ListAttributesCommand({
        cluster: 'prod',
        targetType: 'container-instance',
        attributeName: 'stack',
      }),
    );
    expect(listed.attributes).toEqual([
      { name: 'stack', value: 'prod', targetType: 'container-instance', targetId: a?.containerInstanceArn },
    ]);
    const matching = await e.ecs.send(
      new ListContainerInstancesCommand({ cluster: 'prod', filter: 'attribute:stack == prod' }),
    );
    expect(matching.containerInstanceArns).toEqual([a?.containerInstanceArn]);
    await e.ecs.send(
      new DeleteAttributesCommand({
        cluster: 'prod',
        attributes: [{ name: 'stack', targetId: a?.containerInstanceArn ?? '' }],
      }),
    );
    expect(
      (
        await e.ecs.send(
          new ListAttributesCommand({
            cluster: 'prod',
            targetType: 'container-instance',
            attributeName: 'stack',
          }),
        )
      ).attributes,
    ).toEqual([]);
    expect(
      await errorOf(
        e.ecs.send(
          new PutAttributesCommand({
            cluster: 'prod',
            attributes: [{ name: 'x', value: 'y', targetId: 'nope' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'TargetNotFoundException' });
    expect(b).toBeDefined();
  });
});

describe('deregistration', () => {
  it('needs force while tasks run, stops them with force, and a cluster with instances cannot be deleted', async () => {
    const e = env();
    await givenCluster(e.ecs);
    const [instance] = await addInstances(e.admin, { cluster: 'prod' });
    await e.ecs.send(new RegisterTaskDefinitionCommand(ec2TaskDefinition('job', {}, { memory: 256 })));
    await e.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'job', launchType: 'EC2' }));
    expect(await errorOf(e.ecs.send(new DeleteClusterCommand({ cluster: 'prod' })))).toMatchObject({
      name: 'ClusterContainsContainerInstancesException',
      message: 'The Cluster cannot be deleted while Container Instances are active or draining.',
    });
    const ref = instance?.containerInstanceArn ?? '';
    expect(
      await errorOf(
        e.ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'prod', containerInstance: ref })),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
    });
    const out = await e.ecs.send(
      new DeregisterContainerInstanceCommand({ cluster: 'prod', containerInstance: ref, force: true }),
    );
    expect(out.containerInstance?.status).toBe('INACTIVE');
    e.advance(10);
    const stopped = await e.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns).toHaveLength(1);
    expect(
      (await e.ecs.send(new ListContainerInstancesCommand({ cluster: 'prod' }))).containerInstanceArns,
    ).toEqual([]);
  });
});
