// /readyz: ready once the source was fetched and the first pass finished, and while the source
// stays reachable. The body names the failing condition so `curl /readyz` explains itself.
import type { StatusSnapshot } from '../status/model.js';
import type { Condition } from '../types.js';

export interface Readiness {
  readonly ready: boolean;
  /** The first failing condition (Source before Ready: a broken source explains a pending pass). */
  readonly failing?: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;
  readonly revision?: string;
  /**
   * Still ready, but a person must act: a prune refused by --prune-max. Not a 503, because
   * restarting the controller or taking it out of service would not help.
   */
  readonly warnings?: readonly Pick<Condition, 'type' | 'status' | 'reason' | 'message'>[];
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
  const blocked = snapshot.overall.pruneBlocked;
  const warnings = blocked
    ? [
        {
          type: 'Stalled' as const,
          status: 'True' as const,
          reason: 'PruneBlocked',
          message: blocked.message,
        },
      ]
    : [];
  return { ready: true, ...base, ...(warnings.length > 0 ? { warnings } : {}) };
}
