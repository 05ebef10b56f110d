// The hook ledger's tag form: what a restarted controller reads back is what it wrote, within ECS's
// tag limits (50 per resource, values of at most 256 tag-safe characters).
import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  encodeRecord,
  type HookRecord,
  ledgerChanges,
  MAX_RECORDS,
  retainRecords,
  tagSafe,
} from '../../controller/reconcile/hook-ledger.js';

const REV = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function record(overrides: Partial<HookRecord & { task: string }> = {}): HookRecord & { task: string } {
  return {
    token: `ecs-gitops-presync-${'0'.repeat(40)}`,
    task: 'migrate',
    phase: 'PreSync',
    state: 'Failed',
    attempt: 0,
    revision: REV,
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:05.000Z',
    exitCodes: { migrate: 1, sidecar: 0 },
    message:
      'container migrate exited 1 (Essential container in task exited); logs: /ecs/migrate:migrate/migrate/abc',
    ...overrides,
  };
}

describe('hook ledger records as ECS tags', () => {
  it('given a failed run, when encoded and decoded, then everything but the task name comes back', () => {
    const { task: _task, ...written } = record();
    const tags = encodeRecord(written);
    for (const [key, value] of Object.entries(tags)) {
      expect(key.length).toBeLessThanOrEqual(128);
      expect(value.length).toBeLessThanOrEqual(256);
      expect(value).toMatch(TAG_VALUE);
    }
    const [read] = decodeRecords(tags);
    expect(read).toEqual({ ...written, message: tagSafe(written.message!) });
    expect(read?.message).toContain('container migrate exited 1 Essential container in task exited');
  });

  it('given an armed PostSync hook, when decoded, then it has no times, codes or message', () => {
    const armed = {
      token: `ecs-gitops-postsync-${'1'.repeat(40)}`,
      phase: 'PostSync' as const,
      state: 'Armed' as const,
      attempt: 2,
      revision: REV,
      exitCodes: {},
    };
    expect(decodeRecords(encodeRecord(armed))).toEqual([armed]);
  });

  it('given many containers, when encoded, then the value stays within 256 characters', () => {
    const exitCodes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`container-${i}`, i]));
    const { task: _task, ...written } = record({ exitCodes, message: 'x'.repeat(1000) });
    const tags = encodeRecord(written);
    for (const value of Object.values(tags)) expect(value.length).toBeLessThanOrEqual(256);
    expect(Object.keys(decodeRecords(tags)[0]!.exitCodes).length).toBeGreaterThan(3);
  });

  it('given tags it cannot read (another version, garbage), when decoded, then they are skipped', () => {
    expect(
      decodeRecords({
        'ecs-gitops/hook/a': 'v2 PreSync Failed 0 rev - -',
        'ecs-gitops/hook/b': 'v1 Sometime Failed 0 rev - -',
        'ecs-gitops/hook/c': 'v1 PreSync Failed x rev - -',
        team: 'web',
      }),
    ).toEqual([]);
  });

  it('given more records than fit, when retained, then armed, running and current failures stay and old finished runs go first', () => {
    const old = Array.from({ length: 30 }, (_, i) =>
      record({
        token: `old-${i}`,
        task: `t${i}`,
        revision: OLD,
        finishedAt: `2026-11-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      }),
    );
    const keep = [
      record({ token: 'armed', phase: 'PostSync', state: 'Armed', revision: OLD, task: 'smoke' }),
      record({ token: 'running', state: 'Running', task: 'migrate' }),
      record({ token: 'failed', task: 'other' }),
    ];
    const kept = retainRecords([...old, ...keep], REV);
    expect(kept.length).toBe(MAX_RECORDS);
    expect(kept.map((r) => r.token)).toEqual(expect.arrayContaining(['armed', 'running', 'failed']));
    // The newest finished runs of other revisions are the ones kept.
    expect(kept.map((r) => r.token)).toContain('old-29');
    expect(kept.map((r) => r.token)).not.toContain('old-0');
    const tags = Object.assign({}, ...kept.map(({ task: _t, ...r }) => encodeRecord(r)));
    expect(Object.keys(tags).length).toBeLessThanOrEqual(49);
  });

  it('given the tags on AWS and the wanted ones, then only changed keys are set and only ledger keys removed', () => {
    expect(
      ledgerChanges(
        {
          'ecs-gitops/hook/a': '1',
          'ecs-gitops/hook-message/a': 'm',
          'ecs-gitops/hooks-for': 'x',
          'ecs-gitops/hook/b': '2',
        },
        { 'ecs-gitops/hook/b': '2', 'ecs-gitops/hook/c': '3' },
      ),
    ).toEqual({
      set: { 'ecs-gitops/hook/c': '3' },
      remove: ['ecs-gitops/hook/a', 'ecs-gitops/hook-message/a'],
    });
  });
});
