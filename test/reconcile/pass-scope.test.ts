// Which resources a pass reads: full on the timer, targeted on a Git change or a rollout follow-up.
import { describe, expect, it } from 'vitest';
import { emptyLiveState } from '../../controller/live/model.js';
import { mergeLive, passScope, withDependencies } from '../../controller/reconcile/pass-scope.js';
import type { KeyString } from '../../controller/types.js';
import { serviceFleet } from '../helpers/service-fleet.js';
import { desiredFrom } from '../live/support.js';

const k = (key: string) => key as KeyString;
const previous = new Map([
  [k('Service/a'), '1'],
  [k('Service/b'), '1'],
]);

describe('pass scope', () => {
  it('given a Git change, then only what changed (and what still rolls out) is in scope', () => {
    const current = new Map([
      [k('Service/a'), '2'],
      [k('Service/b'), '1'],
      [k('Service/c'), '1'],
    ]);
    const scope = passScope({
      reasons: ['new revision'],
      previous,
      current,
      progressing: new Set([k('Service/b')]),
    });
    expect([...(scope ?? [])].sort()).toEqual(['Service/a', 'Service/b', 'Service/c']);
  });

  it('given the resync timer, a retry, Sync now, a first pass or a resource that left Git, then the pass is full', () => {
    const current = new Map(previous);
    const none = new Set<KeyString>();
    expect(passScope({ reasons: ['resync'], previous, current, progressing: none })).toBeUndefined();
    expect(
      passScope({ reasons: ['new revision', 'retry Service/a'], previous, current, progressing: none }),
    ).toBeUndefined();
    expect(passScope({ reasons: ['api'], previous, current, progressing: none })).toBeUndefined();
    expect(
      passScope({ reasons: ['new revision'], previous: undefined, current, progressing: none }),
    ).toBeUndefined();
    const shrunk = new Map([[k('Service/a'), '1']]);
    expect(
      passScope({ reasons: ['push refs/heads/main'], previous, current: shrunk, progressing: none }),
    ).toBeUndefined();
  });

  it('brings in what a service depends on, and merges what it read over the last full picture', () => {
    // given a changed service whose cluster and task definition did not change
    const desired = desiredFrom(serviceFleet(3), 'r1');
    const target = withDependencies(desired, new Set([k('Service/svc-1')]));
    expect(target.resources.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      'Cluster/prod',
      'Service/svc-1',
      'TaskDefinition/svc-1',
    ]);

    // when the targeted read no longer finds svc-1, then the merged picture forgets it and keeps svc-2
    const base = {
      ...emptyLiveState(),
      services: { 'prod/svc-1': { serviceName: 'svc-1' }, 'prod/svc-2': { serviceName: 'svc-2' } },
    };
    const merged = mergeLive(base, emptyLiveState(), target);
    expect(Object.keys(merged.services)).toEqual(['prod/svc-2']);
  });
});
