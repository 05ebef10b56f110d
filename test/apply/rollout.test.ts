// Following rollouts after apply, on the emulator's manual clock (the poll's sleep advances it).
import { afterEach, describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../controller/apply/executor.js';
import { followRollouts, type RolloutResult } from '../../controller/live/rollout.js';
import {
  changeSet,
  createFleet,
  entry,
  service,
  startWorld,
  type TestWorld,
  taskDefinition,
} from './support.js';

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const options = { instance: 'test-ctl', revision: 'r1' };

describe('followRollouts', () => {
  it('reports a circuit-breaker rollback as Degraded with the tasks stoppedReason', async () => {
    // given a Healthy service on a good image
    world = await startWorld({ failImagePattern: 'broken' });
    await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
    await world.sleep(60_000);
    // when its task definition moves to an image that cannot start
    const update = await applyChangeSet(
      world.clients,
      changeSet([
        entry({
          action: 'update',
          desired: taskDefinition('web', 'public.ecr.aws/nginx/nginx:broken'),
          taskDefinition: { family: 'web', register: true },
        }),
        entry({
          action: 'update',
          desired: service('web', 'prod', 'web'),
          diff: { changes: [{ path: 'taskDefinition', op: 'change', desired: 'web:2', live: 'web:1' }] },
          dependsOn: [{ kind: 'TaskDefinition', name: 'web' }],
        }),
      ]),
      { ...options, revision: 'r2' },
    );
    const web = update.entries[1]!;
    expect(web.deploymentId).toBeDefined();
    const updates: RolloutResult[] = [];
    const [result] = await followRollouts(
      world.clients,
      [{ cluster: 'prod', service: 'web', deploymentId: web.deploymentId }],
      { timeoutMs: 600_000, pollMs: 5_000, sleep: world.sleep, onUpdate: (r) => updates.push(r) },
    );
    // then it ends Degraded, rolled back, with the reason the tasks stopped
    expect(result).toMatchObject({
      state: 'Degraded',
      reason: 'RolledBack',
      rolledBack: true,
      timedOut: false,
    });
    expect(result?.stoppedReasons[0]).toMatch(/CannotPullContainerError/);
    expect(result?.message).toMatch(/CannotPullContainerError/);
    // and it was seen Progressing on the way, never Healthy
    expect(updates[0]?.state).toBe('Progressing');
    expect(updates.some((u) => u.state === 'Healthy')).toBe(false);
  });

  it('gives up after the timeout with the last state', async () => {
    world = await startWorld();
    const created = await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
    const web = created.entries.find((e) => e.service)!;
    // a sleep that never moves the clock: the rollout cannot finish
    let polls = 0;
    const [result] = await followRollouts(
      world.clients,
      [{ cluster: 'prod', service: 'web', deploymentId: web.deploymentId }],
      {
        timeoutMs: 20_000,
        pollMs: 5_000,
        sleep: async () => {
          polls += 1;
        },
      },
    );
    expect(result).toMatchObject({ state: 'Progressing', timedOut: true });
    expect(polls).toBe(4);
    expect(world.emulator.calls()['ecs:DescribeServices']).toBe(5);
  });

  it('given a clock that says a stalled poll took a minute, when following with a 20 s timeout, then it gives up after that poll', async () => {
    world = await startWorld();
    const created = await applyChangeSet(world.clients, changeSet(createFleet(['web'])), options);
    const web = created.entries.find((e) => e.service)!;
    // one poll whose wait the injected clock says lasted 60 s (a stalled call, a suspended laptop)
    let elapsed = 0;
    let polls = 0;
    const [result] = await followRollouts(
      world.clients,
      [{ cluster: 'prod', service: 'web', deploymentId: web.deploymentId }],
      {
        timeoutMs: 20_000,
        pollMs: 5_000,
        clock: { now: () => new Date(elapsed), monotonicMs: () => elapsed },
        sleep: async () => {
          polls += 1;
          elapsed += 60_000;
        },
      },
    );
    expect(result).toMatchObject({ state: 'Progressing', timedOut: true });
    expect(polls).toBe(1);
    expect(world.emulator.calls()['ecs:DescribeServices']).toBe(2);
  });

  it('describes up to 10 services per call', async () => {
    world = await startWorld();
    const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
    await applyChangeSet(world.clients, changeSet(createFleet(names)), options);
    await world.sleep(60_000);
    world.emulator.resetCalls();
    const results = await followRollouts(
      world.clients,
      names.map((name) => ({ cluster: 'prod', service: name })),
      { timeoutMs: 0, pollMs: 1_000, sleep: world.sleep },
    );
    expect(results.every((r) => r.state === 'Healthy')).toBe(true);
    expect(world.emulator.calls()).toEqual({ 'ecs:DescribeServices': 2 });
  });
});
