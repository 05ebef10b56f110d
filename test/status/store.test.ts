import { describe, expect, it } from 'vitest';
import { StatusStore } from '../../controller/status/store.js';
import { resource, sourceStatus } from './fixtures.js';

describe('StatusStore', () => {
  it('given resources in any order, when snapshotted, then they come in kind order with counts', () => {
    const store = new StatusStore('prod', sourceStatus());
    store.setResource(resource('Service', 'web', { sync: 'Drifted' }));
    store.setResource(resource('Cluster', 'main'));
    store.setResource(resource('Service', 'api', { health: 'Degraded' }));
    const snapshot = store.snapshot();
    expect(snapshot.resources.map((r) => r.key)).toEqual(['Cluster/main', 'Service/api', 'Service/web']);
    expect(snapshot.overall.counts).toEqual({
      sync: { Synced: 2, Drifted: 1 },
      health: { Healthy: 2, Degraded: 1 },
    });
    expect(snapshot.overall.instance).toBe('prod');
    expect(snapshot.overall.ready).toBe(false);
  });

  it('given a live source, when snapshotted, then the source status is read at that moment', () => {
    let revision = 'one';
    const store = new StatusStore('prod', () => sourceStatus(revision));
    revision = 'two';
    expect(store.snapshot().overall.source.revision).toBe('two');
  });

  it('given an update function, when a resource is updated, then it sees the previous status', () => {
    const store = new StatusStore('prod', sourceStatus());
    store.setResource(resource('Service', 'web'));
    store.updateResource('Service/web', (previous) => ({ ...previous!, sync: 'Failed' }));
    store.retain(['Service/web']);
    expect(store.getResource('Service/web')?.sync).toBe('Failed');
  });

  it('given a subscriber, when published, then it receives the snapshot', () => {
    const store = new StatusStore('prod', sourceStatus());
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.resources.length));
    store.setResource(resource('Cluster', 'main'));
    store.publish();
    expect(seen).toEqual([1]);
  });
});
