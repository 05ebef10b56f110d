import {
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  ListTagsForResourceCommand,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { describeService, errorOf, givenCluster, givenService, givenTaskDefinition } from './world.js';

const env = useTestEmulator();
const target = {
  ServiceNamespace: 'ecs',
  ResourceId: 'service/prod/web',
  ScalableDimension: 'ecs:service:DesiredCount',
} as const;

async function givenWebService(desiredCount = 1): Promise<void> {
  const { ecs } = env();
  await givenCluster(ecs);
  await givenTaskDefinition(ecs);
  await givenService(ecs, { desiredCount });
}

describe('scalable targets', () => {
  it('registers a target, clamps the service desiredCount into [min, max], describes and tags it', async () => {
    await givenWebService(1);
    const { autoscaling, ecs } = env();
    const registered = await autoscaling.send(
      new RegisterScalableTargetCommand({
        ...target,
        MinCapacity: 2,
        MaxCapacity: 10,
        Tags: { team: 'web' },
      }),
    );
    expect(registered.ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\//,
    );
    expect((await describeService(ecs)).desiredCount).toBe(2);
    const described = await autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/prod/web'] }),
    );
    expect(described.ScalableTargets).toHaveLength(1);
    expect(described.ScalableTargets?.[0]).toMatchObject({
      ...target,
      MinCapacity: 2,
      MaxCapacity: 10,
      SuspendedState: {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
    });
    expect(described.ScalableTargets?.[0]?.CreationTime).toBeInstanceOf(Date);
    expect(described.ScalableTargets?.[0]?.RoleARN).toMatch(
      /AWSServiceRoleForApplicationAutoScaling_ECSService$/,
    );
    const arn = registered.ScalableTargetARN!;
    await autoscaling.send(new TagResourceCommand({ ResourceARN: arn, Tags: { env: 'prod' } }));
    expect((await autoscaling.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual({
      team: 'web',
      env: 'prod',
    });
    // re-registering with a lower max clamps again
    await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 0, MaxCapacity: 1 }));
    expect((await describeService(ecs)).desiredCount).toBe(1);
  });

  it('rejects a missing service, min > max, and deregisters with its policies', async () => {
    await givenWebService();
    const { autoscaling } = env();
    const missing = await errorOf(
      autoscaling.send(
        new RegisterScalableTargetCommand({
          ...target,
          ResourceId: 'service/prod/ghost',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    expect(missing).toMatchObject({
      name: 'ValidationException',
      message: "ECS service doesn't exist: service/prod/ghost",
    });
    const inverted = await errorOf(
      autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 5, MaxCapacity: 2 })),
    );
    expect(inverted.name).toBe('ValidationException');
    await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 2 }));
    await autoscaling.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'cpu60',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      }),
    );
    await autoscaling.send(new DeregisterScalableTargetCommand(target));
    const policies = await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }));
    expect(policies.ScalingPolicies).toEqual([]);
    const again = await errorOf(autoscaling.send(new DeregisterScalableTargetCommand(target)));
    expect(again.name).toBe('ObjectNotFoundException');
  });
});

describe('scaling policies and scheduled actions', () => {
  it('puts, describes, updates and deletes a target tracking policy', async () => {
    await givenWebService();
    const { autoscaling } = env();
    const noTarget = await errorOf(
      autoscaling.send(
        new PutScalingPolicyCommand({
          ...target,
          PolicyName: 'cpu60',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 60,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          },
        }),
      ),
    );
    expect(noTarget.name).toBe('ObjectNotFoundException');
    await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 4 }));
    const put = await autoscaling.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'cpu60',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          ScaleInCooldown: 120,
          ScaleOutCooldown: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      }),
    );
    expect(put.PolicyARN).toMatch(/:scalingPolicy:.+:resource\/ecs\/service\/prod\/web:policyName\/cpu60$/);
    expect(put.Alarms).toHaveLength(2);
    const updated = await autoscaling.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'cpu60',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 70,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      }),
    );
    expect(updated.PolicyARN).toBe(put.PolicyARN);
    const described = await autoscaling.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/prod/web' }),
    );
    expect(described.ScalingPolicies).toHaveLength(1);
    expect(described.ScalingPolicies?.[0]?.TargetTrackingScalingPolicyConfiguration?.TargetValue).toBe(70);
    const invalid = await errorOf(
      autoscaling.send(
        new PutScalingPolicyCommand({
          ...target,
          PolicyName: 'bad',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 },
        }),
      ),
    );
    expect(invalid.name).toBe('ValidationException');
    await autoscaling.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'cpu60' }));
    const gone = await errorOf(
      autoscaling.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'cpu60' })),
    );
    expect(gone.name).toBe('ObjectNotFoundException');
  });

  it('puts, describes and deletes a scheduled action', async () => {
    await givenWebService();
    const { autoscaling } = env();
    await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 4 }));
    await autoscaling.send(
      new PutScheduledActionCommand({
        ...target,
        ScheduledActionName: 'nightly',
        Schedule: 'cron(0 22 * * ? *)',
        ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 },
      }),
    );
    const described = await autoscaling.send(
      new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(described.ScheduledActions?.[0]).toMatchObject({
      ScheduledActionName: 'nightly',
      Schedule: 'cron(0 22 * * ? *)',
      Timezone: 'UTC',
      ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 },
    });
    const bad = await errorOf(
      autoscaling.send(
        new PutScheduledActionCommand({ ...target, ScheduledActionName: 'x', Schedule: 'sometimes' }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
    await autoscaling.send(new DeleteScheduledActionCommand({ ...target, ScheduledActionName: 'nightly' }));
    expect(
      (await autoscaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' })))
        .ScheduledActions,
    ).toEqual([]);
  });
});
