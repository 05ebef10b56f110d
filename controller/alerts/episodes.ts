// One alert per episode plus its resolution, never one per pass. The loop reports what it sees on
// every pass (level-triggered); this turns that stream into edges. Pure and in memory: a restart
// may repeat an open episode's alert once, which is better than losing one.
import type { ControllerEvent } from '../status/model.js';

const REMEMBERED_REVISIONS = 200;

export class EpisodeFilter {
  /** Open episodes: `drift|Service/web` → the first event's message. */
  private readonly open = new Map<string, string>();
  /** Last revision alerted per key (SyncSucceeded, RolloutFailed). */
  private readonly lastRevision = new Map<string, string>();
  private readonly rejected: string[] = [];

  /** True when the event starts or ends an episode (or is otherwise new) and should be sent. */
  admit(event: ControllerEvent): boolean {
    const subject = event.resource ?? '*';
    switch (event.type) {
      case 'DriftDetected':
        return this.start(`drift|${subject}`, '');
      case 'DriftResolved':
        return this.end(`drift|${subject}`);
      case 'HealthDegraded':
        return this.start(`health|${subject}`, '');
      case 'HealthRecovered':
        this.lastRevision.delete(`rollout|${subject}`);
        return this.end(`health|${subject}`);
      case 'SyncFailed':
        // A different error on the same resource is news; the same error again is not.
        return this.start(`sync|${subject}`, event.message);
      case 'SyncSucceeded': {
        if (this.end(`sync|${subject}`)) {
          this.lastRevision.set(`synced|${subject}`, event.revision ?? '');
          return true;
        }
        return this.once(`synced|${subject}`, event.revision ?? '');
      }
      case 'RolloutFailed':
        return this.once(`rollout|${subject}`, event.revision ?? event.message);
      case 'AwaitingApproval':
        // One alert per gate: the message names the stage and the hook's timeout.
        return this.once(`approval|${subject}`, event.message);
      case 'RevisionRejected': {
        const revision = event.revision ?? event.message;
        this.open.set('rejected|*', revision);
        if (this.rejected.includes(revision)) return false;
        this.rejected.push(revision);
        if (this.rejected.length > REMEMBERED_REVISIONS) this.rejected.shift();
        return true;
      }
      case 'RevisionAccepted':
        return this.end('rejected|*');
      case 'PruneBlocked':
        return this.start('prune|*', '');
      case 'PruneAllowed':
        return this.end('prune|*');
    }
    return true;
  }

  private start(key: string, signature: string): boolean {
    if (this.open.get(key) === signature) return false;
    this.open.set(key, signature);
    return true;
  }

  private end(key: string): boolean {
    return this.open.delete(key);
  }

  private once(key: string, revision: string): boolean {
    if (this.lastRevision.get(key) === revision) return false;
    this.lastRevision.set(key, revision);
    return true;
  }
}
