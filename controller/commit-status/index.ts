// Commit statuses on GitHub / GitLab for the revision the controller applies: pending while it
// converges, success when every resource is Synced and Healthy, failure on a failed sync, a failed
// rollout or a rejected revision. One context per controller instance (and per target). Posted only when the state
// or the description changes; delivery retries and honours the hosts' rate limits (HttpDelivery).

import { HttpDelivery } from '../alerts/http-delivery.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { StatusSnapshot } from '../status/model.js';
import { type CommitStatusTarget, resolveTarget, statusRequest } from './git-host.js';
import { summarize } from './summary.js';

export { type CommitStatusTarget, parseRemote, resolveTarget, statusRequest } from './git-host.js';
export { type CommitState, type CommitSummary, summarize } from './summary.js';

export interface CommitStatusReporter {
  /** Called after every pass with the new status. */
  update(snapshot: StatusSnapshot): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly target: CommitStatusTarget;
  /** The status context, e.g. `ecs-gitops/prod` or `ecs-gitops/ops/prod-eu`. */
  readonly context: string;
}

export interface ReporterOptions {
  readonly target: CommitStatusTarget;
  readonly token: string;
  readonly context: string;
  readonly externalUrl?: string;
  readonly logger: Logger;
  readonly initialDelayMs?: number;
}

export function createCommitStatusReporter(options: ReporterOptions): CommitStatusReporter {
  let last = '';
  const delivery = new HttpDelivery({
    name: `${options.target.host} commit status`,
    url: options.target.apiUrl,
    logger: options.logger,
    // A rate-limit reset can be many minutes away; statuses are worth the wait.
    maxDelayMs: 15 * 60_000,
    ...(options.initialDelayMs ? { initialDelayMs: options.initialDelayMs } : {}),
    // Statuses are queued with send(); this sink receives no alerts.
    build: () => undefined,
  });
  return {
    target: options.target,
    context: options.context,
    update(snapshot) {
      const summary = summarize(snapshot);
      if (!summary) return;
      const signature = `${summary.revision}|${summary.state}|${summary.description}`;
      if (signature === last) return;
      last = signature;
      const base = options.externalUrl?.replace(/\/+$/, '');
      const targetUrl = base ? `${base}/${summary.resource ? `#/${summary.resource}` : ''}` : undefined;
      const request = statusRequest(options.target, options.token, summary.revision, {
        state: summary.state,
        description: summary.description,
        context: options.context,
        ...(targetUrl ? { targetUrl } : {}),
      });
      options.logger.info(
        { revision: summary.revision, state: summary.state, host: options.target.host },
        `commit status ${summary.state}: ${summary.description}`,
      );
      delivery.send(request, { revision: summary.revision, state: summary.state });
    },
    flush: () => delivery.flush(),
    close: () => delivery.close(),
  };
}

/** The reporter `run` uses, when a token and a GitHub / GitLab remote (or --commit-status-repo) are set. */
export function commitStatusFromConfig(
  config: Config,
  logger: Logger,
  /** One target of several: each posts under its own context, so one target cannot mask another. */
  targetName?: string,
): CommitStatusReporter | undefined {
  if (config.commitStatus === 'off') return undefined;
  const token = config.commitStatusToken ?? config.source.gitToken;
  const target = resolveTarget({
    ...(config.source.repo ? { remote: config.source.repo } : {}),
    ...(config.commitStatus !== 'auto' ? { host: config.commitStatus } : {}),
    ...(config.commitStatusApiUrl ? { apiUrl: config.commitStatusApiUrl } : {}),
    ...(config.commitStatusRepo ? { project: config.commitStatusRepo } : {}),
  });
  if (!target) {
    if (config.commitStatus !== 'auto')
      logger.warn('commit statuses: no GitHub or GitLab repository to post to');
    return undefined;
  }
  if (!token) {
    logger.warn(
      `commit statuses: ${target.host} repository ${target.project} but no ECS_GITOPS_COMMIT_STATUS_TOKEN or ECS_GITOPS_GIT_TOKEN: statuses are not posted`,
    );
    return undefined;
  }
  return createCommitStatusReporter({
    target,
    token,
    context: targetName ? `ecs-gitops/${config.instance}/${targetName}` : `ecs-gitops/${config.instance}`,
    ...(config.externalUrl ? { externalUrl: config.externalUrl } : {}),
    logger,
  });
}
