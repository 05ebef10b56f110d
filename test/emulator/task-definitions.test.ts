import { readFileSync } from 'node:fs';
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { errorOf, fargateTaskDefinition } from './world.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/emulator/fargate-game.json', import.meta.url), 'utf8'),
) as {
  registerInput: RegisterTaskDefinitionCommandInput;
  registerOutput: { taskDefinition: Record<string, unknown> };
  fieldsNewerThanCapture: { taskDefinition: string[]; container: string[] };
};

const env = useTestEmulator();

describe('RegisterTaskDefinition / DescribeTaskDefinition', () => {
  it('returns what real ECS returned for the same registration (fixture), with live-only values in place', async () => {
    // given the input of a real, captured registration
    const { ecs } = env();
    // when it is registered and described
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(fixture.registerInput));
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'fargate-game' }));
    // then every field real ECS returned is there with the same value
    const expected = { ...fixture.registerOutput.taskDefinition };
    const actual = JSON.parse(JSON.stringify(described.taskDefinition)) as Record<string, unknown>;
    expect(actual.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:123456789012:task-definition/fargate-game:1',
    );
    expect(actual.registeredBy).toMatch(/^arn:aws:iam::123456789012:/);
    expect(described.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    for (const key of ['taskDefinitionArn', 'registeredAt', 'registeredBy']) {
      delete expected[key];
      delete actual[key];
    }
    // and the only extra fields are the ones ECS added since that capture
    for (const key of fixture.fieldsNewerThanCapture.taskDefinition) delete actual[key];
    for (const container of actual.containerDefinitions as Record<string, unknown>[]) {
      for (const key of fixture.fieldsNewerThanCapture.container) delete container[key];
    }
    expect(actual).toEqual(expected);
    expect(registered.taskDefinition?.revision).toBe(1);
  });

  it('fills the defaults ECS fills: cpu 0, essential, hostPort/protocol, empty lists, healthCheck timings', async () => {
    const { ecs } = env();
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateTaskDefinition('web', 'nginx', {
          containerDefinitions: [
            {
              name: 'web',
              image: 'nginx',
              portMappings: [{ containerPort: 80 }, { containerPort: 53, protocol: 'udp' }],
              healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
            },
          ],
        }),
      ),
    );
    const container = out.taskDefinition!.containerDefinitions![0]!;
    expect(container.cpu).toBe(0);
    expect(container.essential).toBe(true);
    expect(container.portMappings).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'tcp' },
      { containerPort: 53, hostPort: 53, protocol: 'udp' },
    ]);
    expect(container.environment).toEqual([]);
    expect(container.mountPoints).toEqual([]);
    expect(container.volumesFrom).toEqual([]);
    expect(container.systemControls).toEqual([]);
    expect(container.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
    });
    expect(out.taskDefinition!.enableFaultInjection).toBe(false);
    expect(out.taskDefinition!.status).toBe('ACTIVE');
    expect(out.taskDefinition!.compatibilities).toEqual(['EC2', 'FARGATE']);
  });

  it('reports bridge-mode dynamic host ports as 0 and converts "0.25 vCPU" / "0.5GB" task sizes', async () => {
    const { ecs } = env();
    const bridge = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'ec2',
        containerDefinitions: [
          { name: 'app', image: 'app:1', memory: 256, portMappings: [{ containerPort: 8080 }] },
        ],
      }),
    );
    expect(bridge.taskDefinition!.containerDefinitions![0]!.portMappings).toEqual([
      { containerPort: 8080, hostPort: 0, protocol: 'tcp' },
    ]);
    expect(bridge.taskDefinition!.compatibilities).toEqual(['EXTERNAL', 'EC2']);
    const sized = await ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateTaskDefinition('sized', 'nginx', { cpu: '0.25 vCPU', memory: '0.5GB' }),
      ),
    );
    expect([sized.taskDefinition!.cpu, sized.taskDefinition!.memory]).toEqual(['256', '512']);
  });

  it('numbers revisions per family and resolves family, family:revision and ARN', async () => {
    const { ecs } = env();
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 'nginx:1')));
    const second = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 'nginx:2')));
    const byFamily = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: second.taskDefinition!.taskDefinitionArn! }),
    );
    expect(byFamily.taskDefinition!.revision).toBe(2);
    expect(byRevision.taskDefinition!.containerDefinitions![0]!.image).toBe('nginx:1');
    expect(byArn.taskDefinition!.revision).toBe(2);
  });

  it('returns tags only with include TAGS', async () => {
    const { ecs } = env();
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...fargateTaskDefinition(),
        tags: [{ key: 'team', value: 'web' }],
      }),
    );
    const without = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    const withTags = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] }),
    );
    expect(without.tags).toBeUndefined();
    expect(withTags.tags).toEqual([{ key: 'team', value: 'web' }]);
  });

  it.each([
    [
      'a Fargate cpu/memory pair that does not exist',
      fargateTaskDefinition('x', 'nginx', { cpu: '256', memory: '4096' }),
      'No Fargate configuration exists for given values: 256 CPU, 4096 memory.',
    ],
    [
      'FARGATE without awsvpc',
      fargateTaskDefinition('x', 'nginx', { networkMode: 'bridge' }),
      'Fargate only supports network mode \u2018awsvpc\u2019.',
    ],
    [
      'FARGATE without task cpu',
      fargateTaskDefinition('x', 'nginx', { cpu: undefined }),
      "Fargate requires that 'cpu' be defined at the task level.",
    ],
    [
      'a container without image',
      fargateTaskDefinition('x', 'nginx', { containerDefinitions: [{ name: 'web', image: '' }] }),
      'Container.image should not be null or empty.',
    ],
    [
      'a container without name',
      fargateTaskDefinition('x', 'nginx', { containerDefinitions: [{ image: 'nginx' }] }),
      'Container.name should not be null or empty.',
    ],
    [
      'two containers with the same name',
      fargateTaskDefinition('x', 'nginx', {
        containerDefinitions: [
          { name: 'web', image: 'nginx' },
          { name: 'web', image: 'nginx' },
        ],
      }),
      "Duplicate container name: 'web'.",
    ],
    [
      'an awsvpc host port different from the container port',
      fargateTaskDefinition('x', 'nginx', {
        containerDefinitions: [
          { name: 'web', image: 'nginx', portMappings: [{ containerPort: 80, hostPort: 8080 }] },
        ],
      }),
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    ],
    [
      'an EC2 container without any memory setting',
      { family: 'x', containerDefinitions: [{ name: 'web', image: 'nginx' }] },
      "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
    ],
    ['no containers', { family: 'x', containerDefinitions: [] }, 'Container list cannot be empty.'],
  ])('rejects %s with ClientException', async (_case, input, message) => {
    const { ecs } = env();
    const error = await errorOf(
      ecs.send(new RegisterTaskDefinitionCommand(input as RegisterTaskDefinitionCommandInput)),
    );
    expect(error).toMatchObject({ name: 'ClientException', message, status: 400 });
  });

  it('fails DescribeTaskDefinition for an unknown family', async () => {
    const { ecs } = env();
    const error = await errorOf(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })));
    expect(error).toMatchObject({ name: 'ClientException', message: 'Unable to describe task definition.' });
  });
});

describe('ListTaskDefinitions / ListTaskDefinitionFamilies / Deregister / Delete', () => {
  it('lists ACTIVE revisions with pagination, families by prefix, and moves revisions to INACTIVE then DELETE_IN_PROGRESS', async () => {
    const { ecs } = env();
    for (let i = 0; i < 3; i++)
      await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('worker')));
    // pagination
    const first = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2 }));
    const second = await ecs.send(
      new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(first.taskDefinitionArns).toHaveLength(2);
    expect(second.taskDefinitionArns?.map((arn) => arn.split('/').pop())).toEqual(['web:3', 'worker:1']);
    expect(second.nextToken).toBeUndefined();
    const desc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', sort: 'DESC' }));
    expect(desc.taskDefinitionArns?.map((arn) => arn.split('/').pop())).toEqual(['web:3', 'web:2', 'web:1']);
    const families = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'w' }));
    expect(families.families).toEqual(['web', 'worker']);
    // deregister: INACTIVE, still describable by revision, no longer the family's latest
    const deregistered = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:3' }));
    expect(deregistered.taskDefinition?.status).toBe('INACTIVE');
    expect(deregistered.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((arn) => arn.split('/').pop())).toEqual(['web:3']);
    // delete: only INACTIVE revisions
    const deleted = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['web:3', 'web:2'] }));
    expect(deleted.taskDefinitions?.map((td) => [td.revision, td.status])).toEqual([
      [3, 'DELETE_IN_PROGRESS'],
    ]);
    expect(deleted.failures?.[0]?.reason).toMatch(/still in ACTIVE status/);
    const gone = await errorOf(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:3' })));
    expect(gone.name).toBe('ClientException');
  });

  it('refuses to deregister a family without a revision', async () => {
    const { ecs } = env();
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    const error = await errorOf(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' })));
    expect(error.name).toBe('ClientException');
  });
});
