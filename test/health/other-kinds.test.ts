import { describe, expect, it } from 'vitest';
import { clusterHealth } from '../../controller/health/cluster.js';
import { scalingPolicyHealth } from '../../controller/health/scaling-policy.js';
import { taskDefinitionHealth } from '../../controller/health/task-definition.js';
import type { LiveScalableTarget } from '../../controller/live/model.js';

describe('clusterHealth', () => {
  it.each([
    ['ACTIVE', 'Healthy'],
    ['PROVISIONING', 'Progressing'],
    ['DEPROVISIONING', 'Progressing'],
    ['FAILED', 'Degraded'],
    ['INACTIVE', 'Missing'],
    ['SOMETHING_NEW', 'Unknown'],
  ] as const)('status %s is %s', (status, state) => {
    const cluster = {
      clusterName: 'prod',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      status,
    };
    expect(clusterHealth(cluster).state).toBe(state);
  });

  it('is Missing when absent', () => {
    expect(clusterHealth(undefined).state).toBe('Missing');
  });
});

describe('taskDefinitionHealth', () => {
  it.each([
    ['ACTIVE', 'Healthy'],
    ['INACTIVE', 'Degraded'],
    ['DELETE_IN_PROGRESS', 'Missing'],
  ] as const)('status %s is %s', (status, state) => {
    const result = taskDefinitionHealth({ family: 'web', revision: 7, status });
    expect(result.state).toBe(state);
    expect(result.message).toContain('web:7');
  });
});

describe('scalingPolicyHealth', () => {
  const target: LiveScalableTarget = {
    ServiceNamespace: 'ecs',
    ResourceId: 'service/prod/web',
    ScalableDimension: 'ecs:service:DesiredCount',
    MinCapacity: 2,
    MaxCapacity: 10,
  };

  it('is Healthy when the target has every named policy', () => {
    const result = scalingPolicyHealth(target, [{ PolicyName: 'cpu60' }], ['cpu60']);
    expect(result.state).toBe('Healthy');
    expect(result.message).toContain('2..10');
  });

  it('is Degraded when a policy is missing', () => {
    const result = scalingPolicyHealth(target, [], ['cpu60']);
    expect(result).toMatchObject({ state: 'Degraded', reason: 'PolicyMissing' });
    expect(result.message).toContain('cpu60');
  });

  it('is Missing without a scalable target', () => {
    expect(scalingPolicyHealth(undefined).state).toBe('Missing');
  });

  it('mentions suspended scaling', () => {
    const result = scalingPolicyHealth({ ...target, SuspendedState: { DynamicScalingInSuspended: true } });
    expect(result.message).toContain('DynamicScalingInSuspended');
  });
});
