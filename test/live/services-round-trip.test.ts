// Round trip, zero diff: services and scaling created the way earlier tooling would (raw SDK calls
// with API-shaped input), described by readLive, diffed against equivalent manifests → no changes.
import {
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { readLive } from '../../controller/live/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { controllerClients, desiredFrom, OWNED_TAGS } from './support.js';

const env = useTestEmulator();

const NET = { awsvpcConfiguration: { subnets: ['subnet-0b2', 'subnet-0a1'], securityGroups: ['sg-0a1'] } };
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const REGISTRY = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdef0123456789';

async function seed(): Promise<void> {
  const { ecs, autoscaling } = env();
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'prod',
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags: [...OWNED_TAGS, { key: 'team', value: 'web' }],
    }),
  );
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', portMappings: [{ containerPort: 80 }] },
      ],
    }),
  );
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'legacy',
      containerDefinitions: [
        { name: 'app', image: 'nginx:1.25', memory: 256, portMappings: [{ containerPort: 80, hostPort: 0 }] },
      ],
    }),
  );
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'agent',
      requiresCompatibilities: ['EC2'],
      networkMode: 'host',
      containerDefinitions: [{ name: 'agent', image: 'public.ecr.aws/datadog/agent:7', memory: 256 }],
    }),
  );
  const common = { cluster: 'prod', tags: OWNED_TAGS };
  await ecs.send(
    new CreateServiceCommand({
      ...common,
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: NET,
      loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 80 }],
      healthCheckGracePeriodSeconds: 30,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      ...common,
      serviceName: 'discovery',
      taskDefinition: 'web:1',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: NET,
      serviceRegistries: [{ registryArn: REGISTRY }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      ...common,
      serviceName: 'spot',
      taskDefinition: 'web',
      desiredCount: 3,
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      ],
      networkConfiguration: NET,
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      ...common,
      serviceName: 'legacy',
      taskDefinition: 'legacy',
      desiredCount: 1,
      launchType: 'EC2',
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      ...common,
      serviceName: 'agent',
      taskDefinition: 'agent',
      launchType: 'EC2',
      schedulingStrategy: 'DAEMON',
    }),
  );
  const target = {
    ServiceNamespace: 'ecs',
    ResourceId: 'service/prod/web',
    ScalableDimension: 'ecs:service:DesiredCount',
  } as const;
  await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 2, MaxCapacity: 10 }));
  await autoscaling.send(
    new PutScalingPolicyCommand({
      ...target,
      PolicyName: 'cpu60',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleInCooldown: 120,
        ScaleOutCooldown: 60,
      },
    }),
  );
  await autoscaling.send(
    new PutScheduledActionCommand({
      ...target,
      ScheduledActionName: 'nightly',
      Schedule: 'cron(0 22 * * ? *)',
      ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 2 },
    }),
  );
}

const MANIFESTS = {
  'cluster.yaml': `
apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: prod}
spec:
  settings: [{name: containerInsights, value: enabled}]
  capacityProviders: [FARGATE_SPOT, FARGATE]
  defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1}]
  tags: {team: web}
`,
  'task-definitions.yaml': `
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: 0.25 vCPU
  memory: 0.5 GB
  containerDefinitions:
    - {name: web, image: public.ecr.aws/nginx/nginx:1.27, portMappings: [{containerPort: 80}]}
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: legacy}
spec:
  containerDefinitions:
    - {name: app, image: "nginx:1.25", memory: 256, portMappings: [{containerPort: 80}]}
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: agent}
spec:
  requiresCompatibilities: [EC2]
  networkMode: host
  containerDefinitions:
    - {name: agent, image: "public.ecr.aws/datadog/agent:7", memory: 256}
`,
  'services.yaml': `
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: web}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 2
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1, subnet-0b2], securityGroups: [sg-0a1], assignPublicIp: DISABLED}
  loadBalancers: [{targetGroupArn: "${TG}", containerName: web, containerPort: 80}]
  healthCheckGracePeriodSeconds: 30
  deploymentConfiguration:
    maximumPercent: 200
    deploymentCircuitBreaker: {enable: true, rollback: true}
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: discovery}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1, subnet-0b2], securityGroups: [sg-0a1]}
  serviceRegistries: [{registryArn: "${REGISTRY}"}]
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: spot}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 3
  capacityProviderStrategy:
    - {capacityProvider: FARGATE, weight: 1, base: 1}
    - {capacityProvider: FARGATE_SPOT, weight: 3}
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1, subnet-0b2], securityGroups: [sg-0a1]}
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: legacy}
spec: {cluster: prod, taskDefinition: legacy, desiredCount: 1, launchType: EC2}
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: agent}
spec: {cluster: prod, taskDefinition: agent, launchType: EC2, schedulingStrategy: DAEMON}
---
apiVersion: ecs-gitops/v1
kind: ScalingPolicy
metadata: {name: web}
spec:
  service: web
  minCapacity: 2
  maxCapacity: 10
  targetTracking:
    - {policyName: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60, scaleInCooldown: 120, scaleOutCooldown: 60}
  scheduledActions:
    - {scheduledActionName: nightly, schedule: "cron(0 22 * * ? *)", scalableTargetAction: {minCapacity: 1, maxCapacity: 2}}
`,
};

describe('round trip of services and scaling created by earlier tooling', () => {
  it('diffs to zero changes for Fargate, EC2, load balancer, service registries, capacity providers, DAEMON and scaling', async () => {
    // given a fleet created with raw API calls
    await seed();
    env().advance(120);
    const clients = controllerClients(env().url);
    try {
      // when the equivalent manifests are diffed against what ECS describes
      const desired = desiredFrom(MANIFESTS);
      const live = await readLive(clients, desired, { instance: 'ecs-gitops' });
      const diffs = diffResources(desired, live, { instance: 'ecs-gitops' });

      // then nothing differs, and every resource was found
      const changed = diffs
        .filter((d) => d.action !== 'noop')
        .map((d) => ({ key: d.key, action: d.action, changes: d.changes }));
      expect(changed).toEqual([]);
      expect(diffs).toHaveLength(10);
      expect(diffs.every((d) => d.liveArn !== undefined)).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('shows a desiredCount change only for the service without a ScalingPolicy', async () => {
    // given the same fleet, with desiredCount changed in Git for web (autoscaled) and discovery (not)
    await seed();
    const clients = controllerClients(env().url);
    try {
      const files = {
        ...MANIFESTS,
        'services.yaml': MANIFESTS['services.yaml']
          .replace('desiredCount: 2', 'desiredCount: 7')
          .replace('desiredCount: 1\n  launchType: FARGATE', 'desiredCount: 4\n  launchType: FARGATE'),
      };
      const desired = desiredFrom(files);

      // when diffed
      const diffs = diffResources(desired, await readLive(clients, desired, { instance: 'ecs-gitops' }), {
        instance: 'ecs-gitops',
      });

      // then only the non-autoscaled service shows the change
      const changed = diffs.filter((d) => d.action !== 'noop');
      expect(changed.map((d) => `${d.key.kind}/${d.key.name}`)).toEqual(['Service/discovery']);
      expect(changed[0]?.changes).toEqual([{ path: 'desiredCount', op: 'change', desired: 4, live: 1 }]);
    } finally {
      clients.destroy();
    }
  });
});
