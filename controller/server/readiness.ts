// /readyz: ready once the source was fetched and the first pass finished, and while the source
// stays reachable. The body names the failing condition so `curl /readyz` explains itself.
import type { StatusSnapshot } from '../status/model.js';
import type { Condition } from '../types.js';

export interface Readiness {
  readonly ready: boolean;
  /** The first failing condition (Source before Ready: a broken source explains a pending pass). */
  readonly failing?: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;
  readonly revision?: string;
}

export function readiness(snapshot: StatusSnapshot): Readiness {
  const { source, ready, lastAppliedRevision } = snapshot.overall;
  const revision = lastAppliedRevision ?? source.revision;
  const base = revision ? { revision } : {};
  if (source.condition.status !== 'True') {
    const { status, reason, message } = source.condition;
    return { ready: false, failing: { type: 'Source', status, reason, message }, ...base };
  }
  if (!ready) {
    return {
      ready: false,
      failing: {
        type: 'Ready',
        status: 'False',
        reason: 'FirstPassPending',
        message: 'the first reconcile pass has not finished yet',
      },
      ...base,
    };
  }
  return { ready: true, ...base };
}
