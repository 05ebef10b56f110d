// The controller's in-memory status: what the loop last learned about every resource and about
// itself. The HTTP API, the status branch writer and the CLI read immutable snapshots of it.
import { type HealthState, type KeyString, KINDS, type SyncState } from '../types.js';
import type { OverallStatus, ResourceStatus, SourceStatus, StatusSnapshot } from './model.js';

type OverallFields = Omit<OverallStatus, 'instance' | 'source' | 'counts' | 'ready'>;

export type StatusListener = (snapshot: StatusSnapshot) => void;

/** Kind order (Cluster → ScalingPolicy), then name: the order of every table and file list. */
export function compareResources(a: ResourceStatus, b: ResourceStatus): number {
  const kind = KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind);
  if (kind !== 0) return kind;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function countStates(resources: readonly ResourceStatus[]): OverallStatus['counts'] {
  const sync: Partial<Record<SyncState, number>> = {};
  const health: Partial<Record<HealthState, number>> = {};
  for (const resource of resources) {
    sync[resource.sync] = (sync[resource.sync] ?? 0) + 1;
    health[resource.health] = (health[resource.health] ?? 0) + 1;
  }
  return { sync, health };
}

export class StatusStore {
  private readonly resources = new Map<KeyString, ResourceStatus>();
  private overall: OverallFields = {};
  private ready = false;
  private readonly listeners = new Set<StatusListener>();

  constructor(
    private readonly instance: string,
    private source: SourceStatus | (() => SourceStatus),
  ) {}

  setResource(status: ResourceStatus): void {
    this.resources.set(status.key, status);
  }

  /** Updates one resource from its previous status (undefined the first time). */
  updateResource(key: KeyString, update: (previous: ResourceStatus | undefined) => ResourceStatus): void {
    this.resources.set(key, update(this.resources.get(key)));
  }

  getResource(key: KeyString): ResourceStatus | undefined {
    return this.resources.get(key);
  }

  removeResource(key: KeyString): void {
    this.resources.delete(key);
  }

  /** Keeps only the given resources (those of the current revision plus any still being deleted). */
  retain(keys: Iterable<KeyString>): void {
    const keep = new Set(keys);
    for (const key of [...this.resources.keys()]) if (!keep.has(key)) this.resources.delete(key);
  }

  /** A patch: a field given as `undefined` is cleared (absent from the snapshot). */
  setOverall(fields: { readonly [K in keyof OverallFields]?: OverallFields[K] | undefined }): void {
    const next: Partial<Record<keyof OverallFields, unknown>> = { ...this.overall, ...fields };
    for (const key of Object.keys(fields) as (keyof OverallFields)[])
      if (fields[key] === undefined) delete next[key];
    this.overall = next as OverallFields;
  }

  setSource(source: SourceStatus | (() => SourceStatus)): void {
    this.source = source;
  }

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  snapshot(): StatusSnapshot {
    const resources = [...this.resources.values()].sort(compareResources);
    const source = typeof this.source === 'function' ? this.source() : this.source;
    return {
      overall: {
        ...this.overall,
        instance: this.instance,
        source,
        counts: countStates(resources),
        ready: this.ready,
      },
      resources,
    };
  }

  /** Tells listeners about the current snapshot (the loop calls this at the end of every pass). */
  publish(): StatusSnapshot {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A broken listener must not break the loop.
      }
    }
    return snapshot;
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
