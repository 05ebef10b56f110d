// An independent client proves the wire format: the Debian `aws` CLI (botocore) against the emulator.
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { useTestEmulator } from '../helpers/emulator.js';

const hasAws = hasAwsCli;
if (!hasAws) {
  console.warn('aws-cli.test.ts: skipped — the `aws` CLI is not installed (apt-get install awscli)');
}

const env = useTestEmulator();
const aws = (...args: string[]) => awsCli(env().url, 'eu-west-1', ...args);

describe.skipIf(!hasAws)('the aws CLI against the emulator', () => {
  it('creates, updates, describes and deletes a service and a scalable target', async () => {
    const cluster = (await aws('ecs', 'create-cluster', '--cluster-name', 'cli')) as {
      cluster: { clusterArn: string };
    };
    // the region comes from the SigV4 credential scope
    expect(cluster.cluster.clusterArn).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/cli');
    const taskDefinition = JSON.stringify({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }],
    });
    const registered = (await aws('ecs', 'register-task-definition', '--cli-input-json', taskDefinition)) as {
      taskDefinition: { revision: number; containerDefinitions: Array<Record<string, unknown>> };
    };
    expect(registered.taskDefinition.revision).toBe(1);
    expect(registered.taskDefinition.containerDefinitions[0]).toMatchObject({
      essential: true,
      cpu: 0,
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
    });
    await aws(
      'ecs',
      'create-service',
      '--cluster',
      'cli',
      '--service-name',
      'web',
      '--task-definition',
      'web',
      '--desired-count',
      '2',
      '--launch-type',
      'FARGATE',
      '--network-configuration',
      'awsvpcConfiguration={subnets=[subnet-0abc],securityGroups=[sg-0abc]}',
    );
    env().advance(10);
    const described = (await aws('ecs', 'describe-services', '--cluster', 'cli', '--services', 'web')) as {
      services: Array<{
        runningCount: number;
        createdAt: string | number;
        deployments: Array<{ rolloutState: string }>;
      }>;
    };
    expect(described.services[0]?.runningCount).toBe(2);
    expect(described.services[0]?.deployments[0]?.rolloutState).toBe('COMPLETED');
    // botocore parsed the epoch-seconds timestamp (aws CLI v1 prints it back as epoch seconds, v2 as ISO)
    const createdAt = described.services[0]!.createdAt;
    const createdMs = typeof createdAt === 'number' ? createdAt * 1000 : Date.parse(createdAt);
    expect(Math.abs(createdMs - env().emulator.now())).toBeLessThan(60_000);
    const updated = (await aws(
      'ecs',
      'update-service',
      '--cluster',
      'cli',
      '--service',
      'web',
      '--desired-count',
      '0',
    )) as {
      service: { desiredCount: number };
    };
    expect(updated.service.desiredCount).toBe(0);
    await aws(
      'application-autoscaling',
      'register-scalable-target',
      '--service-namespace',
      'ecs',
      '--resource-id',
      'service/cli/web',
      '--scalable-dimension',
      'ecs:service:DesiredCount',
      '--min-capacity',
      '1',
      '--max-capacity',
      '3',
    );
    const targets = (await aws(
      'application-autoscaling',
      'describe-scalable-targets',
      '--service-namespace',
      'ecs',
    )) as {
      ScalableTargets: Array<{ MinCapacity: number; MaxCapacity: number }>;
    };
    expect(targets.ScalableTargets[0]).toMatchObject({ MinCapacity: 1, MaxCapacity: 3 });
    const deleted = (await aws(
      'ecs',
      'delete-service',
      '--cluster',
      'cli',
      '--service',
      'web',
      '--force',
    )) as {
      service: { status: string };
    };
    expect(deleted.service.status).toBe('DRAINING');
    // errors come back with the real code and message
    const failure = await aws('ecs', 'describe-task-definition', '--task-definition', 'ghost').catch(
      (error: Error) => error.message,
    );
    expect(String(failure)).toMatch(/ClientException.*Unable to describe task definition\./);
  }, 120_000); // about 20 CLI processes; a loaded machine starts Python slowly
});
