import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterCommand,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { errorOf, givenCluster, givenService, givenTaskDefinition, NETWORK } from './world.js';

const env = useTestEmulator();

describe('clusters', () => {
  it('creates, describes with TAGS and SETTINGS, updates settings and capacity providers, lists and deletes', async () => {
    const { ecs } = env();
    const created = await ecs.send(
      new CreateClusterCommand({ clusterName: 'prod', tags: [{ key: 'team', value: 'web' }] }),
    );
    expect(created.cluster).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      clusterName: 'prod',
      status: 'ACTIVE',
      activeServicesCount: 0,
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
    await ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: 'prod',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'prod',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
    );
    const described = await ecs.send(
      new DescribeClustersCommand({ clusters: ['prod', 'ghost'], include: ['TAGS', 'SETTINGS'] }),
    );
    expect(described.clusters?.[0]).toMatchObject({
      tags: [{ key: 'team', value: 'web' }],
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }],
    });
    expect(described.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost', reason: 'MISSING' },
    ]);
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
    expect(plain.clusters?.[0]?.settings).toBeUndefined();
    const updated = await ecs.send(
      new UpdateClusterCommand({
        cluster: 'prod',
        settings: [{ name: 'containerInsights', value: 'disabled' }],
      }),
    );
    expect(updated.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([created.cluster?.clusterArn]);
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: 'prod' }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    // a deleted cluster stays listed (INACTIVE) for a while, as on ECS
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([created.cluster?.clusterArn]);
  });

  it('refuses to delete a cluster with services and rejects providers that are not associated', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs, { desiredCount: 0 });
    const error = await errorOf(ecs.send(new DeleteClusterCommand({ cluster: 'prod' })));
    expect(error.name).toBe('ClusterContainsServicesException');
    const strategy = await errorOf(
      givenService(ecs, {
        serviceName: 'spot',
        launchType: undefined,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      }),
    );
    expect(strategy.name).toBe('InvalidParameterException');
    const missing = await errorOf(
      ecs.send(new UpdateClusterSettingsCommand({ cluster: 'ghost', settings: [] })),
    );
    expect(missing).toMatchObject({ name: 'ClusterNotFoundException', message: 'Cluster not found.' });
  });
});

describe('tasks', () => {
  it('RunTask goes PROVISIONING → PENDING → RUNNING on the clock; StopTask stops it with UserInitiated', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        count: 2,
      }),
    );
    expect(run.tasks?.map((t) => t.lastStatus)).toEqual(['PROVISIONING', 'PROVISIONING']);
    expect(run.tasks?.[0]).toMatchObject({
      group: 'family:web',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      cpu: '256',
      memory: '512',
    });
    const arns = run.tasks!.map((t) => t.taskArn!);
    expect(arns[0]).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/);
    advance(2);
    const pending = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }));
    expect(pending.tasks?.map((t) => t.lastStatus)).toEqual(['PENDING', 'PENDING']);
    advance(3);
    const running = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }));
    expect(running.tasks?.[0]).toMatchObject({
      lastStatus: 'RUNNING',
      connectivity: 'CONNECTED',
      healthStatus: 'UNKNOWN',
    });
    expect(running.tasks?.[0]?.startedAt).toBeInstanceOf(Date);
    expect(running.tasks?.[0]?.containers?.[0]).toMatchObject({
      name: 'web',
      lastStatus: 'RUNNING',
      cpu: '0',
    });
    const stop = await ecs.send(new StopTaskCommand({ cluster: 'prod', task: arns[0]! }));
    expect(stop.task).toMatchObject({
      desiredStatus: 'STOPPED',
      lastStatus: 'RUNNING',
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
    });
    advance(5);
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'prod' }));
    expect(listed.taskArns).toEqual([arns[1]]);
    const stopped = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arns[0]!, 'ghost'] }));
    expect(stopped.tasks?.[0]?.lastStatus).toBe('STOPPED');
    expect(stopped.failures?.[0]?.reason).toBe('MISSING');
  });

  it('lists a service’s tasks and replaces a stopped service task', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs, { desiredCount: 1 });
    advance(5);
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
    expect(listed.taskArns).toHaveLength(1);
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: listed.taskArns! })))
      .tasks![0]!;
    expect(task.group).toBe('service:web');
    expect(task.startedBy).toMatch(/^ecs-svc\/\d{19}$/);
    await ecs.send(new StopTaskCommand({ cluster: 'prod', task: task.taskArn! }));
    advance(10);
    const after = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
    expect(after.taskArns).toHaveLength(1);
    expect(after.taskArns?.[0]).not.toBe(task.taskArn);
    const missing = await errorOf(ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'ghost' })));
    expect(missing.name).toBe('ServiceNotFoundException');
  });
});

describe('tags', () => {
  it('tags, lists and untags a service; enforces the aws: prefix and the 50-tag limit', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const service = await givenService(ecs, { desiredCount: 0 });
    const arn = service.serviceArn!;
    await ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      }),
    );
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '3' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['b'] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'a', value: '3' },
    ]);
    const reserved = await errorOf(
      ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:x', value: '1' }] })),
    );
    expect(reserved.name).toBe('InvalidParameterException');
    const tooLong = await errorOf(
      ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'k'.repeat(129), value: '1' }] })),
    );
    expect(tooLong.name).toBe('InvalidParameterException');
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const tooMany = await errorOf(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: many })));
    expect(tooMany.name).toBe('InvalidParameterException');
    const unknown = await errorOf(
      ecs.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost',
        }),
      ),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
  });
});
