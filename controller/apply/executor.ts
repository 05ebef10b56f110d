// Runs a ChangeSet: each entry after the entries it depends on, independent entries in parallel
// (bounded; every call also waits on the client-side rate limiter), a failure skipping only what
// depends on it. Every entry gets a result, whatever happened.
//
// Pipelined, not in waves by kind: a free slot goes to the ready entry deepest in its dependency
// chain, so a service starts as soon as its own task definition is registered instead of after
// every registration (RegisterTaskDefinition's 1/s quota would otherwise hold back every service).
import type { AwsClients } from '../aws/clients.js';
import { AwsError, EcsGitopsError, errorMessage, isRetryable } from '../errors.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import { type KeyString, type Kind, keyString, type Outcome } from '../types.js';
import { applyCapacityProvider } from './capacity-provider.js';
import { applyCluster } from './cluster.js';
import { type ApplyContext, createApplyContext, type EntryRecorder } from './context.js';
import type { ApplyEntryResult, ApplyError, ApplyOptions, ApplyResult, SkipReason } from './model.js';
import type { KindOutcome } from './outcome.js';
import { applyScalingPolicy } from './scaling-policy.js';
import { applyScheduledTask } from './scheduled-task.js';
import { applyService } from './service.js';
import { applyTaskDefinition } from './task-definition.js';

type Applier<K extends Kind> = (
  context: ApplyContext,
  entry: ChangeSetEntry<K>,
  recorder: EntryRecorder,
) => Promise<KindOutcome>;

const APPLIERS: { readonly [K in Kind]: Applier<K> } = {
  CapacityProvider: applyCapacityProvider,
  Cluster: applyCluster,
  TaskDefinition: applyTaskDefinition,
  Service: applyService,
  ScalingPolicy: applyScalingPolicy,
  ScheduledTask: applyScheduledTask,
  // A Task has no standing AWS object: hooks run it (reconcile/hooks.ts), run-task on demand.
  Task: async (): Promise<KindOutcome> => ({
    outcome: 'unchanged',
    message: 'a Task runs as a hook or on demand',
  }),
};

/** The applier of an entry's own kind (indexed by the kind, so the entry's type goes with it). */
function runApplier<K extends Kind>(
  context: ApplyContext,
  entry: ChangeSetEntry<K>,
  recorder: EntryRecorder,
): Promise<KindOutcome> {
  const apply: Applier<K> = APPLIERS[entry.key.kind];
  return apply(context, entry, recorder);
}

const PREDICTED: Record<ChangeSetEntry['action'], Outcome> = {
  create: 'created',
  update: 'configured',
  replace: 'configured',
  delete: 'deleted',
  adopt: 'configured',
  noop: 'unchanged',
};

function toApplyError(error: unknown): ApplyError {
  const retryable = isRetryable(error);
  if (error instanceof AwsError) {
    const cause = error.cause as { message?: string } | undefined;
    return {
      code: error.awsCode,
      message: cause?.message ?? error.message,
      operation: error.operation,
      retryable,
    };
  }
  if (error instanceof EcsGitopsError) return { code: error.code, message: error.message, retryable };
  const e = error as { name?: string };
  const code = e.name && e.name !== 'Error' ? e.name : 'ApplyFailed';
  return { code, message: errorMessage(error), retryable };
}

/** An adoption is the one thing a noop entry still writes: the ownership tags. */
function needsAdoption(entry: ChangeSetEntry): boolean {
  return entry.diff.owned === false && entry.diff.desired?.policy.adopt === true;
}

/** Why an entry must not run even though the plan let it through (defence in depth). */
function refusal(entry: ChangeSetEntry): { reason: SkipReason; message: string } | undefined {
  if (entry.blocked) return entry.blocked;
  if (entry.action === 'delete' && entry.diff.owned !== true) {
    return { reason: 'unowned', message: `not deleted: not owned by this controller` };
  }
  if ((entry.action === 'delete' || entry.action === 'replace') && entry.diff.pruneProtected) {
    return { reason: 'prune-disabled', message: 'not deleted: tagged ecs-gitops/prune=disabled' };
  }
  if (
    (entry.action === 'update' || entry.action === 'replace') &&
    entry.diff.owned === false &&
    !needsAdoption(entry)
  ) {
    return {
      reason: 'unowned',
      message: 'not changed: owned by someone else (set ecs-gitops/adopt: "true" to manage it)',
    };
  }
  if (entry.action === 'replace' && entry.diff.desired && !entry.diff.desired.policy.replaceAllowed) {
    return {
      reason: 'replace-not-allowed',
      message: `replace needs ecs-gitops/replace: allowed (${entry.diff.replaceReasons.join('; ')})`,
    };
  }
  return undefined;
}

export async function applyChangeSet(
  clients: AwsClients,
  changeSet: ChangeSet,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const context = createApplyContext(clients, changeSet, options);
  const results = new Map<KeyString, ApplyEntryResult>();
  const present = new Set(changeSet.entries.map((entry) => keyString(entry.key)));
  const pending = [...changeSet.entries];
  const running = new Map<KeyString, Promise<void>>();
  const limit = Math.max(1, options.concurrency ?? 8);

  const finish = (result: ApplyEntryResult) => {
    results.set(keyString(result.key), result);
    options.onProgress?.({ type: 'done', result });
  };

  // Dependencies outside the ChangeSet already exist (or are external): nothing to wait for.
  const dependencies = (entry: ChangeSetEntry) =>
    entry.dependsOn.map(keyString).filter((key) => present.has(key) && key !== keyString(entry.key));
  const depth = chainDepths(changeSet.entries, dependencies);
  // Stable: plan order among entries of equal depth.
  pending.sort((a, b) => (depth.get(keyString(b.key)) ?? 0) - (depth.get(keyString(a.key)) ?? 0));

  while (pending.length > 0 || running.size > 0) {
    let started = false;
    for (let i = 0; i < pending.length && running.size < limit; i += 1) {
      const entry = pending[i] as ChangeSetEntry;
      const deps = dependencies(entry);
      if (!deps.every((dep) => results.has(dep))) continue;
      pending.splice(i, 1);
      i -= 1;
      started = true;
      const failedDep = deps.find((dep) => {
        const result = results.get(dep);
        return (
          result?.outcome === 'failed' ||
          result?.skipReason === 'dependency-failed' ||
          result?.skipReason === 'aborted'
        );
      });
      const key = keyString(entry.key);
      const task = runEntry(context, entry, failedDep).then((result) => {
        running.delete(key);
        finish(result);
      });
      running.set(key, task);
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (!started && pending.length > 0) {
      // A dependency cycle (the plan should never produce one): run the rest in plan order.
      const entry = pending.shift() as ChangeSetEntry;
      finish(await runEntry(context, entry, undefined));
    }
  }

  // Report in the ChangeSet's order, not completion order.
  const entries = changeSet.entries.map((entry) => results.get(keyString(entry.key)) as ApplyEntryResult);
  return { revision: changeSet.revision, dryRun: options.dryRun === true, entries };
}

/** How many dependencies deep each entry sits (0: depends on nothing in the ChangeSet). */
function chainDepths(
  entries: readonly ChangeSetEntry[],
  dependencies: (entry: ChangeSetEntry) => KeyString[],
): Map<KeyString, number> {
  const byKey = new Map(entries.map((entry) => [keyString(entry.key), entry]));
  const depths = new Map<KeyString, number>();
  const visiting = new Set<KeyString>();
  const depthOf = (key: KeyString): number => {
    const known = depths.get(key);
    if (known !== undefined) return known;
    const entry = byKey.get(key);
    // A cycle (the plan never makes one) counts as no dependency here; the loop below copes.
    if (!entry || visiting.has(key)) return 0;
    visiting.add(key);
    const depth = Math.max(-1, ...dependencies(entry).map(depthOf)) + 1;
    visiting.delete(key);
    depths.set(key, depth);
    return depth;
  };
  for (const key of byKey.keys()) depthOf(key);
  return depths;
}

async function runEntry(
  context: ApplyContext,
  entry: ChangeSetEntry,
  failedDependency: KeyString | undefined,
): Promise<ApplyEntryResult> {
  const { options } = context;
  const startedAt = performance.now();
  const recorder: EntryRecorder = { key: entry.key, writes: [] };
  const base = { key: entry.key, action: entry.action, writes: recorder.writes };
  const skipped = (reason: SkipReason, message: string): ApplyEntryResult => ({
    ...base,
    outcome: 'skipped',
    skipReason: reason,
    message,
    durationMs: 0,
  });

  const refused = refusal(entry);
  if (refused) return skipped(refused.reason, refused.message);
  if (failedDependency) return skipped('dependency-failed', `skipped: ${failedDependency} failed`);
  if (options.signal?.aborted) return skipped('aborted', 'skipped: apply was interrupted');
  if (entry.action === 'noop' && !needsAdoption(entry)) {
    const arn = entry.diff.taskDefinition?.arn ?? entry.diff.liveArn;
    if (entry.key.kind === 'TaskDefinition' && arn && entry.diff.desired) {
      context.taskDefinitionArns.set(entry.diff.desired.name, arn);
    }
    return { ...base, outcome: 'unchanged', message: 'in sync', ...(arn ? { arn } : {}), durationMs: 0 };
  }
  if (options.dryRun) {
    const outcome = needsAdoption(entry) && entry.action === 'noop' ? 'configured' : PREDICTED[entry.action];
    return {
      ...base,
      outcome,
      message: `would ${entry.action}${needsAdoption(entry) ? ' (adopt)' : ''}`,
      durationMs: 0,
    };
  }

  options.onProgress?.({ type: 'start', key: entry.key, action: entry.action });
  try {
    const done: KindOutcome = await runApplier(context, entry, recorder);
    return {
      ...base,
      outcome: done.outcome,
      message: done.message,
      ...(done.arn ? { arn: done.arn } : {}),
      ...(done.service ? { service: done.service } : {}),
      ...(done.deploymentId ? { deploymentId: done.deploymentId } : {}),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } catch (error) {
    const applyError = toApplyError(error);
    return {
      ...base,
      outcome: 'failed',
      message: `${applyError.operation ? `${applyError.operation}: ` : ''}${applyError.code}: ${applyError.message}`,
      error: applyError,
      durationMs: Math.round(performance.now() - startedAt),
    };
  }
}
