// Capacity providers (Auto Scaling group and Managed Instances), account settings, and task sets
// of the EXTERNAL deployment controller, through the real SDK.
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteAccountSettingCommand,
  DeleteCapacityProviderCommand,
  DeleteTaskSetCommand,
  DescribeCapacityProvidersCommand,
  DescribeTaskSetsCommand,
  ListAccountSettingsCommand,
  ListContainerInstancesCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  UpdateCapacityProviderCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import {
  describeService,
  ec2TaskDefinition,
  errorOf,
  givenCluster,
  givenTaskDefinition,
  NETWORK,
} from './world.js';

const env = useTestEmulator();

const ASG =
  'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:57ffcb94-11f0-4d6d-bf60-3bac5EXAMPLE:autoScalingGroupName/web-asg';

describe('Auto Scaling group capacity providers', () => {
  it('creates with the defaults ECS fills in and enforces the naming and uniqueness rules', async () => {
    const { ecs } = env();
    const created = await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'web-asg',
        autoScalingGroupProvider: {
          autoScalingGroupArn: ASG,
          managedScaling: { status: 'ENABLED', targetCapacity: 90 },
        },
        tags: [{ key: 'team', value: 'web' }],
      }),
    );
    expect(created.capacityProvider).toEqual({
      capacityProviderArn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/web-asg',
      name: 'web-asg',
      status: 'ACTIVE',
      autoScalingGroupProvider: {
        autoScalingGroupArn: ASG,
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: 90,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10000,
          instanceWarmupPeriod: 300,
        },
        managedTerminationProtection: 'DISABLED',
        managedDraining: 'ENABLED',
      },
      tags: [{ key: 'team', value: 'web' }],
      type: 'EC2_AUTOSCALING',
    });
    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(all.capacityProviders?.map((p) => p.name)).toEqual(['web-asg', 'FARGATE', 'FARGATE_SPOT']);

    const errors = await Promise.all([
      errorOf(
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'web-asg',
            autoScalingGroupProvider: { autoScalingGroupArn: ASG },
          }),
        ),
      ),
      errorOf(
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'fargate-mine',
            autoScalingGroupProvider: { autoScalingGroupArn: ASG },
          }),
        ),
      ),
      errorOf(
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'other',
            autoScalingGroupProvider: { autoScalingGroupArn: ASG },
          }),
        ),
      ),
      errorOf(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'FARGATE' }))),
      errorOf(
        ecs.send(
          new CreateCapacityProviderCommand({
            name: 'guarded',
            autoScalingGroupProvider: {
              autoScalingGroupArn: `${ASG}-2`,
              managedTerminationProtection: 'ENABLED',
            },
          }),
        ),
      ),
    ]);
    expect(errors.map((e) => e.name)).toEqual([
      'ClientException',
      'InvalidParameterException',
      'ClientException',
      'ClientException',
      'ClientException',
    ]);
    expect(errors[0]?.message).toBe(
      'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
    );
  });

  it('is associated with one cluster, scales out when tasks are unplaced, and cannot be deleted while in use', async () => {
    const e = env();
    const { ecs } = e;
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'web-asg',
        autoScalingGroupProvider: { autoScalingGroupArn: ASG, managedScaling: { status: 'ENABLED' } },
      }),
    );
    await ecs.send(
      new CreateClusterCommand({
        clusterName: 'prod',
        capacityProviders: ['web-asg'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'web-asg', weight: 1 }],
      }),
    );
    expect(
      await errorOf(
        ecs.send(new CreateClusterCommand({ clusterName: 'other', capacityProviders: ['web-asg'] })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    await ecs.send(new RegisterTaskDefinitionCommand(ec2TaskDefinition('api', {}, { memory: 4096 })));
    // the strategy comes from the cluster default; no instance exists yet: managed scaling adds them
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'api',
        taskDefinition: 'api',
        desiredCount: 3,
      }),
    );
    e.advance(10);
    const service = await describeService(ecs, 'api');
    expect(service.capacityProviderStrategy).toEqual([{ capacityProvider: 'web-asg', weight: 1, base: 0 }]);
    expect(service.runningCount).toBe(3);
    const instances = await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod' }));
    expect(instances.containerInstanceArns).toHaveLength(3); // 7680 MiB each: two 4096 MiB tasks do not share one

    expect(
      await errorOf(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'web-asg' }))),
    ).toMatchObject({
      name: 'ClientException',
    });
    expect(
      await errorOf(
        ecs.send(
          new PutClusterCapacityProvidersCommand({
            cluster: 'prod',
            capacityProviders: [],
            defaultCapacityProviderStrategy: [],
          }),
        ),
      ),
    ).toEqual({
      name: 'ResourceInUseException',
      message: 'The specified capacity provider is in use and cannot be removed.',
      status: 400,
    });
    const updated = await ecs.send(
      new UpdateCapacityProviderCommand({
        name: 'web-asg',
        autoScalingGroupProvider: {
          managedScaling: { status: 'ENABLED', targetCapacity: 80 },
          managedDraining: 'DISABLED',
        },
      }),
    );
    expect(updated.capacityProvider).toMatchObject({
      updateStatus: 'UPDATE_COMPLETE',
      autoScalingGroupProvider: {
        managedScaling: { targetCapacity: 80, maximumScalingStepSize: 10000 },
        managedDraining: 'DISABLED',
      },
    });
  });

  it('creates Managed Instances providers inside one cluster', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    const managed = {
      infrastructureRoleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRole',
      instanceLaunchTemplate: {
        ec2InstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
        networkConfiguration: { subnets: ['subnet-0abc'], securityGroups: ['sg-0abc'] },
      },
    };
    expect(
      await errorOf(
        ecs.send(new CreateCapacityProviderCommand({ name: 'mi', managedInstancesProvider: managed })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    const out = await ecs.send(
      new CreateCapacityProviderCommand({ name: 'mi', cluster: 'prod', managedInstancesProvider: managed }),
    );
    expect(out.capacityProvider).toMatchObject({
      name: 'mi',
      cluster: 'prod',
      type: 'MANAGED_INSTANCES',
      status: 'ACTIVE',
      managedInstancesProvider: {
        propagateTags: 'NONE',
        instanceLaunchTemplate: { monitoring: 'BASIC', capacityOptionType: 'ON_DEMAND' },
      },
    });
    await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'mi' }));
    const gone = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['mi'] }));
    expect(gone.capacityProviders?.[0]).toMatchObject({
      status: 'INACTIVE',
      updateStatus: 'DELETE_COMPLETE',
    });
  });
});

describe('account settings', () => {
  it('lists the effective defaults of a new account, overrides per principal and by default', async () => {
    const { ecs } = env();
    const effective = await ecs.send(
      new ListAccountSettingsCommand({ effectiveSettings: true, maxResults: 10 }),
    );
    expect(effective.settings?.slice(0, 5).map((s) => [s.name, s.value])).toEqual([
      ['serviceLongArnFormat', 'enabled'],
      ['taskLongArnFormat', 'enabled'],
      ['containerInstanceLongArnFormat', 'enabled'],
      ['awsvpcTrunking', 'disabled'],
      ['containerInsights', 'disabled'],
    ]);
    expect(effective.nextToken).toBeDefined();
    expect((await ecs.send(new ListAccountSettingsCommand({}))).settings).toEqual([]);

    const put = await ecs.send(
      new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enhanced' }),
    );
    expect(put.setting).toEqual({
      name: 'containerInsights',
      value: 'enhanced',
      principalArn: 'arn:aws:iam::123456789012:root',
      type: 'user',
    });
    // a new cluster without settings takes the account's containerInsights
    const cluster = await ecs.send(new CreateClusterCommand({ clusterName: 'insights' }));
    expect(cluster.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);

    const role = 'arn:aws:iam::123456789012:role/deployer';
    await ecs.send(
      new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: role }),
    );
    const mine = await ecs.send(
      new ListAccountSettingsCommand({ principalArn: role, name: 'awsvpcTrunking', effectiveSettings: true }),
    );
    expect(mine.settings).toEqual([
      { name: 'awsvpcTrunking', value: 'enabled', principalArn: role, type: 'user' },
    ]);
    await ecs.send(new DeleteAccountSettingCommand({ name: 'awsvpcTrunking', principalArn: role }));
    const back = await ecs.send(
      new ListAccountSettingsCommand({ principalArn: role, name: 'awsvpcTrunking', effectiveSettings: true }),
    );
    expect(back.settings?.[0]?.value).toBe('disabled');

    expect(
      await errorOf(
        ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'sometimes' })),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(
      await errorOf(
        ecs.send(
          new PutAccountSettingCommand({
            name: 'fargateTaskRetirementWaitPeriod',
            value: '14',
            principalArn: role,
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('task sets (EXTERNAL deployment controller)', () => {
  it('scales task sets by percent, switches the primary and drains a deleted one', async () => {
    const e = env();
    const { ecs } = e;
    await givenCluster(ecs);
    await givenTaskDefinition(ecs, 'web');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'ext',
        desiredCount: 4,
        deploymentController: { type: 'EXTERNAL' },
      }),
    );
    const blue = await ecs.send(
      new CreateTaskSetCommand({
        cluster: 'prod',
        service: 'ext',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        scale: { value: 50, unit: 'PERCENT' },
        externalId: 'blue',
      }),
    );
    expect(blue.taskSet).toMatchObject({
      status: 'ACTIVE',
      computedDesiredCount: 2,
      stabilityStatus: 'STABILIZING',
      externalId: 'blue',
      scale: { value: 50, unit: 'PERCENT' },
    });
    expect(blue.taskSet?.taskSetArn).toMatch(/:task-set\/prod\/ext\/ecs-svc\/\d{19}$/);
    const green = await ecs.send(
      new CreateTaskSetCommand({
        cluster: 'prod',
        service: 'ext',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    // no scale given: 0 percent, as ECS does
    expect(green.taskSet?.computedDesiredCount).toBe(0);
    e.advance(10);
    let sets =
      (await ecs.send(new DescribeTaskSetsCommand({ cluster: 'prod', service: 'ext' }))).taskSets ?? [];
    expect(sets.map((s) => [s.externalId ?? '-', s.runningCount, s.stabilityStatus])).toEqual([
      ['blue', 2, 'STEADY_STATE'],
      ['-', 0, 'STEADY_STATE'],
    ]);
    expect((await describeService(ecs, 'ext')).runningCount).toBe(2);

    await ecs.send(
      new UpdateTaskSetCommand({
        cluster: 'prod',
        service: 'ext',
        taskSet: green.taskSet?.id ?? '',
        scale: { value: 100, unit: 'PERCENT' },
      }),
    );
    await ecs.send(
      new UpdateServicePrimaryTaskSetCommand({
        cluster: 'prod',
        service: 'ext',
        primaryTaskSet: green.taskSet?.taskSetArn ?? '',
      }),
    );
    expect(
      await errorOf(
        ecs.send(
          new DeleteTaskSetCommand({ cluster: 'prod', service: 'ext', taskSet: blue.taskSet?.id ?? '' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    const deleted = await ecs.send(
      new DeleteTaskSetCommand({
        cluster: 'prod',
        service: 'ext',
        taskSet: blue.taskSet?.id ?? '',
        force: true,
      }),
    );
    expect(deleted.taskSet?.status).toBe('DRAINING');
    e.advance(20);
    sets = (await ecs.send(new DescribeTaskSetsCommand({ cluster: 'prod', service: 'ext' }))).taskSets ?? [];
    expect(sets.map((s) => [s.status, s.runningCount, s.computedDesiredCount])).toEqual([['PRIMARY', 4, 4]]);
    const service = await describeService(ecs, 'ext');
    expect(service.taskDefinition).toBe(green.taskSet?.taskDefinition);
    expect(service.runningCount).toBe(4);
    // task sets belong to EXTERNAL services only
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ext', desiredCount: 2 }));
    e.advance(20);
    expect((await describeService(ecs, 'ext')).runningCount).toBe(2);
    expect(
      await errorOf(
        ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ext', taskDefinition: 'web' })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      await errorOf(ecs.send(new DescribeTaskSetsCommand({ cluster: 'prod', service: 'missing' }))),
    ).toMatchObject({ name: 'ServiceNotFoundException' });
  });
});
