// The CapacityProvider kind: schema and rules, references from clusters and services (which order
// it first in the plan), and Managed Instances providers tied to their cluster.
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { emptyLiveState } from '../../controller/live/model.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { planChanges } from '../../controller/plan/index.js';
import { load, problemsOf, resourcesOf } from './helpers.js';

const ASG =
  'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:57ffcb94-0000-4000-8000-000000000000:autoScalingGroupName/web';

const PROVIDER = `apiVersion: ecs-gitops/v1
kind: CapacityProvider
metadata: {name: web-asg}
spec:
  name: web-capacity
  autoScalingGroupProvider:
    autoScalingGroupArn: ${ASG}
    managedScaling: {status: ENABLED}
`;
const CLUSTER = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: prod}
spec:
  capacityProviders: [web-asg]
  defaultCapacityProviderStrategy: [{capacityProvider: web-asg, weight: 1}]
`;

describe('CapacityProvider manifests', () => {
  it('resolve a cluster reference to the provider name and plan the provider first', () => {
    const resources = resourcesOf({ 'capacity.yaml': `${PROVIDER}---\n${CLUSTER}` });
    const cluster = resources.find((r) => r.kind === 'Cluster');
    expect(cluster?.kind === 'Cluster' && cluster.spec.capacityProviders).toEqual(['web-capacity']);
    expect(cluster?.kind === 'Cluster' && cluster.spec.defaultCapacityProviderStrategy).toEqual([
      { capacityProvider: 'web-capacity', weight: 1 },
    ]);
    const desired: DesiredState = { revision: 'r1', resources };
    const plan = planChanges(diffResources(desired, emptyLiveState(), { instance: 'ecs-gitops' }), {
      revision: 'r1',
      prune: false,
      pruneLimit: 10,
      pruneConfirm: false,
    });
    const entry = plan.entries.find((e) => e.key.kind === 'Cluster');
    expect(entry?.dependsOn).toEqual([{ kind: 'CapacityProvider', name: 'web-asg' }]);
  });

  it('need exactly one provider kind, and Managed Instances providers their cluster', () => {
    expect(
      problemsOf({
        'p.yaml': PROVIDER.replace(
          '  autoScalingGroupProvider:',
          '  managedInstancesProvider: {infrastructureRoleArn: r, instanceLaunchTemplate: {ec2InstanceProfileArn: p, networkConfiguration: {subnets: [s]}}}\n  autoScalingGroupProvider:',
        ),
      }),
    ).toContainEqual(
      expect.stringContaining('give exactly one of autoScalingGroupProvider or managedInstancesProvider'),
    );
    const managed = `apiVersion: ecs-gitops/v1
kind: CapacityProvider
metadata: {name: mi}
spec:
  managedInstancesProvider:
    infrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
    instanceLaunchTemplate:
      ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
      networkConfiguration: {subnets: [subnet-0abc]}
`;
    expect(problemsOf({ 'mi.yaml': managed })).toEqual([
      expect.stringContaining('a Managed Instances provider needs spec.cluster'),
    ]);
    const withCluster = load({
      'mi.yaml': `${managed}  cluster: prod\n---\n${CLUSTER.replace(/capacityProviders.*\n.*\n/, 'settings: []\n')}`,
    });
    expect(withCluster.ok).toBe(true);
    expect(problemsOf({ 'p.yaml': PROVIDER.replace('name: web-capacity', 'name: fargate-web') })).toEqual([
      expect.stringContaining('spec.name: "fargate-web" must match'),
    ]);
  });
});
