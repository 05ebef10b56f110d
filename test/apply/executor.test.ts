import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../controller/apply/executor.js';
import type { ApplyProgress } from '../../controller/apply/model.js';
import { followRollouts } from '../../controller/live/rollout.js';
import { OWNERSHIP_TAGS } from '../../controller/types.js';
import {
  changeSet,
  cluster,
  createFleet,
  entry,
  service,
  startWorld,
  type TestWorld,
  taskDefinition,
} from './support.js';

let world: TestWorld;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const options = { instance: 'test-ctl', revision: 'abc123' };

describe('applyChangeSet', () => {
  it('creates a fleet in dependency order, tagged as ours, and it becomes Healthy', async () => {
    // given an empty account and a ChangeSet creating a cluster, two task definitions and two services
    const events: ApplyProgress[] = [];
    // when it is applied
    const result = await applyChangeSet(world.clients, changeSet(createFleet(['web', 'api'])), {
      ...options,
      onProgress: (event) => events.push(event),
    });
    // then every entry was created, each once
    expect(result.entries.map((e) => [`${e.key.kind}/${e.key.name}`, e.outcome])).toEqual([
      ['Cluster/prod', 'created'],
      ['TaskDefinition/web', 'created'],
      ['TaskDefinition/api', 'created'],
      ['Service/web', 'created'],
      ['Service/api', 'created'],
    ]);
    expect(world.writes()).toEqual({
      'ecs:CreateCluster': 1,
      'ecs:RegisterTaskDefinition': 2,
      'ecs:CreateService': 2,
    });
    // and services started only after their cluster and task definition finished
    const doneOrder = events
      .filter((e) => e.type === 'done')
      .map((e) => (e.type === 'done' ? e.result.key.name : ''));
    expect(doneOrder.indexOf('prod')).toBeLessThan(doneOrder.indexOf('web', 2));
    const web = result.entries[3]!;
    expect(web.arn).toMatch(/:service\/prod\/web$/);
    expect(web.deploymentId).toMatch(/^ecs-svc\//);
    expect(web.service).toEqual({ cluster: 'prod', serviceName: 'web' });

    // and everything carries the ownership tags
    const described = await world.clients.ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
    );
    const tags = Object.fromEntries((described.services?.[0]?.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({
      [OWNERSHIP_TAGS.managedBy]: 'test-ctl',
      [OWNERSHIP_TAGS.revision]: 'abc123',
      [OWNERSHIP_TAGS.source]: 'services/web.yaml',
      team: 'web',
    });
    expect(described.services?.[0]?.taskDefinition).toMatch(/task-definition\/web:1$/);
    const td = await world.clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'api', include: ['TAGS'] }),
    );
    expect(td.tags).toContainEqual({ key: OWNERSHIP_TAGS.managedBy, value: 'test-ctl' });

    // and the rollouts are followed to Healthy on the emulator's clock
    const rollouts = await followRollouts(
      world.clients,
      result.entries.flatMap((e) =>
        e.service
          ? [{ cluster: e.service.cluster, service: e.service.serviceName, deploymentId: e.deploymentId }]
          : [],
      ),
      { timeoutMs: 120_000, pollMs: 5_000, sleep: world.sleep },
    );
    expect(rollouts.map((r) => [r.service, r.state, r.timedOut])).toEqual([
      ['web', 'Healthy', false],
      ['api', 'Healthy', false],
    ]);
  });

  it('skips only what depends on a failure, and reports the AWS error', async () => {
    // given CreateService for web keeps failing with a 5xx (more times than the SDK retries)
    await world.fault({
      operation: 'ecs:CreateService',
      kind: 'server-error',
      count: 20,
      match: { service: 'web' },
    });
    const entries = [
      ...createFleet(['web', 'api']),
      entry({
        action: 'create',
        key: { kind: 'ScalingPolicy', name: 'web' },
        desired: (await import('./support.js')).scalingPolicy('web', 'prod'),
        dependsOn: [{ kind: 'Service', name: 'web' }],
      }),
    ];
    // when the ChangeSet is applied
    const result = await applyChangeSet(world.clients, changeSet(entries), options);
    const byName = Object.fromEntries(result.entries.map((e) => [`${e.key.kind}/${e.key.name}`, e]));
    // then web failed with the service's error code, api still converged, and web's policy was skipped
    expect(byName['Service/web']).toMatchObject({
      outcome: 'failed',
      error: { code: 'ServerException', operation: 'CreateService' },
    });
    expect(byName['Service/api']?.outcome).toBe('created');
    expect(byName['ScalingPolicy/web']).toMatchObject({
      outcome: 'skipped',
      skipReason: 'dependency-failed',
    });
    expect(world.writes()['application-autoscaling:RegisterScalableTarget']).toBeUndefined();
  }, 20_000);

  it('never writes for blocked, noop or unowned-delete entries', async () => {
    // given entries the plan blocked, one in sync, and a delete of something not ours
    const entries = [
      entry({
        action: 'update',
        desired: cluster('prod'),
        blocked: { reason: 'sync-disabled', message: 'ecs-gitops/sync: disabled' },
      }),
      entry({
        action: 'noop',
        desired: taskDefinition('web', 'nginx'),
        taskDefinition: { family: 'web', register: false },
      }),
      entry({ action: 'delete', key: { kind: 'Service', name: 'legacy' }, diff: { owned: false } }),
      entry({
        action: 'replace',
        desired: service('web', 'prod', 'web'),
        diff: { replaceReasons: ['launchType: FARGATE → EC2'] },
      }),
    ];
    // when applied
    const result = await applyChangeSet(world.clients, changeSet(entries), options);
    // then nothing was sent and each says why
    expect(result.entries.map((e) => [e.outcome, e.skipReason ?? null])).toEqual([
      ['skipped', 'sync-disabled'],
      ['unchanged', null],
      ['skipped', 'unowned'],
      ['skipped', 'replace-not-allowed'],
    ]);
    expect(world.writes()).toEqual({});
  });

  it('writes nothing in a dry run but says what it would do', async () => {
    const result = await applyChangeSet(world.clients, changeSet(createFleet(['web'])), {
      ...options,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(result.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created']);
    expect(result.entries.every((e) => e.message.startsWith('would '))).toBe(true);
    expect(world.emulator.calls()).toEqual({});
  });

  it('makes exactly one service when CreateService is committed but its answer is lost', async () => {
    // given the emulator drops the connection right after committing CreateService
    await world.fault({ operation: 'ecs:CreateService', kind: 'drop-after-commit', count: 1 });
    // when the fleet is applied (the SDK retries the create with the same clientToken)
    const result = await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
    // then the create is reported once and exactly one service exists
    expect(result.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created']);
    expect(world.emulator.calls()['ecs:CreateService']).toBe(2);
    const listed = await world.clients.ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(listed.serviceArns).toHaveLength(1);
  });
});
