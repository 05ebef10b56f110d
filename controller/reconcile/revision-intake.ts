// Steps 1–2 of a pass (docs/architecture.md#one-pass-step-by-step): fetch the source and parse a
// revision not seen yet. A failed fetch keeps the last revision; a rejected one is reported (every
// problem in status, the first EVENT_PROBLEMS in the event) and the last good desired state stays.
import { errorMessage, formatProblem } from '../errors.js';
import type { DesiredState } from '../manifest/model.js';
import { describeProblemCount } from '../manifest/problem-list.js';
import type { OverallStatus } from '../status/model.js';
import { shortRevision } from '../types.js';
import { type Announcer, announce } from './announcer.js';
import type { ReconcilerPorts, SourceSnapshot } from './ports.js';

/** Problems an event (and so an alert, a webhook body, a Slack message) carries; status keeps more. */
export const EVENT_PROBLEMS = 20;

export type ParseOutcome = 'unchanged' | 'accepted' | 'rejected';

export class RevisionIntake {
  private snapshot: SourceSnapshot | undefined;
  private parsedRevision: string | undefined;
  private commit: { readonly revision: string; readonly committedAt?: Date } | undefined;
  /** The last good desired state: what every pass reconciles. */
  desired: DesiredState | undefined;
  /** The newest revision parsed, accepted or not (status: last attempted). */
  lastAttemptedRevision: string | undefined;
  rejected: OverallStatus['rejectedRevision'];

  constructor(
    private readonly ports: Pick<ReconcilerPorts, 'source' | 'parse'>,
    private readonly announcer: Announcer,
  ) {}

  /** Whether a source snapshot was read at all (a pass without one fetches first). */
  get fetched(): boolean {
    return this.snapshot !== undefined;
  }

  async fetch(): Promise<void> {
    try {
      // git_fetch_total is counted by the source itself, which also sees the polls.
      const { snapshot, changed } = await this.ports.source.fetch();
      if (changed || !this.snapshot)
        this.announcer.logger.debug({ revision: snapshot.revision }, 'source revision');
      this.snapshot = snapshot;
    } catch (error) {
      // The last good revision stays applied; drift detection goes on against it.
      this.announcer.logger.warn(
        { err: errorMessage(error) },
        'source fetch failed; keeping the last revision',
      );
    }
  }

  parseLatest(): ParseOutcome {
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.revision === this.parsedRevision) return 'unchanged';
    this.parsedRevision = snapshot.revision;
    this.lastAttemptedRevision = snapshot.revision;
    const result = this.ports.parse(snapshot);
    if (!result.ok) {
      // Bounded whatever the revision holds: status keeps the first problems, events and alerts fewer.
      const problems = result.problems.map(formatProblem);
      const problemCount = Math.max(result.problemCount, problems.length);
      const alerted = problems.slice(0, EVENT_PROBLEMS);
      this.rejected = {
        revision: snapshot.revision,
        problems,
        problemCount,
        at: this.announcer.now().toISOString(),
      };
      announce(this.announcer, {
        type: 'RevisionRejected',
        severity: 'error',
        revision: snapshot.revision,
        message: `revision ${shortRevision(snapshot.revision)} rejected: ${describeProblemCount(alerted.length, problemCount)}; ${this.desired ? `keeping ${shortRevision(this.desired.revision)}` : 'nothing applied yet'}`,
        problems: alerted,
        problemCount,
      });
      return 'rejected';
    }
    this.rejected = undefined;
    this.desired = result.desired;
    this.commit = {
      revision: snapshot.revision,
      ...(snapshot.commit ? { committedAt: snapshot.commit.committedAt } : {}),
    };
    return 'accepted';
  }

  /** When the commit behind `revision` was made, if it is the one parsed last and Git said. */
  committedAt(revision: string): Date | undefined {
    return this.commit?.revision === revision ? this.commit.committedAt : undefined;
  }
}
