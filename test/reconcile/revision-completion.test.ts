// Announcing applied revisions: once each, with the commit → applied latency, bounded memory, and
// only once the rollouts they started settled Healthy.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import {
  COMPLETED_REVISIONS_KEPT,
  RevisionCompletion,
  rolloutsSettled,
} from '../../controller/reconcile/revision-completion.js';
import type { ControllerEvent, ResourceStatus } from '../../controller/status/model.js';

function completion() {
  const events: ControllerEvent[] = [];
  const latencies: number[] = [];
  const now = new Date('2026-03-01T12:00:00.000Z');
  const ledger = new RevisionCompletion(
    { instance: 'test', now: () => now, publish: (e) => events.push(e), logger: silentLogger() },
    (seconds) => latencies.push(seconds),
  );
  const complete = (revision: string, changed = true, committedAt?: Date, settled = true) =>
    ledger.complete({ revision, resources: [] }, changed, committedAt, settled);
  return { ledger, events, latencies, complete, now };
}

describe('revision completion', () => {
  it('given a revision completed on several passes, then it is announced once, with its commit-to-applied latency', () => {
    const { ledger, events, latencies, complete, now } = completion();

    complete('r1', true, new Date(now.getTime() - 42_000));
    complete('r1', true, new Date(now.getTime() - 42_000));

    expect(events.map((e) => `${e.type} ${e.revision} ${e.time}`)).toEqual([
      'SyncSucceeded r1 2026-03-01T12:00:00.000Z',
    ]);
    expect(latencies).toEqual([42]);
    expect(ledger.lastAppliedRevision).toBe('r1');
  });

  it('given a revision that wrote nothing, then it is logged, not announced', () => {
    const { events, latencies, complete, now } = completion();
    complete('r1', false, new Date(now.getTime() - 1000));
    expect(events).toEqual([]);
    expect(latencies).toEqual([]);
  });

  it(`given more than ${COMPLETED_REVISIONS_KEPT} revisions completed, then only the newest ${COMPLETED_REVISIONS_KEPT} are remembered and an evicted one is announced again if Git goes back to it`, () => {
    const { ledger, events, complete } = completion();
    for (let i = 0; i <= COMPLETED_REVISIONS_KEPT; i += 1) complete(`r${i}`);
    expect(ledger.remembered).toBe(COMPLETED_REVISIONS_KEPT);
    const announced = events.length;

    complete('r50');
    complete('r0');

    expect(events.slice(announced).map((e) => e.revision)).toEqual(['r0']);
    expect(ledger.remembered).toBe(COMPLETED_REVISIONS_KEPT);
  });

  it('given a revision applied while its deployment rolls out, then SyncSucceeded waits until it settles; the latency is the apply', () => {
    const { ledger, events, latencies, complete, now } = completion();

    complete('r1', true, new Date(now.getTime() - 10_000), false);
    complete('r1', false, undefined, false);
    expect(events).toEqual([]);
    expect(latencies).toEqual([10]);
    expect(ledger.lastAppliedRevision).toBe('r1');

    complete('r1', false, undefined, true);
    complete('r1', false, undefined, true);
    expect(events.map((e) => `${e.type} ${e.revision}`)).toEqual(['SyncSucceeded r1']);
  });

  it('given a revision whose rollout never settles (rolled back, then a newer commit), then it is never announced; the newer one is', () => {
    const { events, complete } = completion();

    complete('r1', true, undefined, false);
    complete('r2', true, undefined, true);
    complete('r1', false, undefined, true);

    expect(events.map((e) => `${e.type} ${e.revision}`)).toEqual(['SyncSucceeded r2']);
  });
});

describe('rollouts settled', () => {
  const resource = (health: ResourceStatus['health'], revision: string): ResourceStatus => ({
    kind: 'Service',
    name: 'web',
    key: 'Service/web',
    sync: 'Synced',
    health,
    conditions: [],
    diff: [],
    lastAttemptedRevision: revision,
  });

  it('given the resources a revision changed, then settled only when none is Progressing or Degraded; others do not count', () => {
    expect(rolloutsSettled([resource('Healthy', 'r2')], 'r2')).toBe(true);
    expect(rolloutsSettled([resource('Progressing', 'r2')], 'r2')).toBe(false);
    expect(rolloutsSettled([resource('Degraded', 'r2')], 'r2')).toBe(false);
    expect(rolloutsSettled([resource('Degraded', 'r1'), resource('Healthy', 'r2')], 'r2')).toBe(true);
  });
});
