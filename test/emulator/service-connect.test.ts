// Service Connect (and volume / VPC Lattice configurations) live on deployments in ECS: the Service
// shape has no such member, so an SDK client would never see them at the service level. A change
// starts a new deployment that carries the new configuration; the old one keeps its own.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';

const env = useTestEmulator();
const NAMESPACE = 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-example';

describe('Service Connect on deployments', () => {
  it('given a service with Service Connect, when described and updated, then the configuration is on its deployments and a change deploys', async () => {
    const { ecs } = env();
    await ecs.send(new CreateClusterCommand({ clusterName: 'mesh', capacityProviders: ['FARGATE'] }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'cart',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'cart', image: 'cart:1', portMappings: [{ name: 'http', containerPort: 8080 }] },
        ],
      }),
    );
    const connect = {
      enabled: true,
      namespace: NAMESPACE,
      services: [{ portName: 'http', clientAliases: [{ port: 80, dnsName: 'cart' }] }],
    };
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'mesh',
        serviceName: 'cart',
        taskDefinition: 'cart',
        launchType: 'FARGATE',
        desiredCount: 1,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
        serviceConnectConfiguration: connect,
      }),
    );
    const describe = async () =>
      (await ecs.send(new DescribeServicesCommand({ cluster: 'mesh', services: ['cart'] }))).services?.[0];

    const created = await describe();
    expect(created?.deployments).toHaveLength(1);
    expect(created?.deployments?.[0]?.serviceConnectConfiguration).toEqual(connect);
    expect(created).not.toHaveProperty('serviceConnectConfiguration');

    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'mesh',
        service: 'cart',
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE },
      }),
    );
    const updated = await describe();
    expect(updated?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(updated?.deployments?.[0]?.serviceConnectConfiguration).toEqual({
      enabled: true,
      namespace: NAMESPACE,
    });
    expect(updated?.deployments?.[1]?.serviceConnectConfiguration).toEqual(connect);
  });
});
