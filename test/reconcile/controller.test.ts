// The reconcile loop against fake ports and fake timers: what it decides, pass by pass, with no AWS,
// no Git and no wall clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResourceDiff } from '../../controller/diff/model.js';
import type { DesiredScalingPolicy, DesiredService } from '../../controller/manifest/model.js';
import { fingerprintAll } from '../../controller/reconcile/fingerprint.js';
import { getCondition } from '../../controller/status/conditions.js';
import type { KeyString } from '../../controller/types.js';
import { scalingPolicy, service } from '../apply/support.js';
import { type FakeWorld, fakeWorld, HEALTHY } from './fake-ports.js';

const WEB: KeyString = 'Service/web';
const API: KeyString = 'Service/api';
const THROTTLED = {
  outcome: 'failed',
  code: 'ThrottlingException',
  message: 'Rate exceeded',
  retryable: true,
} as const;
const ROLLING = { state: 'Progressing', reason: 'RolloutInProgress', message: '1/2 running' } as const;

function update(desired: DesiredService): ResourceDiff<'Service'> {
  return {
    key: desired.key,
    action: 'update',
    changes: [{ path: 'desiredCount', op: 'change', desired: 2, live: 3 }],
    replaceReasons: [],
    owned: true,
    desired,
  };
}

function noop(desired: DesiredService): ResourceDiff<'Service'> {
  return { key: desired.key, action: 'noop', changes: [], replaceReasons: [], owned: true, desired };
}

let world: FakeWorld | undefined;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  await world?.reconciler.stop();
  world = undefined;
  vi.useRealTimers();
});

/** Starts the loop on revision r1 with one out-of-sync Service and waits for the first pass. */
async function started(setup: (w: FakeWorld) => void): Promise<FakeWorld> {
  const w = fakeWorld();
  world = w;
  const web = service('web', 'prod', 'web');
  w.commit('r1', [web]);
  w.setDiffs([update(web)]);
  setup(w);
  const pass = w.nextPass();
  w.reconciler.start();
  await pass;
  return w;
}

describe('errors that mean something', () => {
  it('given AWS refuses the content for good (terminal), then the resource is Stalled with the AWS message and not retried until the revision changes', async () => {
    // given an UpdateService that fails with InvalidParameterException
    const w = await started((w) =>
      w.answer(WEB, {
        outcome: 'failed',
        code: 'InvalidParameterException',
        message: 'subnet-0abc does not exist',
        retryable: false,
      }),
    );
    expect(w.writes).toEqual([WEB]);
    const first = w.resource(WEB)!;
    expect(first.sync).toBe('Failed');
    expect(getCondition(first.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'TerminalError',
      message: 'InvalidParameterException: subnet-0abc does not exist',
    });

    // when ten minutes of resyncs pass
    const passes = w.reconciler.passes;
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // then the loop kept looking but never sent the refused content again
    expect(w.reconciler.passes).toBeGreaterThan(passes + 5);
    expect(w.writes).toEqual([WEB]);
    const later = w.resource(WEB)!;
    expect(later.sync).toBe('Failed');
    expect(later.lastError?.message).toBe('subnet-0abc does not exist');
    expect(getCondition(later.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'TerminalError',
    });

    // when a new revision arrives (same content), then it is tried again
    w.commit('r2', [service('web', 'prod', 'web')]);
    const pass = w.nextPass();
    w.reconciler.requestSync('new revision');
    await pass;
    expect(w.writes).toEqual([WEB, WEB]);
  });

  it('given a stalled resource, when someone presses Sync now, then it is tried again', async () => {
    const w = await started((w) =>
      w.answer(WEB, {
        outcome: 'failed',
        code: 'ClientException',
        message: 'role missing',
        retryable: false,
      }),
    );
    expect(w.writes).toEqual([WEB]);
    w.answer(WEB, { outcome: 'configured' });

    // a pass whose reason merely looks like the API is not Sync now: only the typed field counts
    const plain = w.nextPass();
    w.reconciler.requestSync('api', { fetch: false });
    await plain;
    expect(w.writes).toEqual([WEB]);

    const pass = w.nextPass();
    w.reconciler.requestSync('api', { fetch: false, manual: true });
    await pass;

    expect(w.writes).toEqual([WEB, WEB]);
    expect(w.resource(WEB)?.sync).toBe('Synced');
  });

  it('given a retryable failure (throttling), then the resource is retried after its backoff and recovers', async () => {
    const w = await started((w) =>
      w.answer(WEB, {
        outcome: 'failed',
        code: 'ThrottlingException',
        message: 'Rate exceeded',
        retryable: true,
      }),
    );
    expect(w.writes).toEqual([WEB]);
    expect(getCondition(w.resource(WEB)!.conditions, 'Stalled')?.reason).toBe('ApplyFailed');

    // when the first backoff (1 s in this world) has passed, then it is tried again
    await vi.advanceTimersByTimeAsync(1_100);
    expect(w.writes).toEqual([WEB, WEB]);

    // when the next try succeeds (after the doubled backoff), then it is Synced
    w.answer(WEB, { outcome: 'configured' });
    await vi.advanceTimersByTimeAsync(2_100);
    expect(w.writes).toEqual([WEB, WEB, WEB]);
    expect(w.resource(WEB)?.sync).toBe('Synced');
  });
});

describe('drift vs deploy, standby', () => {
  it('given live differs while the applied record (spec-hash tag) matches the desired content, then it is drift: reported, not applied', async () => {
    const web = service('web', 'prod', 'web');
    const w = await started((w) => w.setRecordedFingerprint(WEB, fingerprintAll([web]).get(WEB)));
    expect(w.writes).toEqual([]);
    const status = w.resource(WEB)!;
    expect(status.sync).toBe('Drifted');
    expect(getCondition(status.conditions, 'Drifted')?.status).toBe('True');
    expect(w.events.filter((e) => e.type === 'DriftDetected')).toHaveLength(1);
  });

  it('given no applied record, then the difference is a deploy and is applied', async () => {
    const w = await started(() => undefined);
    expect(w.writes).toEqual([WEB]);
    expect(w.resource(WEB)?.sync).toBe('Synced');
  });

  it('given another instance holds the write lease, then nothing is written and the resource says why', async () => {
    const w = await started((w) => w.setLease(false));
    expect(w.writes).toEqual([]);
    const status = w.resource(WEB)!;
    expect(status.sync).toBe('OutOfSync');
    expect(getCondition(status.conditions, 'Stalled')).toMatchObject({ status: 'True', reason: 'standby' });
  });
});

describe('targeted passes', () => {
  const POLICY: KeyString = 'ScalingPolicy/web';
  /** A create (nothing live yet) or a noop (live matches) of the service or its policy. */
  function diffOf(action: 'create' | 'noop', desired: DesiredService | DesiredScalingPolicy): ResourceDiff {
    const common = { action, changes: [], replaceReasons: [], ...(action === 'noop' ? { owned: true } : {}) };
    return desired.kind === 'Service'
      ? { ...common, key: desired.key, desired }
      : { ...common, key: desired.key, desired };
  }
  const create = (desired: DesiredService | DesiredScalingPolicy) => diffOf('create', desired);
  const noop = (desired: DesiredService | DesiredScalingPolicy) => diffOf('noop', desired);

  it('given a pass that created a service and its scaling policy, when the rollout follow-up runs, then it reads the policy again and the policy is Healthy (not the Missing read before the create)', async () => {
    // given a first pass creating both, the policy read as Missing before its create
    const w = fakeWorld();
    world = w;
    const web = service('web', 'prod', 'web');
    const policy = scalingPolicy('web', 'prod');
    w.commit('r1', [web, policy]);
    w.setDiffs([create(web), create(policy)]);
    w.setHealth(POLICY, { state: 'Missing', reason: 'NotFound', message: 'does not exist' });
    const first = w.nextPass();
    w.reconciler.start();
    await first;
    expect(w.resource(POLICY)?.health).toBe('Missing');

    // when the follow-up pass (3 s later, long before the resync) reads what is in the emulator now
    w.setDiffs([noop(web), noop(policy)]);
    w.setHealth(POLICY, { state: 'Healthy', reason: 'Active', message: 'active' });
    const reads = w.reads.length;
    await vi.advanceTimersByTimeAsync(3500);

    // then the targeted follow-up read the policy it wrote and reports it Healthy
    expect(w.reads.length).toBeGreaterThan(reads);
    expect(w.reads[reads]).toContain(POLICY);
    expect(w.resource(POLICY)?.health).toBe('Healthy');
  });

  it('given a pass that only created a scaling policy (no rollout), then a follow-up still reads it again', async () => {
    const w = fakeWorld();
    world = w;
    const policy = scalingPolicy('web', 'prod');
    w.commit('r1', [policy]);
    w.setDiffs([create(policy)]);
    w.setHealth(POLICY, { state: 'Missing', reason: 'NotFound', message: 'does not exist' });
    const first = w.nextPass();
    w.reconciler.start();
    await first;

    w.setDiffs([noop(policy)]);
    w.setHealth(POLICY, { state: 'Healthy', reason: 'Active', message: 'active' });
    await vi.advanceTimersByTimeAsync(3500);

    expect(w.reads).toHaveLength(2);
    expect(w.resource(POLICY)?.health).toBe('Healthy');
  });
});

describe('failed rollouts', () => {
  it('given ECS rolled back the deployment this controller created, then that content is not deployed again until Git changes it', async () => {
    // given an update that starts deployment ecs-svc/1
    const w = await started((w) => w.answer(WEB, { outcome: 'configured', deploymentId: 'ecs-svc/1' }));
    expect(w.writes).toEqual([WEB]);

    // when the circuit breaker rolls it back (live is the old content again: the diff stays)
    w.setHealth(WEB, {
      state: 'Degraded',
      reason: 'RolledBack',
      message: 'deployment ecs-svc/1 failed and was rolled back',
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // then the loop kept looking but never re-deployed the rolled-back content
    expect(w.writes).toEqual([WEB]);
    const status = w.resource(WEB)!;
    expect(status.health).toBe('Degraded');
    expect(getCondition(status.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RolledBack',
    });
    expect(status.sync).toBe('Failed');
    expect(getCondition(status.conditions, 'Ready')?.message).toBe(
      'the rollout of revision r1 failed and was rolled back; not retried until Git changes or Sync now',
    );
    // live moved because ECS rolled back, not behind Git's back: no drift
    expect(getCondition(status.conditions, 'Drifted')?.status).toBe('False');

    // when Git changes the service's content, then the new content is deployed
    const fixed = service('web', 'prod', 'web', { desiredCount: 3 });
    w.commit('r2', [fixed]);
    w.setDiffs([update(fixed)]);
    w.setHealth(WEB, HEALTHY);
    const pass = w.nextPass();
    w.reconciler.requestSync('new revision');
    await pass;
    expect(w.writes).toEqual([WEB, WEB]);
  });
});

describe('status conditions', () => {
  it('given a service update, then it is Reconciling while it rolls out and Ready once live matches and it is healthy', async () => {
    const w = await started((w) => w.setHealth(WEB, ROLLING));
    const applying = w.resource(WEB)!;
    expect(applying.sync).toBe('Synced');
    expect(getCondition(applying.conditions, 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'Applied',
    });
    expect(getCondition(applying.conditions, 'Ready')?.status).toBe('False');

    // when live matches (the diff is empty) and the rollout completes
    w.setDiffs([noop(service('web', 'prod', 'web'))]);
    w.setHealth(WEB, HEALTHY);
    await vi.advanceTimersByTimeAsync(3_100);

    const ready = w.resource(WEB)!;
    expect(getCondition(ready.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(getCondition(ready.conditions, 'Reconciling')).toMatchObject({ status: 'False', reason: 'Idle' });
    expect(getCondition(ready.conditions, 'Stalled')?.status).toBe('False');
    expect(getCondition(ready.conditions, 'Drifted')?.status).toBe('False');
  });
});

describe('backoff per key', () => {
  it('given two resources throttled together, when one recovers, then the other keeps its own, longer backoff', async () => {
    // given api and web both throttled on the first pass (each waits 1 s)
    const w = fakeWorld();
    world = w;
    const web = service('web', 'prod', 'web');
    const api = service('api', 'prod', 'web');
    w.commit('r1', [web, api]);
    w.setDiffs([update(web), update(api)]);
    w.answer(WEB, THROTTLED);
    w.answer(API, THROTTLED);
    const first = w.nextPass();
    w.reconciler.start();
    await first;
    expect(w.writes).toEqual([API, WEB]);

    // when both are retried after 1 s: web succeeds, api is throttled again (it waits 2 s now)
    w.answer(WEB, { outcome: 'configured' });
    await vi.advanceTimersByTimeAsync(1_100);
    expect(w.writes).toEqual([API, WEB, API, WEB]);
    expect(w.resource(WEB)?.lastAppliedRevision).toBe('r1');
    expect(w.resource(API)?.lastError?.code).toBe('ThrottlingException');

    // then one second later api is still waiting
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.writes).toEqual([API, WEB, API, WEB]);

    // and after its 2 s it is tried again, alone
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.writes).toEqual([API, WEB, API, WEB, API]);
  });
});

describe('drift healing', () => {
  it('given drift under the heal policy, then it is applied and reported', async () => {
    const web = service('web', 'prod', 'web');
    const w = fakeWorld({ drift: 'heal' });
    world = w;
    w.commit('r1', [web]);
    w.setDiffs([update(web)]);
    w.setRecordedFingerprint(WEB, fingerprintAll([web]).get(WEB));
    const pass = w.nextPass();
    w.reconciler.start();
    await pass;
    expect(w.writes).toEqual([WEB]);
    const drift = w.events.filter((e) => e.type === 'DriftDetected');
    expect(drift).toHaveLength(1);
    expect(drift[0]?.message).toContain('(healing)');
  });
});

describe('the pass in progress', () => {
  it('given a pass, then /api/status shows its phase while it reads and applies (the revision once parsed, the resources from the apply on), and nothing once done', async () => {
    const phases: unknown[] = [];
    const seen = (w: FakeWorld) => () => phases.push(w.reconciler.status().overall.passInProgress);
    const w = await started((w) => {
      w.duringRead(seen(w));
      w.duringApply(seen(w));
    });
    expect(phases).toEqual([
      { phase: 'read', revision: 'r1', startedAt: expect.any(String), resources: [] },
      { phase: 'apply', revision: 'r1', startedAt: expect.any(String), resources: [WEB] },
    ]);
    expect(w.reconciler.status().overall.passInProgress).toBeUndefined();
  });
});

describe('the injected clock', () => {
  it('given an apply that takes 5 s on the clock, then the pass reports 5000 ms, started at the clock time', async () => {
    const w = await started((w) => w.duringApply(() => w.clock.advance(5_000)));
    const lastPass = w.reconciler.status().overall.lastPass;
    expect(lastPass?.durationMs).toBe(5_000);
    expect(lastPass?.startedAt).toBe(new Date(Date.now()).toISOString());
  });
});
