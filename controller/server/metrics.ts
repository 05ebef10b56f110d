// Prometheus metrics (docs/architecture.md#metrics). Each controller owns its own Registry so tests and
// several controllers in one process never share counters.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AwsCallRecord } from '../aws/clients.js';
import type { ResourceStatus } from '../status/model.js';
import type { Action, Kind } from '../types.js';

export const METRIC_PREFIX = 'ecs_gitops_';

export type PassResult = 'success' | 'failure' | 'rejected';
export type ApplyResult = 'success' | 'failure' | 'skipped';
/** `unchanged`: `git ls-remote` showed the remote did not move, so nothing was fetched. */
export type GitFetchResult = 'success' | 'unchanged' | 'failure';

export interface Metrics {
  readonly registry: Registry;
  /** Replaces `resource_info` with exactly these resources (stale label sets vanish) and updates `drifted_resources`. */
  setResources(resources: readonly ResourceStatus[]): void;
  observePass(seconds: number, result: PassResult): void;
  recordApply(kind: Kind, action: Action, result: ApplyResult): void;
  recordAwsCall(record: AwsCallRecord): void;
  recordGitFetch(result: GitFetchResult): void;
  /** Seconds from the commit's timestamp to the moment its changes were applied. */
  observeCommitToApplied(seconds: number): void;
  /** A hook Task run ended (docs/tasks.md). */
  recordHookRun(phase: string, result: 'succeeded' | 'failed'): void;
}

const PASS_RESULTS: readonly PassResult[] = ['success', 'failure', 'rejected'];
const FETCH_RESULTS: readonly GitFetchResult[] = ['success', 'unchanged', 'failure'];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const resourceInfo = new Gauge({
    name: `${METRIC_PREFIX}resource_info`,
    help: 'One series per managed resource with its sync and health state (value is always 1)',
    labelNames: ['kind', 'name', 'sync', 'health'] as const,
    registers,
  });
  const drifted = new Gauge({
    name: `${METRIC_PREFIX}drifted_resources`,
    help: 'Number of resources whose live state drifted from Git',
    registers,
  });
  const pruneBlocked = new Gauge({
    name: `${METRIC_PREFIX}prune_blocked_resources`,
    help: 'Resources a prune refused by --prune-max would delete (0 when no prune is refused)',
    registers,
  });
  const passDuration = new Histogram({
    name: `${METRIC_PREFIX}reconcile_duration_seconds`,
    help: 'Duration of one reconcile pass (read desired and live, diff, plan, apply)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const passes = new Counter({
    name: `${METRIC_PREFIX}reconcile_total`,
    help: 'Reconcile passes by result (rejected: the revision had invalid manifests)',
    labelNames: ['result'] as const,
    registers,
  });
  const applies = new Counter({
    name: `${METRIC_PREFIX}apply_total`,
    help: 'Changes applied to AWS by kind, planned action and result',
    labelNames: ['kind', 'action', 'result'] as const,
    registers,
  });
  const awsRequests = new Counter({
    name: `${METRIC_PREFIX}aws_requests_total`,
    help: 'AWS API requests (every attempt, retries included) by service, operation and response code',
    labelNames: ['service', 'operation', 'code'] as const,
    registers,
  });
  const gitFetches = new Counter({
    name: `${METRIC_PREFIX}git_fetch_total`,
    help: 'Looks at the Git remote (every poll and fetch) by result: success (new content fetched), unchanged, failure',
    labelNames: ['result'] as const,
    registers,
  });
  const commitToApplied = new Histogram({
    name: `${METRIC_PREFIX}commit_to_applied_seconds`,
    help: 'Seconds from a commit timestamp until its changes were applied',
    buckets: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });

  const hookRuns = new Counter({
    name: `${METRIC_PREFIX}hook_runs_total`,
    help: 'Hook Task runs that ended, by phase (PreSync, PostSync, SyncFail) and result (succeeded, failed)',
    labelNames: ['phase', 'result'] as const,
    registers,
  });

  // Known label values start at 0 so rate() and alerts work before the first occurrence.
  for (const result of PASS_RESULTS) passes.inc({ result }, 0);
  for (const result of FETCH_RESULTS) gitFetches.inc({ result }, 0);

  return {
    registry,
    setResources(resources) {
      // reset + set runs synchronously, so a concurrent scrape never sees a half-updated set.
      resourceInfo.reset();
      let driftCount = 0;
      let refused = 0;
      for (const r of resources) {
        resourceInfo.set({ kind: r.kind, name: r.name, sync: r.sync, health: r.health }, 1);
        if (r.sync === 'Drifted') driftCount++;
        // A prune refused by --prune-max marks each resource it would delete Stalled (prune-limit).
        if (
          r.conditions.some((c) => c.type === 'Stalled' && c.status === 'True' && c.reason === 'prune-limit')
        )
          refused++;
      }
      drifted.set(driftCount);
      pruneBlocked.set(refused);
    },
    observePass(seconds, result) {
      passDuration.observe(Math.max(0, seconds));
      passes.inc({ result });
    },
    recordHookRun(phase, result) {
      hookRuns.inc({ phase, result });
    },
    recordApply(kind, action, result) {
      applies.inc({ kind, action, result });
    },
    recordAwsCall(record) {
      awsRequests.inc({ service: record.service, operation: record.operation, code: record.code });
    },
    recordGitFetch(result) {
      gitFetches.inc({ result });
    },
    observeCommitToApplied(seconds) {
      // A committer's clock ahead of ours would give negative values; they mean "immediately".
      commitToApplied.observe(Math.max(0, seconds));
    },
  };
}
