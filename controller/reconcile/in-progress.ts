// While a pass applies changes, status must not keep showing the previous revision as Synced: the
// resources about to be written are marked OutOfSync + Reconciling (Applying) before the first write,
// and the pass itself is shown in the overall status. Pure.
import { setCondition } from '../status/conditions.js';
import type { ResourceStatus } from '../status/model.js';

export function markApplying(status: ResourceStatus, revision: string, now: string): ResourceStatus {
  const message = `applying revision ${revision}`;
  return {
    ...status,
    sync: 'OutOfSync',
    lastAttemptedRevision: revision,
    conditions: setCondition(
      setCondition(
        status.conditions,
        { type: 'Reconciling', status: 'True', reason: 'Applying', message },
        now,
      ),
      { type: 'Ready', status: 'False', reason: 'Applying', message },
      now,
    ),
  };
}
