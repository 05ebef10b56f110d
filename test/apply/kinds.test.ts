// Per-kind behaviour of apply: narrow update calls, forced deployments, replace, adoption, clientToken.
import {
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_TOKEN_MAX_LENGTH, serviceClientToken } from '../../controller/apply/client-token.js';
import { applyChangeSet } from '../../controller/apply/executor.js';
import { OWNERSHIP_TAGS } from '../../controller/types.js';
import { changeSet, cluster, createFleet, entry, service, startWorld, type TestWorld } from './support.js';

let world: TestWorld;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const options = { instance: 'test-ctl', revision: 'r1' };

/**
 * Given web applied on Fargate, replace it by an EC2 one (launchType is create-only; the manifest
 * allows the replace), with these apply options on top of the test's own.
 */
async function replaceWebOnEc2(applyOptions: Partial<Parameters<typeof applyChangeSet>[2]>) {
  await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
  const before = await liveService('web');
  const desired = service('web', 'prod', 'web', { launchType: 'EC2' }, { policy: { replaceAllowed: true } });
  world.emulator.resetCalls();
  const result = await applyChangeSet(
    world.clients,
    changeSet([
      entry({
        action: 'replace',
        desired,
        taskDefinition: { family: 'web', register: false, arn: String(before?.taskDefinition) },
        diff: { liveArn: before?.serviceArn, replaceReasons: ['launchType: FARGATE → EC2'] },
      }),
    ]),
    { ...options, revision: 'r2', pollMs: 5_000, ...applyOptions },
  );
  return { before, result };
}

async function liveService(name: string) {
  const out = await world.clients.ecs.send(
    new DescribeServicesCommand({ cluster: 'prod', services: [name], include: ['TAGS'] }),
  );
  return out.services?.[0];
}

describe('the spec-hash record across an interrupted update', () => {
  it('given the tags after UpdateService cannot be written (a crash in between), when a service is updated, then it is never left changed under its previous record', async () => {
    // given a service recorded under the spec hash "old"
    const spec = (hash: string) => ({
      ...options,
      extraTags: () => ({ [OWNERSHIP_TAGS.specHash]: hash }),
    });
    await applyChangeSet(world.clients, changeSet(createFleet(['web'])), spec('old'));
    const before = await liveService('web');
    expect(before?.tags).toContainEqual({ key: OWNERSHIP_TAGS.specHash, value: 'old' });
    // when it is updated while every TagResource fails
    await world.fault({ operation: 'ecs:TagResource', kind: 'server-error', count: 100 });
    await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired: service('web', 'prod', 'web', { desiredCount: 5 }),
          diff: {
            liveArn: before?.serviceArn,
            changes: [{ path: 'desiredCount', op: 'change', desired: 5, live: 2 }],
          },
        }),
      ]),
      spec('new'),
    );
    // then either nothing changed, or the record no longer says "old"
    const after = await liveService('web');
    const record = after?.tags?.find((t) => t.key === OWNERSHIP_TAGS.specHash)?.value;
    if (after?.desiredCount !== before?.desiredCount) expect(record).not.toBe('old');
    expect(after?.desiredCount === before?.desiredCount || record === 'pending:new').toBe(true);
  });
});

describe('clientToken', () => {
  it('is deterministic, at most 36 ASCII characters, and changes with the revision or content', () => {
    const key = { kind: 'Service', name: 'web' } as const;
    const token = serviceClientToken('ctl', key, 'abc', { desiredCount: 2 });
    expect(token).toBe(serviceClientToken('ctl', key, 'abc', { desiredCount: 2 }));
    expect(token.length).toBeLessThanOrEqual(CLIENT_TOKEN_MAX_LENGTH);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
    expect(serviceClientToken('ctl', key, 'def', { desiredCount: 2 })).not.toBe(token);
    expect(serviceClientToken('ctl', key, 'abc', { desiredCount: 3 })).not.toBe(token);
    expect(serviceClientToken('other', key, 'abc', { desiredCount: 2 })).not.toBe(token);
  });
});

describe('cluster updates', () => {
  it('sends only the calls for the fields that changed', async () => {
    await applyChangeSet(
      world.clients,
      changeSet([entry({ action: 'create', desired: cluster('prod') })]),
      options,
    );
    const arn = `arn:aws:ecs:us-east-1:123456789012:cluster/prod`;
    const desired = cluster('prod', {
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    world.emulator.resetCalls();
    const result = await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired,
          diff: {
            liveArn: arn,
            changes: [
              { path: 'settings[containerInsights]', op: 'change', desired: 'enabled', live: 'disabled' },
              { path: 'capacityProviders', op: 'add', desired: ['FARGATE', 'FARGATE_SPOT'] },
            ],
          },
        }),
      ]),
      { ...options, revision: 'r2' },
    );
    expect(result.entries[0]?.outcome).toBe('configured');
    expect(world.writes()).toEqual({
      'ecs:UpdateClusterSettings': 1,
      'ecs:PutClusterCapacityProviders': 1,
      'ecs:TagResource': 1,
    });
    const described = await world.clients.ecs.send(
      new DescribeClustersCommand({ clusters: ['prod'], include: ['SETTINGS', 'TAGS'] }),
    );
    const live = described.clusters?.[0];
    expect(live?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(live?.settings).toContainEqual({ name: 'containerInsights', value: 'enabled' });
    expect(live?.tags).toContainEqual({ key: OWNERSHIP_TAGS.revision, value: 'r2' });
  });
});

describe('service updates', () => {
  it('forces a new deployment when the capacity provider strategy changes, and leaves other fields alone', async () => {
    const [, ...rest] = createFleet(['web']);
    const withProviders = entry({
      action: 'create',
      desired: cluster('prod', { capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }),
    });
    await applyChangeSet(world.clients, changeSet([withProviders, ...rest]), options);
    await world.sleep(60_000);
    const before = await liveService('web');
    const desired = service('web', 'prod', 'web', {
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      desiredCount: 5,
    });
    world.emulator.resetCalls();
    const result = await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired,
          diff: {
            liveArn: before?.serviceArn,
            changes: [
              { path: 'capacityProviderStrategy[FARGATE_SPOT]', op: 'add', desired: { weight: 1 } },
              { path: 'launchType', op: 'remove', live: 'FARGATE' },
            ],
          },
        }),
      ]),
      options,
    );
    // then one UpdateService with the strategy and a forced deployment; desiredCount was not in the diff
    expect(result.entries[0]).toMatchObject({
      outcome: 'configured',
      message: 'updated capacityProviderStrategy',
    });
    expect(result.entries[0]?.deploymentId).not.toBe(before?.deployments?.[0]?.id);
    const after = await liveService('web');
    expect(after?.capacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 },
    ]);
    expect(after?.desiredCount).toBe(2);
    expect(after?.deployments?.filter((d) => d.status === 'PRIMARY')).toHaveLength(1);
    expect(after?.deployments?.length).toBe(2);
  });

  it('replaces a service (scale to 0, delete, wait for INACTIVE, recreate) when allowed', async () => {
    const { before, result } = await replaceWebOnEc2({ sleep: world.sleep });
    expect(result.entries[0]).toMatchObject({
      outcome: 'configured',
      message: 'replaced (launchType: FARGATE → EC2)',
    });
    expect(world.writes()).toMatchObject({
      'ecs:UpdateService': 1,
      'ecs:DeleteService': 1,
      'ecs:CreateService': 1,
    });
    const after = await liveService('web');
    expect(after?.status).toBe('ACTIVE');
    expect(after?.launchType).toBe('EC2');
    expect(after?.serviceArn).toBe(before?.serviceArn);
    expect(after?.createdAt?.getTime()).toBeGreaterThan(before?.createdAt?.getTime() ?? 0);
  });

  it('given an old service that never drains, when the replace has waited past its timeout by the injected clock, then it fails with ReplaceTimeout and creates nothing', async () => {
    // a sleep that leaves the emulator's clock alone (the old service stays DRAINING) while the
    // controller's clock says each poll took 6 minutes
    let elapsed = 0;
    const { result } = await replaceWebOnEc2({
      replaceTimeoutMs: 10 * 60_000,
      clock: { now: () => new Date(elapsed), monotonicMs: () => elapsed },
      sleep: async () => {
        elapsed += 6 * 60_000;
      },
    });
    expect(result.entries[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'ReplaceTimeout', retryable: true },
    });
    expect(result.entries[0]?.message).toContain('still DRAINING after 600 s');
    expect(world.writes()['ecs:CreateService']).toBeUndefined();
    expect(world.emulator.calls()['ecs:DescribeServices']).toBe(3);
  });

  it('adopts an unowned service when the manifest opts in, by tagging it', async () => {
    await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
    await world.clients.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'legacy',
        taskDefinition: 'web',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0abc'] } },
      }),
    );
    const legacy = await liveService('legacy');
    world.emulator.resetCalls();
    const desired = service('legacy', 'prod', 'web', { desiredCount: 1 }, { policy: { adopt: true } });
    const result = await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired,
          diff: {
            owned: false,
            liveArn: legacy?.serviceArn,
            changes: [{ path: `tags[${OWNERSHIP_TAGS.managedBy}]`, op: 'add', desired: 'test-ctl' }],
          },
        }),
      ]),
      options,
    );
    expect(result.entries[0]).toMatchObject({ outcome: 'configured', message: 'adopted' });
    expect(world.writes()).toEqual({ 'ecs:TagResource': 1 });
    expect((await liveService('legacy'))?.tags).toContainEqual({
      key: OWNERSHIP_TAGS.managedBy,
      value: 'test-ctl',
    });
    const listed = await world.clients.ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(listed.serviceArns).toHaveLength(2);
  });
});
