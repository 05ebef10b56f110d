// A revision whose every resource is in sync is applied: the commit → applied latency, once. It is
// announced once as SyncSucceeded (or a log line when it wrote nothing) only when the rollouts it
// started have also settled Healthy: a deployment that later rolls back (at a gate, by the circuit
// breaker or an alarm) must never have been reported as succeeded — it gets RolloutFailed instead,
// as its commit status goes pending → failure. The loop remembers the last
// COMPLETED_REVISIONS_KEPT it applied, so a controller running for months stays bounded; an
// older one is announced again only if Git goes back to it.
import type { DesiredState } from '../manifest/model.js';
import type { ResourceStatus } from '../status/model.js';
import { shortRevision } from '../types.js';
import { type Announcer, announce } from './announcer.js';

export const COMPLETED_REVISIONS_KEPT = 100;

/**
 * Whether the rollouts a revision started are over and went well: none of the resources it changed
 * is still Progressing (a deployment in flight, waiting at a gate) or Degraded (rolled back, tasks
 * failing).
 */
export function rolloutsSettled(resources: readonly ResourceStatus[], revision: string): boolean {
  return resources.every(
    (r) => r.lastAttemptedRevision !== revision || (r.health !== 'Progressing' && r.health !== 'Degraded'),
  );
}

export class RevisionCompletion {
  /** Announced revisions, oldest first (a Set keeps insertion order). */
  private readonly announced = new Set<string>();
  /** The newest revision whose every resource was in sync (status: last applied). */
  lastAppliedRevision: string | undefined;
  /** Applied with writes, announced once its rollouts settle (a newer revision supersedes it). */
  private awaitingRollout: { readonly revision: string; readonly resources: number } | undefined;

  constructor(
    private readonly announcer: Announcer,
    private readonly observeCommitToApplied?: (seconds: number) => void,
  ) {}

  /**
   * `changed`: this pass wrote something; `committedAt`: when Git says the commit was made;
   * `settled`: no resource this revision changed is still rolling out or Degraded.
   */
  complete(desired: DesiredState, changed: boolean, committedAt: Date | undefined, settled = true): void {
    this.lastAppliedRevision = desired.revision;
    const waiting = this.awaitingRollout;
    if (waiting?.revision === desired.revision) {
      if (settled) {
        this.awaitingRollout = undefined;
        this.succeeded(desired.revision, waiting.resources);
      }
      return;
    }
    // A newer revision applied: the one still rolling out is superseded, never announced.
    this.awaitingRollout = undefined;
    if (this.announced.has(desired.revision)) return;
    this.announced.add(desired.revision);
    if (this.announced.size > COMPLETED_REVISIONS_KEPT) {
      const oldest = this.announced.values().next().value;
      if (oldest !== undefined) this.announced.delete(oldest);
    }
    if (committedAt && changed) {
      this.observeCommitToApplied?.(
        Math.max(0, (this.announcer.now().getTime() - committedAt.getTime()) / 1000),
      );
    }
    if (!changed) {
      // Nothing was written (e.g. a commit outside the manifest folder): worth a log line, not an alert.
      this.announcer.logger.info(
        { revision: desired.revision },
        `revision ${shortRevision(desired.revision)} already in sync`,
      );
      return;
    }
    if (settled) this.succeeded(desired.revision, desired.resources.length);
    else this.awaitingRollout = { revision: desired.revision, resources: desired.resources.length };
  }

  private succeeded(revision: string, resources: number): void {
    announce(this.announcer, {
      type: 'SyncSucceeded',
      severity: 'info',
      revision,
      message: `revision ${shortRevision(revision)} applied: ${resources} resource(s) in sync`,
    });
  }

  /** How many revisions are remembered (bounded by COMPLETED_REVISIONS_KEPT). */
  get remembered(): number {
    return this.announced.size;
  }
}
