// The prune safety rail refused deletions (plan/'s prune-limit): a person must look — restore the
// manifests, raise --prune-max or confirm. Said once per episode (event, alert, warning) and kept
// in the overall status (/api/status, /readyz) while it lasts; PruneAllowed when it ends. Only a
// full pass can tell, so targeted passes do not call it.
import type { ChangeSet } from '../plan/model.js';
import type { OverallStatus } from '../status/model.js';
import type { StatusStore } from '../status/store.js';
import { keyString, shortRevision } from '../types.js';
import { type Announcer, announce } from './announcer.js';

export class PruneRailEpisode {
  private open: OverallStatus['pruneBlocked'];

  constructor(
    private readonly announcer: Announcer,
    private readonly store: Pick<StatusStore, 'setOverall'>,
  ) {}

  note(changeSet: ChangeSet, revision: string): void {
    const refused = changeSet.entries.filter((e) => e.blocked?.reason === 'prune-limit');
    const open = this.open;
    const { logger } = this.announcer;
    if (refused.length === 0) {
      if (!open) return;
      this.open = undefined;
      this.store.setOverall({ pruneBlocked: undefined });
      logger.info({ revision }, 'prune no longer refused');
      announce(this.announcer, {
        type: 'PruneAllowed',
        severity: 'info',
        revision,
        message: `revision ${shortRevision(revision)}: nothing refused by --prune-max any more`,
      });
      return;
    }
    const message = refused[0]?.blocked?.message ?? 'prune refused';
    const resources = refused.map((e) => keyString(e.key));
    this.open = { message, resources, since: open?.since ?? this.announcer.now().toISOString() };
    this.store.setOverall({ pruneBlocked: this.open });
    if (open) return;
    logger.warn({ revision, resources }, `prune refused: ${message}`);
    announce(this.announcer, {
      type: 'PruneBlocked',
      severity: 'error',
      revision,
      message: `revision ${shortRevision(revision)}: ${message}; restore the manifests, raise --prune-max or pass --prune-confirm`,
    });
  }
}
