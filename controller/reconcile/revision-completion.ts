// A revision whose every resource is in sync is announced once: SyncSucceeded (or a log line when
// it wrote nothing) and the commit → applied latency. The loop remembers the last
// COMPLETED_REVISIONS_KEPT it announced, so a controller running for months stays bounded; an
// older one is announced again only if Git goes back to it.
import type { DesiredState } from '../manifest/model.js';
import { shortRevision } from '../types.js';
import { type Announcer, announce } from './announcer.js';

export const COMPLETED_REVISIONS_KEPT = 100;

export class RevisionCompletion {
  /** Announced revisions, oldest first (a Set keeps insertion order). */
  private readonly announced = new Set<string>();
  /** The newest revision whose every resource was in sync (status: last applied). */
  lastAppliedRevision: string | undefined;

  constructor(
    private readonly announcer: Announcer,
    private readonly observeCommitToApplied?: (seconds: number) => void,
  ) {}

  /** `changed`: this pass wrote something; `committedAt`: when Git says the commit was made. */
  complete(desired: DesiredState, changed: boolean, committedAt: Date | undefined): void {
    this.lastAppliedRevision = desired.revision;
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
    announce(this.announcer, {
      type: 'SyncSucceeded',
      severity: 'info',
      revision: desired.revision,
      message: `revision ${shortRevision(desired.revision)} applied: ${desired.resources.length} resource(s) in sync`,
    });
  }

  /** How many revisions are remembered (bounded by COMPLETED_REVISIONS_KEPT). */
  get remembered(): number {
    return this.announced.size;
  }
}
