import { readFileSync } from 'node:fs';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import {
  describeService,
  errorOf,
  givenCluster,
  givenService,
  givenTaskDefinition,
  NETWORK,
} from './world.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/emulator/fargate-game.json', import.meta.url), 'utf8'),
) as {
  registerInput: Record<string, unknown>;
  createServiceOutput: { service: Record<string, unknown> };
  fieldsNewerThanCapture: { service: string[] };
};

const env = useTestEmulator();

/** Replaces live-only values so a real capture and an emulator answer compare equal. */
function normalize(service: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(service)
    .replace(/arn:aws:ecs:[a-z0-9-]+:\d{12}:/g, 'arn:aws:ecs:REGION:ACCOUNT:')
    .replace(/arn:aws:iam::\d{12}:role\/aws-service-role/g, 'arn:aws:iam::ACCOUNT:role/aws-service-role')
    .replace(/arn:aws:iam::(\d{12}|ACCOUNT):(root|user\/[^"]+)/g, 'arn:aws:iam::ACCOUNT:user/me')
    .replace(/ecs-svc\/\d{19}/g, 'ecs-svc/DEPLOYMENT')
    .replace(/"(createdAt|updatedAt)":"[^"]+"/g, '"$1":"T"');
  return JSON.parse(text) as Record<string, unknown>;
}

describe('CreateService / DescribeServices', () => {
  it('answers like the real captured create-service (fixture)', async () => {
    // given the cluster and task definition of the capture
    const { ecs } = env();
    await givenCluster(ecs, 'fargate-testing');
    await ecs.send(
      new (await import('@aws-sdk/client-ecs')).RegisterTaskDefinitionCommand(fixture.registerInput as never),
    );
    // when the captured command runs
    const out = await ecs.send(
      new CreateServiceCommand({
        cluster: 'fargate-testing',
        serviceName: 'fargate-game-service',
        taskDefinition: 'fargate-game:1',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-abcd1234'], securityGroups: ['sg-abcd1234'] },
        },
      }),
    );
    // then the answer matches, up to live-only values and fields ECS added since the capture
    const actual = normalize(JSON.parse(JSON.stringify(out.service)) as Record<string, unknown>);
    const expected = normalize(fixture.createServiceOutput.service);
    for (const key of fixture.fieldsNewerThanCapture.service) delete actual[key];
    expect(actual).toEqual(expected);
    expect(out.service?.deploymentController).toEqual({ type: 'ECS' });
    expect(out.service?.createdAt).toBeInstanceOf(Date);
  });

  it('starts tasks on the clock and reports tags only with include TAGS', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs, { tags: [{ key: 'ecs-gitops/managed-by', value: 'test' }] });
    const starting = await describeService(ecs);
    expect([starting.runningCount, starting.pendingCount]).toEqual([0, 2]);
    expect(starting.events?.[0]?.message).toMatch(
      /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
    );
    expect(starting.tags).toBeUndefined();
    advance(10);
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
    );
    const running = out.services![0]!;
    expect([running.runningCount, running.pendingCount]).toEqual([2, 0]);
    expect(running.deployments?.[0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
      status: 'PRIMARY',
    });
    expect(running.events?.[0]?.message).toBe('(service web) has reached a steady state.');
    expect(running.tags).toEqual([{ key: 'ecs-gitops/managed-by', value: 'test' }]);
  });

  it('is idempotent for the same request and rejects a different one for an existing name', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const first = await givenService(ecs, { clientToken: 'token-1' });
    const again = await givenService(ecs, { clientToken: 'token-1' });
    expect(again.serviceArn).toBe(first.serviceArn);
    expect(again.deployments?.[0]?.id).toBe(first.deployments?.[0]?.id);
    const error = await errorOf(givenService(ecs, { desiredCount: 5 }));
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Creation of service was not idempotent.',
    });
  });

  it.each([
    ['an unknown cluster', { cluster: 'nope' }, 'ClusterNotFoundException', 'Cluster not found.'],
    [
      'an unknown task definition',
      { taskDefinition: 'nope' },
      'ClientException',
      'TaskDefinition not found.',
    ],
    [
      'an awsvpc task definition without network configuration',
      { networkConfiguration: undefined },
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    ],
    [
      'both launch type and capacity provider strategy',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    ],
  ])('rejects %s', async (_case, input, name, message) => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const error = await errorOf(givenService(ecs, input as never));
    expect(error).toMatchObject({ name, message });
  });

  it('refuses an INACTIVE task definition', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    const error = await errorOf(givenService(ecs, { taskDefinition: 'web:1' }));
    expect(error).toMatchObject({ name: 'ClientException', message: 'TaskDefinition is inactive' });
  });

  it('reports unknown names as MISSING failures and rejects more than 10 names', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['ghost'] }));
    expect(out.services).toEqual([]);
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/ghost', reason: 'MISSING' },
    ]);
    const names = Array.from({ length: 11 }, (_, i) => `s${i}`);
    const error = await errorOf(ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: names })));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('ListServices', () => {
  it('pages 10 by default and up to 100 with maxResults', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    for (let i = 0; i < 12; i++) await givenService(ecs, { serviceName: `svc-${i}`, desiredCount: 0 });
    const first = await ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(first.serviceArns).toHaveLength(10);
    const rest = await ecs.send(new ListServicesCommand({ cluster: 'prod', nextToken: first.nextToken }));
    expect(rest.serviceArns).toHaveLength(2);
    expect(rest.nextToken).toBeUndefined();
    const all = await ecs.send(new ListServicesCommand({ cluster: 'prod', maxResults: 100 }));
    expect(all.serviceArns).toHaveLength(12);
    const error = await errorOf(ecs.send(new ListServicesCommand({ cluster: 'prod', maxResults: 101 })));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('UpdateService', () => {
  it('changes desiredCount without a new deployment, merges deploymentConfiguration', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const created = await givenService(ecs);
    advance(10);
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        desiredCount: 3,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    expect(out.service?.deployments).toHaveLength(1);
    expect(out.service?.deployments?.[0]?.id).toBe(created.deployments?.[0]?.id);
    expect(out.service?.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    advance(10);
    expect((await describeService(ecs)).runningCount).toBe(3);
  });

  it('starts a new deployment on forceNewDeployment and on a network change', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs);
    const forced = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }),
    );
    expect(forced.service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    const network = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        networkConfiguration: {
          awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration!, subnets: ['subnet-0def'] },
        },
      }),
    );
    expect(network.service?.deployments?.[0]?.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual([
      'subnet-0def',
    ]);
  });

  it('fails for unknown and deleted services with the ECS exceptions', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    const missing = await errorOf(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ghost', desiredCount: 1 })),
    );
    expect(missing).toMatchObject({ name: 'ServiceNotFoundException', message: 'Service not found.' });
    await givenService(ecs, { desiredCount: 0 });
    await ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' }));
    advance(30);
    const inactive = await errorOf(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })),
    );
    expect(inactive).toMatchObject({ name: 'ServiceNotActiveException', message: 'Service not active.' });
  });
});

describe('DeleteService', () => {
  it('refuses a scaled service without force, drains with force, then reports INACTIVE', async () => {
    const { ecs, advance } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs);
    advance(10);
    const refused = await errorOf(ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' })));
    expect(refused).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The service cannot be stopped while it is scaled above 0.',
    });
    const deleted = await ecs.send(
      new DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }),
    );
    expect(deleted.service?.status).toBe('DRAINING');
    expect((await ecs.send(new ListServicesCommand({ cluster: 'prod' }))).serviceArns).toHaveLength(1);
    advance(10);
    const after = await describeService(ecs);
    expect([after.status, after.runningCount]).toEqual(['INACTIVE', 0]);
    expect((await ecs.send(new ListServicesCommand({ cluster: 'prod' }))).serviceArns).toEqual([]);
    // the name can be used again
    const recreated = await givenService(ecs);
    expect(recreated.status).toBe('ACTIVE');
  });
});
