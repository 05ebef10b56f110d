// What a revision's commit status says, from the controller's status after a pass. Pure.
import type { StatusSnapshot } from '../status/model.js';

const SHA = /^[0-9a-f]{40}$/;

export type CommitState = 'pending' | 'success' | 'failure';

export interface CommitSummary {
  readonly revision: string;
  readonly state: CommitState;
  /** `7 synced and healthy`, `3 updated, Service/web rolling out`, `TaskDefinition/web: PreflightFailed: …` */
  readonly description: string;
  /** The resource to link to (the failing one), if any. */
  readonly resource?: string;
}

function names(keys: readonly string[]): string {
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
}

/** The state of the revision the controller works on; undefined before it has one or for folders. */
export function summarize(snapshot: StatusSnapshot): CommitSummary | undefined {
  const { overall, resources } = snapshot;
  // A pass writing a revision: pending from its first write, before any verdict.
  const applying = overall.passInProgress;
  if (applying?.phase === 'apply' && applying.revision && SHA.test(applying.revision)) {
    return {
      revision: applying.revision,
      state: 'pending',
      description: `applying ${applying.resources.length} change(s): ${names(applying.resources)}`,
    };
  }
  const revision = overall.lastAttemptedRevision;
  if (!revision || !SHA.test(revision)) return undefined;
  if (overall.rejectedRevision?.revision === revision) {
    const problems = overall.rejectedRevision.problems;
    return {
      revision,
      state: 'failure',
      description: `rejected: ${problems.length} problem(s) in the manifests: ${problems[0] ?? ''}`,
    };
  }
  const failed = resources.filter((r) => r.sync === 'Failed');
  if (failed.length > 0) {
    const first = failed[0]!;
    const reason = first.lastError ? `${first.lastError.code}: ${first.lastError.message}` : 'apply failed';
    return {
      revision,
      state: 'failure',
      description: `${first.key}: ${reason}${failed.length > 1 ? ` (+${failed.length - 1} more failed)` : ''}`,
      resource: first.key,
    };
  }
  const degraded = resources.filter((r) => r.health === 'Degraded' && r.lastAttemptedRevision === revision);
  if (degraded.length > 0) {
    const first = degraded[0]!;
    return {
      revision,
      state: 'failure',
      description: `${first.key} rollout failed: ${first.healthMessage ?? 'Degraded'}`,
      resource: first.key,
    };
  }
  const updated = resources.filter(
    (r) => r.lastAppliedRevision === revision && r.lastAttemptedRevision === revision,
  ).length;
  const rolling = resources.filter((r) => r.health === 'Progressing').map((r) => r.key);
  const pending = resources.filter((r) => r.sync === 'OutOfSync').map((r) => r.key);
  if (rolling.length > 0 || pending.length > 0) {
    const parts = [
      ...(updated > 0 ? [`${updated} updated`] : []),
      ...(rolling.length > 0 ? [`${names(rolling)} rolling out`] : []),
      ...(pending.length > 0 ? [`${names(pending)} pending`] : []),
    ];
    return { revision, state: 'pending', description: parts.join(', ') };
  }
  const healthy = resources.filter((r) => r.sync === 'Synced' && r.health === 'Healthy').length;
  if (healthy === resources.length && overall.lastAppliedRevision === revision) {
    return {
      revision,
      state: 'success',
      description: `${healthy} resource(s) synced and healthy${updated > 0 ? ` (${updated} updated)` : ''}`,
    };
  }
  return {
    revision,
    state: 'pending',
    description: `${resources.length - healthy} resource(s) not healthy yet`,
  };
}
