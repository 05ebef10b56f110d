// reconcile/stale-record.ts: which in-sync resources get a tags-only update of their ownership record.
import { describe, expect, it } from 'vitest';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { RECORD_PATH, repairStaleRecords } from '../../controller/reconcile/stale-record.js';
import type { KeyString, Kind } from '../../controller/types.js';

function diff(kind: Kind, name: string, overrides: Partial<ResourceDiff> = {}): ResourceDiff {
  return {
    key: { kind, name },
    action: 'noop',
    changes: [],
    replaceReasons: [],
    owned: true,
    desired: { kind, name, policy: { sync: true } } as unknown as ResourceDiff['desired'],
    ...overrides,
  } as ResourceDiff;
}

const fingerprints = new Map<KeyString, string>([
  ['Service/web' as KeyString, 'new'],
  ['Cluster/prod' as KeyString, 'same'],
  ['TaskDefinition/web' as KeyString, 'new'],
  ['ScalingPolicy/web' as KeyString, 'new'],
]);

describe('repairStaleRecords', () => {
  it('given an owned resource in sync whose record tag disagrees with Git, then a tags-only update of the record', () => {
    const [web] = repairStaleRecords([diff('Service', 'web')], fingerprints, () => 'old');
    expect(web?.action).toBe('update');
    expect(web?.changes).toEqual([{ path: RECORD_PATH, op: 'change', live: 'old', desired: 'new' }]);
  });

  it('leaves alone what agrees, what has no record read, task definitions, unowned, unsynced and changing resources', () => {
    const untouched = [
      diff('Cluster', 'prod'),
      diff('ScalingPolicy', 'web'),
      diff('TaskDefinition', 'web'),
      diff('Service', 'web', { owned: false }),
      diff('Service', 'web', {
        desired: {
          kind: 'Service',
          name: 'web',
          policy: { sync: false },
        } as unknown as ResourceDiff['desired'],
      }),
      diff('Service', 'web', {
        action: 'update',
        changes: [{ path: 'desiredCount', op: 'change', live: 1, desired: 2 }],
      }),
    ];
    const recorded = (d: ResourceDiff) =>
      d.key.kind === 'Cluster' ? 'same' : d.key.kind === 'ScalingPolicy' ? undefined : 'old';
    expect(repairStaleRecords(untouched, fingerprints, recorded)).toEqual(untouched);
  });
});
