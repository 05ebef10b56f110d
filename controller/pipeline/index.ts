// One pass's read live → diff → plan → apply, wired once (docs/architecture.md#one-pass-step-by-step).
// `ecs-gitops diff` and `apply` (cli/) call `preview` and `apply` once; the long-running controller
// (app.ts) hands the same four steps to the reconciler as its ports, which puts classify and block
// between diff and plan. So all three read with the same options, size the prune rail the same
// way, and write the same ownership record.
import { applyChangeSet } from '../apply/executor.js';
import type { ApplyOptions, ApplyResult } from '../apply/model.js';
import type { AwsClients } from '../aws/clients.js';
import { type Config, pruneLimit } from '../config.js';
import { diffResources } from '../diff/index.js';
import type { ResourceDiff } from '../diff/model.js';
import { readLive, type ServiceDeploymentCache, type TaskDefinitionCache } from '../live/index.js';
import type { LiveState } from '../live/model.js';
import type { PreflightReader } from '../live/preflight-reads.js';
import type { DesiredState } from '../manifest/model.js';
import { type PlanOptions, planChanges } from '../plan/index.js';
import type { ChangeSet } from '../plan/model.js';
import { gateChangeSet, PREFLIGHT_FAILED } from '../preflight/gate.js';
import { specHashTags } from '../reconcile/fingerprint.js';
import { type KeyString, keyString } from '../types.js';

/** What may be deleted in one pass (docs/architecture.md#reconcile-semantics, "Prune"). */
export interface PrunePolicy {
  readonly prune: boolean;
  readonly pruneMax: Config['pruneMax'];
  readonly pruneConfirm: boolean;
}

/** What every caller takes from its Config: this controller's name (the managed-by tag) and prune policy. */
export type PipelineConfig = Pick<Config, 'instance' | 'prune' | 'pruneMax' | 'pruneConfirm'>;

/** What differs between the long-running controller and a one-shot command. */
export interface PipelineOptions {
  /** Kept between passes by the long-running controller; a one-shot command reads afresh. */
  readonly caches?: {
    readonly taskDefinitions?: TaskDefinitionCache;
    readonly serviceDeployments?: ServiceDeploymentCache;
  };
  /**
   * Checks before writing (`run`): an entry whose image, secrets, roles or target groups are
   * missing is not applied (nor what depends on it) and comes back failed, retryable.
   */
  readonly preflight?: {
    readonly reader: PreflightReader;
    readonly region: string;
    readonly onFailure?: (key: KeyString, message: string) => void;
  };
  /** Each entry as it runs (log lines, the CLI's progress). */
  readonly onProgress?: ApplyOptions['onProgress'];
  /** Entries applied at once (apply/'s default otherwise); benchmarks vary it. */
  readonly concurrency?: number;
}

/** What a pass planned and from what. */
export interface Preview {
  readonly live: LiveState;
  readonly diffs: readonly ResourceDiff[];
  readonly changeSet: ChangeSet;
}

export interface Pipeline {
  /** Live (live/): what the desired state names; with `discoverOrphans`, the owned orphans too. */
  readLive(desired: DesiredState, options: { readonly discoverOrphans: boolean }): Promise<LiveState>;
  /** Diff (diff/): one ResourceDiff per resource. Prune candidates when prune is on. */
  diff(desired: DesiredState, live: LiveState): ResourceDiff[];
  /** Plan (plan/): the ChangeSet, with the prune rail sized to what this controller owns. */
  plan(diffs: readonly ResourceDiff[], options: Pick<PlanOptions, 'revision' | 'blocked'>): ChangeSet;
  /** Apply (apply/): after preflight when configured, tagged with the ownership and spec-hash record. */
  apply(
    changeSet: ChangeSet,
    options: { readonly live: LiveState; readonly signal: AbortSignal },
  ): Promise<ApplyResult>;
  /** Read → diff → plan of a whole desired state, in one call (the CLI's diff and apply). */
  preview(desired: DesiredState): Promise<Preview>;
}

/** Plan options from the prune policy: the limit is a share of the owned resources (at least 1). */
export function planFor(
  diffs: readonly ResourceDiff[],
  policy: PrunePolicy,
  options: Pick<PlanOptions, 'revision' | 'blocked'>,
): ChangeSet {
  const owned = diffs.filter((d) => d.owned === true).length;
  return planChanges(diffs, {
    ...options,
    prune: policy.prune,
    pruneLimit: pruneLimit(policy.pruneMax, owned),
    pruneConfirm: policy.pruneConfirm,
  });
}

export function createPipeline(
  clients: AwsClients,
  config: PipelineConfig,
  options: PipelineOptions = {},
): Pipeline {
  const { caches, preflight } = options;
  const pipeline: Pipeline = {
    readLive: (desired, read) =>
      readLive(clients, desired, {
        instance: config.instance,
        discoverOrphans: read.discoverOrphans,
        ...(caches?.taskDefinitions ? { cache: caches.taskDefinitions } : {}),
        ...(caches?.serviceDeployments ? { serviceDeploymentCache: caches.serviceDeployments } : {}),
      }),
    diff: (desired, live) =>
      diffResources(desired, live, { instance: config.instance, pruneCandidates: config.prune }),
    plan: (diffs, plan) => planFor(diffs, config, plan),
    async apply(planned, run) {
      const { changeSet, failures } = preflight
        ? await gateChangeSet(planned, preflight.reader, preflight.region)
        : { changeSet: planned, failures: new Map<KeyString, string>() };
      for (const [key, message] of failures) preflight?.onFailure?.(key, message);
      const desired = changeSet.entries.flatMap((e) => (e.diff.desired ? [e.diff.desired] : []));
      const result = await applyChangeSet(clients, changeSet, {
        instance: config.instance,
        revision: changeSet.revision,
        signal: run.signal,
        // Lets apply deregister old revisions no service runs, and find orphans' clusters.
        live: run.live,
        // The record a restarted controller reads to tell drift from a deploy.
        extraTags: specHashTags(desired),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      });
      // A revision's content is immutable, its tags are not: re-read the ones apply just tagged.
      for (const entry of result.entries)
        if (entry.key.kind === 'TaskDefinition' && entry.outcome === 'configured' && entry.arn)
          caches?.taskDefinitions?.delete(entry.arn);
      if (failures.size === 0) return result;
      return {
        ...result,
        entries: result.entries.map((entry) => {
          const message = failures.get(keyString(entry.key));
          if (!message) return entry;
          // Retryable: pushing the image or creating the secret fixes it without a new commit.
          const { skipReason: _skipped, ...rest } = entry;
          return {
            ...rest,
            outcome: 'failed' as const,
            message,
            error: { code: PREFLIGHT_FAILED, message, retryable: true },
          };
        }),
      };
    },
    async preview(desired) {
      const live = await pipeline.readLive(desired, { discoverOrphans: config.prune });
      const diffs = pipeline.diff(desired, live);
      return { live, diffs, changeSet: pipeline.plan(diffs, { revision: desired.revision }) };
    },
  };
  return pipeline;
}
