// A synthetic in-sync fleet of N Fargate services (each with a ScalingPolicy) in one cluster:
// seeded with raw SDK calls, and the manifests that describe it. Used by the API-call test and bench.
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import {
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';

export const FLEET_FAMILIES = 5;

function family(index: number): string {
  return `app-${index % FLEET_FAMILIES}`;
}

export async function seedFleet(
  clients: { ecs: ECSClient; autoscaling: ApplicationAutoScalingClient },
  n: number,
): Promise<void> {
  const tags = [{ key: 'ecs-gitops/managed-by', value: 'ecs-gitops' }];
  await clients.ecs.send(new CreateClusterCommand({ clusterName: 'fleet', tags }));
  for (let f = 0; f < Math.min(n, FLEET_FAMILIES); f += 1) {
    await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: family(f),
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: `public.ecr.aws/nginx/nginx:1.${f}`, portMappings: [{ containerPort: 80 }] },
        ],
        tags,
      }),
    );
  }
  for (let i = 0; i < n; i += 1) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    await clients.ecs.send(
      new CreateServiceCommand({
        cluster: 'fleet',
        serviceName: name,
        taskDefinition: family(i),
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-0a1'], securityGroups: ['sg-0a1'] },
        },
        tags,
      }),
    );
    const target = {
      ServiceNamespace: 'ecs',
      ResourceId: `service/fleet/${name}`,
      ScalableDimension: 'ecs:service:DesiredCount',
    } as const;
    await clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 4 }),
    );
    await clients.autoscaling.send(
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
  }
}

export function fleetManifests(n: number): Record<string, string> {
  const docs: string[] = ['apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: fleet}\nspec: {}\n'];
  for (let f = 0; f < Math.min(n, FLEET_FAMILIES); f += 1) {
    docs.push(`apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: ${family(f)}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: app, image: "public.ecr.aws/nginx/nginx:1.${f}", portMappings: [{containerPort: 80}]}
`);
  }
  for (let i = 0; i < n; i += 1) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    docs.push(`apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: ${name}}
spec:
  cluster: fleet
  taskDefinition: ${family(i)}
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-0a1], securityGroups: [sg-0a1]}}
---
apiVersion: ecs-gitops/v1
kind: ScalingPolicy
metadata: {name: ${name}}
spec:
  service: ${name}
  minCapacity: 1
  maxCapacity: 4
  targetTracking: [{policyName: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}]
`);
  }
  return { 'fleet.yaml': docs.join('---\n') };
}
