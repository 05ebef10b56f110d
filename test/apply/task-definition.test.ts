import { ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../controller/apply/executor.js';
import { emptyLiveState } from '../../controller/live/model.js';
import { OWNERSHIP_TAGS } from '../../controller/types.js';
import { changeSet, entry, startWorld, type TestWorld, taskDefinition } from './support.js';

let world: TestWorld;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const instance = 'test-ctl';

async function register(image: string, owned: boolean): Promise<string> {
  const out = await world.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image }],
      ...(owned ? { tags: [{ key: OWNERSHIP_TAGS.managedBy, value: instance }] } : {}),
    }),
  );
  return out.taskDefinition?.taskDefinitionArn as string;
}

async function activeRevisions(): Promise<number[]> {
  const out = await world.clients.ecs.send(
    new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'ACTIVE' }),
  );
  return (out.taskDefinitionArns ?? []).map((arn) => Number(arn.split(':').pop())).sort((a, b) => a - b);
}

describe('task definition revision history', () => {
  it('deregisters our revisions beyond the limit, never one in use or not ours', async () => {
    // given web:1 (ours, still run by a service), web:2 (registered by someone else), web:3 (ours)
    const inUse = await register('nginx:1', true);
    await register('nginx:2', false);
    await register('nginx:3', true);
    const live = {
      ...emptyLiveState(),
      services: {
        'prod/web': {
          serviceName: 'web',
          taskDefinition: inUse,
          deployments: [{ status: 'PRIMARY', taskDefinition: inUse }],
        },
      },
    };
    // when a new revision is registered with revisionHistoryLimit 1
    const desired = { ...taskDefinition('web', 'nginx:4'), revisionHistoryLimit: 1 };
    const result = await applyChangeSet(
      world.clients,
      changeSet([entry({ action: 'update', desired, taskDefinition: { family: 'web', register: true } })]),
      { instance, revision: 'r4', live },
    );
    // then web:4 is registered and only web:3 is deregistered
    expect(result.entries[0]).toMatchObject({ outcome: 'configured' });
    expect(result.entries[0]?.message).toBe('registered web:4; deregistered web:3');
    expect(await activeRevisions()).toEqual([1, 2, 4]);
    expect(world.writes()).toEqual({ 'ecs:RegisterTaskDefinition': 4, 'ecs:DeregisterTaskDefinition': 1 });
  });

  it('keeps every revision when it cannot tell which ones services run', async () => {
    await register('nginx:1', true);
    await register('nginx:2', true);
    const desired = { ...taskDefinition('web', 'nginx:3'), revisionHistoryLimit: 1 };
    await applyChangeSet(
      world.clients,
      changeSet([entry({ action: 'update', desired, taskDefinition: { family: 'web', register: true } })]),
      { instance, revision: 'r3' },
    );
    expect(await activeRevisions()).toEqual([1, 2, 3]);
  });

  it('retags the matching revision instead of registering when only tags differ', async () => {
    const arn = await register('nginx:1', true);
    const desired = taskDefinition('web', 'nginx:1');
    const result = await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired,
          taskDefinition: { family: 'web', arn, register: false },
          diff: { changes: [{ path: 'tags[team]', op: 'add', desired: 'web' }], liveArn: arn },
        }),
      ]),
      { instance, revision: 'r2' },
    );
    expect(result.entries[0]).toMatchObject({ outcome: 'configured', arn });
    expect(world.writes()).toEqual({ 'ecs:RegisterTaskDefinition': 1, 'ecs:TagResource': 1 });
  });
});
