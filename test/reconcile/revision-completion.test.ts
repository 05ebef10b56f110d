// Announcing applied revisions: once each, with the commit → applied latency, bounded memory.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import {
  COMPLETED_REVISIONS_KEPT,
  RevisionCompletion,
} from '../../controller/reconcile/revision-completion.js';
import type { ControllerEvent } from '../../controller/status/model.js';

function completion() {
  const events: ControllerEvent[] = [];
  const latencies: number[] = [];
  const now = new Date('2026-03-01T12:00:00.000Z');
  const ledger = new RevisionCompletion(
    { instance: 'test', now: () => now, publish: (e) => events.push(e), logger: silentLogger() },
    (seconds) => latencies.push(seconds),
  );
  const complete = (revision: string, changed = true, committedAt?: Date) =>
    ledger.complete({ revision, resources: [] }, changed, committedAt);
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
});
