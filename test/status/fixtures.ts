// Status snapshots for tests, built the way the loop builds them.
import type { ResourceStatus, SourceStatus, StatusSnapshot } from '../../controller/status/model.js';
import { StatusStore } from '../../controller/status/store.js';
import type { HealthState, Kind, SyncState } from '../../controller/types.js';
import { type Overrides, withOverrides } from '../helpers/overrides.js';

export function resource(
  kind: Kind,
  name: string,
  fields: Overrides<ResourceStatus> & { sync?: SyncState; health?: HealthState; at?: string } = {},
): ResourceStatus {
  const at = fields.at ?? '2025-01-01T00:00:00.000Z';
  const { at: _at, ...rest } = fields;
  return withOverrides<ResourceStatus>(
    {
      kind,
      name,
      key: `${kind}/${name}`,
      sync: 'Synced',
      health: 'Healthy',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Synced', message: 'in sync', lastTransitionTime: at },
      ],
      lastAppliedRevision: 'a'.repeat(40),
      lastAppliedAt: '2025-01-01T00:00:00.000Z',
      observedAt: at,
      diff: [],
    },
    rest,
  );
}

export function sourceStatus(revision = 'a'.repeat(40), at = '2025-01-01T00:00:00.000Z'): SourceStatus {
  return {
    type: 'git',
    url: 'https://example.com/fleet.git',
    branch: 'main',
    dir: 'manifests',
    revision,
    lastFetchAt: at,
    condition: { type: 'Source', status: 'True', reason: 'Fetched', message: 'ok', lastTransitionTime: at },
  };
}

export function snapshotOf(
  resources: readonly ResourceStatus[],
  options: { at?: string; revision?: string; instance?: string } = {},
): StatusSnapshot {
  const store = new StatusStore(options.instance ?? 'prod', sourceStatus(options.revision, options.at));
  for (const r of resources) store.setResource(r);
  store.setOverall({
    lastAppliedRevision: options.revision ?? 'a'.repeat(40),
    lastPass: { startedAt: options.at ?? '2025-01-01T00:00:00.000Z', durationMs: 1234, result: 'success' },
  });
  store.setReady(true);
  return store.snapshot();
}
