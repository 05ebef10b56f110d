// Shared givens for emulator tests: a cluster, a Fargate task definition and a service.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  type ECSClient,
  type NetworkConfiguration,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';

export const NETWORK: NetworkConfiguration = {
  awsvpcConfiguration: { subnets: ['subnet-0abc'], securityGroups: ['sg-0abc'] },
};

export function fargateTaskDefinition(
  family = 'web',
  image = 'public.ecr.aws/nginx/nginx:1.27',
  extra: Partial<RegisterTaskDefinitionCommandInput> = {},
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'web', image, portMappings: [{ containerPort: 80 }] }],
    ...extra,
  };
}

export async function givenCluster(ecs: ECSClient, clusterName = 'prod'): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName }));
}

export async function givenTaskDefinition(ecs: ECSClient, family = 'web', image?: string): Promise<string> {
  const out = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition(family, image)));
  return out.taskDefinition!.taskDefinitionArn!;
}

export async function givenService(
  ecs: ECSClient,
  input: Partial<CreateServiceCommandInput> = {},
): Promise<Service> {
  const out = await ecs.send(
    new CreateServiceCommand({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...input,
    }),
  );
  return out.service!;
}

export async function describeService(ecs: ECSClient, name = 'web', cluster = 'prod'): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  const service = out.services?.[0];
  if (!service) throw new Error(`service ${name} not found: ${JSON.stringify(out.failures)}`);
  return service;
}

/** The SDK error's code (its name) and message, for assertions. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** A bridge-mode EC2 task definition reserving `memory` MiB and `cpu` units (container-level). */
export function ec2TaskDefinition(
  family = 'api',
  extra: Partial<RegisterTaskDefinitionCommandInput> = {},
  container: { cpu?: number; memory?: number; hostPort?: number } = {},
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    requiresCompatibilities: ['EC2'],
    networkMode: 'bridge',
    containerDefinitions: [
      {
        name: 'api',
        image: 'public.ecr.aws/nginx/nginx:1.27',
        cpu: container.cpu ?? 256,
        memory: container.memory ?? 1024,
        portMappings: [{ containerPort: 80, hostPort: container.hostPort ?? 0 }],
      },
    ],
    ...extra,
  };
}

export interface AddedInstance {
  readonly containerInstanceArn: string;
  readonly ec2InstanceId: string;
}

/** Registers instances through the admin API (no agent): `{cpu, memory, availabilityZone, …}`. */
export async function addInstances(
  admin: (method: 'POST', path: string, body: unknown) => Promise<unknown>,
  body: Record<string, unknown>,
): Promise<AddedInstance[]> {
  const out = (await admin('POST', '/_emulator/container-instances', body)) as {
    containerInstances: AddedInstance[];
  };
  return out.containerInstances;
}

/** An EventBridge Scheduler client against the emulator at `url` (no retries: tests see faults). */
export function schedulerClient(url: string): SchedulerClient {
  return new SchedulerClient({
    endpoint: url,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}
