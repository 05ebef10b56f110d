// The reconcile loop: triggers enqueue passes; each pass reads desired (Git) and live (AWS) afresh,
// classifies differences (deploy vs drift, classify.ts), holds back what policy forbids (block.ts),
// plans, applies, records what the outcome teaches (record.ts) and publishes status and events.
// Composes the pure core through ReconcilerPorts; owns no AWS or Git code itself.

import { serviceKey } from '../aws-model/ids.js';
import { Backoff } from '../backoff.js';
import { type Clock, systemClock } from '../clock.js';
import type { ResourceDiff } from '../diff/model.js';
import { errorMessage, formatProblem } from '../errors.js';
import { type LiveState, type ServiceDeployment, serviceDeployments } from '../live/model.js';
import type { Logger } from '../log.js';
import type { DesiredState } from '../manifest/model.js';
import { describeProblemCount } from '../manifest/problem-list.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import type { ControllerEvent, OverallStatus, StatusSnapshot } from '../status/model.js';
import type { StatusStore } from '../status/store.js';
import { type DriftPolicy, type HealthState, type KeyString, keyString, shortRevision } from '../types.js';
import { type BackoffOptions, DEFAULT_BACKOFF, KeyedBackoff } from './backoff.js';
import { blockDiffs } from './block.js';
import { classifyDiffs } from './classify.js';
import { type AppliedRecord, type ChangeOrigin, effectiveDriftPolicy } from './drift.js';
import { fingerprintAll } from './fingerprint.js';
import { HookGate } from './hooks.js';
import { markApplying } from './in-progress.js';
import { emptyMemory, type ReconcileMemory } from './memory.js';
import { PassQueue, type PassRequest, type RequestOptions } from './pass-queue.js';
import { mergeLive, passScope, ROLLOUT_REASON, withDependencies } from './pass-scope.js';
import { PassTimings } from './pass-timings.js';
import type { AppliedEntry, ReconcilerPorts, SourceSnapshot } from './ports.js';
import { recordOutcome } from './record.js';
import { nextResourceStatus } from './resource-status.js';
import { repairStaleRecords } from './stale-record.js';
import { StoppedReasons } from './stopped-reasons.js';

/** How many applied revisions are remembered (to announce each once); older ones only matter if Git goes back. */
const COMPLETED_REVISIONS_KEPT = 100;

/** Problems an event (and so an alert, a webhook body, a Slack message) carries; status keeps more. */
export const EVENT_PROBLEMS = 20;

export interface ReconcilerOptions {
  readonly instance: string;
  readonly drift: DriftPolicy;
  /** Prune is on: full passes also read the owned orphans (the pipeline plans their deletion). */
  readonly prune: boolean;
  readonly resyncMs: number;
  /** How soon to look again while a rollout progresses (status freshness, rollout failure detection). */
  readonly progressPollMs?: number;
  readonly backoff?: BackoffOptions;
  readonly logger: Logger;
  /** Wall time and durations; tests pass a manual one. */
  readonly clock?: Clock;
}

interface RevisionRecord {
  readonly revision: string;
  readonly committedAt?: Date;
}

export class Reconciler {
  private readonly queue = new PassQueue();
  private readonly backoff: KeyedBackoff<KeyString>;
  /** Backoff of whole passes that fail before any resource is reached (AWS unreachable, …). */
  private readonly passBackoff: Backoff;
  private readonly stopping = new AbortController();
  private readonly clock: Clock;
  private snapshot: SourceSnapshot | undefined;
  private parsedRevision: string | undefined;
  private desired: DesiredState | undefined;
  private desiredCommit: RevisionRecord | undefined;
  private rejected: OverallStatus['rejectedRevision'];
  /** What each resource's last passes left behind (reconcile/memory.ts). */
  private readonly memory: ReconcileMemory = emptyMemory();
  private readonly stoppedReasons: StoppedReasons;
  /** Revisions already announced as applied (newest last), bounded: a long-running loop sees many. */
  private readonly completedRevisions = new Set<string>();
  private lastAppliedRevision: string | undefined;
  private lastAttemptedRevision: string | undefined;
  private lastPass: OverallStatus['lastPass'];
  private pruneBlocked: OverallStatus['pruneBlocked'];
  private loop: Promise<void> | undefined;
  /** The last full live picture, with targeted passes' reads merged in. */
  private lastLive: LiveState | undefined;
  /** Fingerprints of the desired state the last pass reconciled: a targeted pass reads what differs. */
  private reconciled: Map<KeyString, string> | undefined;
  /**
   * Resources not settled after the last pass: still rolling out, or just written (their health came
   * from the read taken before the write). The next targeted pass reads these again.
   */
  private unsettledKeys = new Set<KeyString>();
  private resyncTimer: NodeJS.Timeout | undefined;
  private passCount = 0;
  private readonly passListeners = new Set<(snapshot: StatusSnapshot) => void>();
  private readonly applyStartListeners = new Set<(snapshot: StatusSnapshot) => void>();
  /** Hook Tasks (PreSync / PostSync / SyncFail) around deploys. */
  private readonly hooks: HookGate;

  constructor(
    private readonly ports: ReconcilerPorts,
    private readonly options: ReconcilerOptions,
    private readonly store: StatusStore,
  ) {
    this.backoff = new KeyedBackoff(options.backoff ?? DEFAULT_BACKOFF);
    this.passBackoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.clock = options.clock ?? systemClock;
    this.stoppedReasons = new StoppedReasons(ports.stoppedReasons?.bind(ports), () => this.log());
    this.hooks = new HookGate(ports.hooks, {
      instance: options.instance,
      now: () => this.now(),
      publish: (event) => this.publish(event),
      warn: (message) => this.log().warn(message),
      ...(ports.metrics?.recordHookRun
        ? { recordRun: (phase, result) => ports.metrics?.recordHookRun?.(phase, result) }
        : {}),
    });
  }

  /** Starts the loop with an initial fetch and the resync timer. */
  start(): void {
    if (this.loop) return;
    this.queue.request('startup', { fetch: true });
    this.resyncTimer = setInterval(() => this.queue.request('resync'), this.options.resyncMs);
    this.resyncTimer.unref();
    this.loop = this.run();
  }

  /** A new revision may exist (poll saw it, webhook, API): fetch and reconcile. */
  requestSync(reason: string, options: RequestOptions = { fetch: true }): void {
    this.queue.request(reason, options);
  }

  /** Number of passes finished so far (tests and the embedded mode wait on it). */
  get passes(): number {
    return this.passCount;
  }

  onPass(listener: (snapshot: StatusSnapshot) => void): () => void {
    this.passListeners.add(listener);
    return () => this.passListeners.delete(listener);
  }

  /** Called when a pass starts writing (after it marked what it changes), with that status. */
  onApplyStart(listener: (snapshot: StatusSnapshot) => void): () => void {
    this.applyStartListeners.add(listener);
    return () => this.applyStartListeners.delete(listener);
  }

  /** Finishes the in-flight AWS call and pass, then stops. */
  async stop(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.stopping.abort();
    this.queue.close();
    await this.loop;
  }

  status(): StatusSnapshot {
    return this.store.snapshot();
  }

  private async run(): Promise<void> {
    for (;;) {
      const request = await this.queue.next();
      if (!request) return;
      await this.pass(request);
      if (this.stopping.signal.aborted) return;
    }
  }

  private now(): Date {
    return this.clock.now();
  }

  private log(): Logger {
    return this.options.logger;
  }

  private publish(event: ControllerEvent): void {
    // The log notifier prints one line per alert episode; every raw event is kept at debug level.
    this.log().debug(
      { event: event.type, resource: event.resource, revision: event.revision },
      event.message,
    );
    this.ports.publish(event);
  }

  private async pass(request: PassRequest): Promise<void> {
    const started = this.now();
    const startedMs = this.clock.monotonicMs();
    let result: 'success' | 'failure' | 'rejected' = 'success';
    const timings = new PassTimings(() => this.clock.monotonicMs());
    try {
      // "Sync now" is a person asking to try again, failed rollouts included.
      if (request.manual) {
        this.memory.failedRollouts.clear();
        this.memory.stalled.clear();
        this.hooks.retryFailed();
      }
      if (request.fetch || !this.snapshot) await timings.time('fetch', () => this.fetch());
      const parsed = timings.timeSync('parse', () => this.parseLatest());
      if (parsed === 'rejected') result = 'rejected';
      if (this.desired) {
        // Sync now is always a full pass.
        const ok = await this.reconcile(
          this.desired,
          request.manual ? ['sync now'] : request.reasons,
          timings,
        );
        this.passBackoff.reset();
        if (!ok && result === 'success') result = 'failure';
      }
    } catch (error) {
      result = 'failure';
      this.log().error({ err: errorMessage(error), reasons: request.reasons }, 'reconcile pass failed');
      const delay = this.passBackoff.fail();
      this.queue.requestAfter(delay, 'retry after failed pass');
    } finally {
      const seconds = (this.clock.monotonicMs() - startedMs) / 1000;
      this.lastPass = { startedAt: started.toISOString(), durationMs: Math.round(seconds * 1000), result };
      this.ports.metrics?.observePass(seconds, result);
      this.log().debug(
        {
          reasons: request.reasons,
          result,
          durationMs: Math.round(seconds * 1000),
          ms: timings,
          scope: timings.scope,
        },
        'pass finished',
      );
      this.store.setOverall({
        ...(this.lastAppliedRevision ? { lastAppliedRevision: this.lastAppliedRevision } : {}),
        ...(this.lastAttemptedRevision ? { lastAttemptedRevision: this.lastAttemptedRevision } : {}),
        rejectedRevision: this.rejected,
        lastPass: this.lastPass,
        passInProgress: undefined,
      });
      // Ready once the source was read and a pass ran on it (a rejected first revision counts: it is reported).
      if (this.desired !== undefined || result === 'rejected') this.store.setReady(true);
      this.passCount += 1;
      const snapshot = this.store.publish();
      this.ports.metrics?.setResources(snapshot.resources);
      for (const listener of this.passListeners) listener(snapshot);
      void this.writeStatus(snapshot);
    }
  }

  private async fetch(): Promise<void> {
    try {
      // git_fetch_total is counted by the source itself, which also sees the polls.
      const { snapshot, changed } = await this.ports.source.fetch();
      if (changed || !this.snapshot) this.log().debug({ revision: snapshot.revision }, 'source revision');
      this.snapshot = snapshot;
    } catch (error) {
      // The last good revision stays applied; drift detection goes on against it.
      this.log().warn({ err: errorMessage(error) }, 'source fetch failed; keeping the last revision');
    }
  }

  private parseLatest(): 'unchanged' | 'accepted' | 'rejected' {
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
      this.rejected = { revision: snapshot.revision, problems, problemCount, at: this.now().toISOString() };
      this.publish({
        type: 'RevisionRejected',
        severity: 'error',
        time: this.now().toISOString(),
        instance: this.options.instance,
        revision: snapshot.revision,
        message: `revision ${shortRevision(snapshot.revision)} rejected: ${describeProblemCount(alerted.length, problemCount)}; ${this.desired ? `keeping ${shortRevision(this.desired.revision)}` : 'nothing applied yet'}`,
        problems: alerted,
        problemCount,
      });
      return 'rejected';
    }
    this.rejected = undefined;
    this.desired = result.desired;
    this.desiredCommit = {
      revision: snapshot.revision,
      ...(snapshot.commit ? { committedAt: snapshot.commit.committedAt } : {}),
    };
    return 'accepted';
  }

  /**
   * One level-triggered pass over the last good desired state, full or targeted (see pass-scope.ts),
   * in the named steps of docs/architecture.md#one-pass-step-by-step: read → classify → block →
   * plan → apply → record → status. Returns false when anything failed.
   */
  private async reconcile(
    desired: DesiredState,
    reasons: readonly string[],
    timings: PassTimings,
  ): Promise<boolean> {
    const nowIso = this.now().toISOString();
    const revision = desired.revision;
    const fingerprints = fingerprintAll(desired.resources) as Map<KeyString, string>;
    const scope = this.lastLive
      ? passScope({
          reasons,
          previous: this.reconciled,
          current: fingerprints,
          progressing: this.unsettledKeys,
        })
      : undefined;
    const target = scope ? withDependencies(desired, scope) : desired;
    // A commit that changed no manifest reads nothing: the last picture stands.
    const live =
      scope && this.lastLive && target.resources.length === 0
        ? this.lastLive
        : await timings.time('read', () =>
            this.ports.readLive(target, { discoverOrphans: !scope && this.options.prune }),
          );
    timings.scope = { targeted: scope !== undefined, resources: target.resources.length };
    // Apply sees the whole estate (which revisions services run), not just what this pass read.
    const picture = scope && this.lastLive ? mergeLive(this.lastLive, live, target) : live;
    this.lastLive = picture;
    this.reconciled = fingerprints;
    const diffs = timings.timeSync('diff', () =>
      repairStaleRecords(this.ports.diff(target, live), fingerprints, (diff) =>
        this.ports.recordedFingerprint?.(diff, live),
      ),
    );
    const lease = this.ports.lease;
    const writable = lease ? await timings.time('lease', () => lease.holds()) : true;

    for (const diff of diffs) this.noteFailedRollout(diff, live);
    const classified = classifyDiffs(
      diffs,
      fingerprints,
      (diff) => this.memory.applied.get(keyString(diff.key)) ?? this.recordFromLive(diff, live, revision),
    );
    const { blocked, origins } = blockDiffs(diffs, classified, {
      revision,
      fingerprints,
      writable,
      drift: this.options.drift,
      failedRollouts: this.memory.failedRollouts,
      stalled: this.memory.stalled,
      backingOff: (key) =>
        this.backoff.isWaiting(key, revision, this.now().getTime()) ? this.backoff.failures(key) : undefined,
    });
    // PreSync hooks hold back the deploys they guard until they exited 0 (reconcile/hooks.ts).
    const deploying = new Set<KeyString>(
      diffs
        .filter((d) => d.key.kind === 'Service' && d.action !== 'noop' && d.action !== 'delete')
        .map((d) => keyString(d.key))
        .filter((key) => origins.get(key) === 'git' && !blocked.has(key)),
    );
    const hookRunning = await this.hooks.preSync({ desired, diffs, deploying, writable, blocked });

    const changeSet = timings.timeSync('plan', () => this.ports.plan(diffs, { revision, blocked }));
    // Only a full pass can tell whether the prune rail still refuses something.
    if (!scope) this.notePruneLimit(changeSet, revision);
    const { actionable, results } = await this.applyChanges(changeSet, picture, nowIso, timings);

    const resultByKey = new Map(results.map((r) => [keyString(r.key), r]));
    const entryByKey = new Map(changeSet.entries.map((e) => [keyString(e.key), e]));
    let failures = 0;
    let progressing = false;
    // A targeted pass keeps what it did not look at; a full pass starts over.
    const unsettled = scope ? this.unsettledKeys : new Set<KeyString>();
    const seen = new Set<KeyString>();
    const statusDone = timings.begin('status');
    for (const diff of diffs) {
      const key = keyString(diff.key);
      seen.add(key);
      const applied = resultByKey.get(key);
      const recorded = recordOutcome(this.memory, this.backoff, {
        diff,
        applied,
        fingerprint: fingerprints.get(key),
        revision,
        nowIso,
        nowMs: this.now().getTime(),
      });
      if (recorded.failed) failures += 1;
      if (recorded.retryAfterMs !== undefined)
        this.queue.requestAfter(recorded.retryAfterMs + 10, `retry ${key}`);
      if (recorded.deleted) {
        this.store.removeResource(key);
        continue;
      }
      const health = await this.updateStatus(diff, {
        entry: entryByKey.get(key),
        applied,
        origin: origins.get(key) ?? 'none',
        live,
        revision,
        nowIso,
      });
      // What this pass wrote shows the health read before the write: a follow-up reads it again
      // (a new ScalingPolicy is Missing until then).
      const settling = health === 'Progressing' || (recorded.wrote && health !== 'Healthy');
      if (settling) progressing = true;
      if (settling || recorded.wrote) unsettled.add(key);
      else unsettled.delete(key);
    }
    statusDone();
    this.unsettledKeys = unsettled;
    // What did not get applied (blocked, failed) is looked at again by the next targeted pass.
    for (const entry of changeSet.entries) {
      const key = keyString(entry.key);
      if (entry.blocked || resultByKey.get(key)?.outcome === 'failed') this.reconciled?.delete(key);
    }

    const postSyncPending = await this.hooks.postSync(
      desired,
      diffs,
      (key) => this.store.getResource(key)?.health,
      writable,
    );
    this.hooks.prune(revision);
    if (!scope) {
      this.store.retain(seen);
      for (const key of this.memory.stalled.keys()) if (!seen.has(key)) this.memory.stalled.delete(key);
    }
    this.forgetLeftGit(desired);
    const outstanding = this.store
      .snapshot()
      .resources.filter((s) => s.sync === 'OutOfSync' || s.sync === 'Failed').length;
    if (failures === 0 && outstanding === 0) this.completeRevision(desired, actionable > 0);
    if ((progressing || hookRunning || postSyncPending) && !this.stopping.signal.aborted) {
      // Hooks are followed by full passes (they look at the whole revision), a rollout by a targeted one.
      this.queue.requestAfter(
        this.options.progressPollMs ?? 3000,
        hookRunning || postSyncPending ? 'hook running' : ROLLOUT_REASON,
      );
    }
    return failures === 0;
  }

  /** Apply: the entries that may run (none: no call at all), counted in the metrics. */
  private async applyChanges(
    changeSet: ChangeSet,
    live: LiveState,
    nowIso: string,
    timings: PassTimings,
  ): Promise<{ actionable: number; results: readonly AppliedEntry[] }> {
    const actionable = changeSet.entries.filter((e) => e.action !== 'noop' && !e.blocked);
    if (actionable.length === 0) return { actionable: 0, results: [] };
    const revision = changeSet.revision;
    this.log().info({ revision, summary: changeSet.summary }, 'applying changes');
    this.showApplying(actionable, revision, nowIso);
    const { entries: results } = await timings.time('apply', () =>
      this.ports.apply(changeSet, { signal: this.stopping.signal, live }),
    );
    const actionOf = new Map(changeSet.entries.map((e) => [keyString(e.key), e.action]));
    for (const r of results) {
      const action = actionOf.get(keyString(r.key));
      if (action && r.outcome !== 'unchanged' && r.outcome !== 'skipped') {
        this.ports.metrics?.recordApply(r.key.kind, action, r.outcome === 'failed' ? 'failure' : 'success');
      }
    }
    return { actionable: actionable.length, results };
  }

  /**
   * Status: one resource's sync, health (with stopped tasks' reasons when it fails, a hook Task's
   * runs) and conditions, and the events of its edges. Returns its health.
   */
  private async updateStatus(
    diff: ResourceDiff,
    facts: {
      readonly entry: ChangeSetEntry | undefined;
      readonly applied: AppliedEntry | undefined;
      readonly origin: ChangeOrigin;
      readonly live: LiveState;
      readonly revision: string;
      readonly nowIso: string;
    },
  ): Promise<HealthState> {
    const { entry, applied, origin, live, revision, nowIso } = facts;
    const key = keyString(diff.key);
    const expected = this.memory.ownDeployments.get(key)?.id;
    const deployments = diff.key.kind === 'Service' ? deploymentsOf(diff, live) : undefined;
    const serviceDeployment = this.ports.health.serviceDeployment?.(diff, live);
    const preliminary = this.ports.health.of(diff, live, expected);
    const stoppedReasons = deployments
      ? await this.stoppedReasons.of(key, diff, deployments, expected, preliminary.state === 'Degraded')
      : undefined;
    const hookHealth = diff.key.kind === 'Task' ? this.hooks.healthOf(diff.key.name, revision) : undefined;
    const health =
      hookHealth ??
      (stoppedReasons ? this.ports.health.of(diff, live, expected, stoppedReasons) : preliminary);
    const record = this.memory.applied.get(key);
    const transition = nextResourceStatus(
      this.store.getResource(key),
      {
        diff,
        origin,
        driftPolicy: effectiveDriftPolicy(diff.desired?.policy.drift, this.options.drift),
        ...(entry ? { entry } : {}),
        ...(applied ? { applied } : {}),
        health,
        revision,
        ...(record ? { lastAppliedRevision: record.revision, lastAppliedAt: record.at } : {}),
        ...(diff.desired ? { source: diff.desired.source.file } : {}),
        ...(deployments ? { deployments } : {}),
        ...(stoppedReasons ? { stoppedReasons } : {}),
        ...(serviceDeployment ? { serviceDeployment } : {}),
        ownRollout: expected !== undefined && health.reason !== 'RolloutCompleted',
      },
      nowIso,
      this.options.instance,
    );
    if (transition.status.health === 'Healthy' && expected) this.memory.ownDeployments.delete(key);
    if (diff.key.kind === 'Task') {
      // A hook's failure is told once, by the hook gate's SyncFailed; its health edges are not alerts.
      const runs = this.hooks.runsOf(diff.key.name);
      this.store.setResource({
        ...transition.status,
        ...(hookHealth?.state === 'Degraded' ? { sync: 'Failed' as const } : {}),
        ...(runs.length > 0 ? { hookRuns: runs } : {}),
      });
      return transition.status.health;
    }
    this.store.setResource(transition.status);
    for (const event of transition.events) this.publish(event);
    return transition.status.health;
  }

  /**
   * A deployment this controller made was rolled back by the circuit breaker (or its rollout
   * FAILED): remember the desired content that failed, so it is not re-deployed in a loop.
   */
  private noteFailedRollout(diff: ResourceDiff, live: LiveState): void {
    const key = keyString(diff.key);
    const own = this.memory.ownDeployments.get(key);
    if (diff.key.kind !== 'Service' || !own?.fingerprint) return;
    if (this.memory.failedRollouts.get(key)?.fingerprint === own.fingerprint) return;
    const health = this.ports.health.of(diff, live, own.id);
    if (health.reason !== 'RolledBack' && health.reason !== 'RolloutFailed') return;
    // The failure belongs to the content that deployment carried, not to whatever Git says now.
    this.memory.failedRollouts.set(key, { fingerprint: own.fingerprint, revision: own.revision });
    this.log().warn({ resource: key, revision: own.revision }, `rollout failed: ${health.message}`);
  }

  /** /api/status during a long apply: the pass, and each resource it is about to write. */
  private showApplying(entries: readonly ChangeSetEntry[], revision: string, now: string): void {
    const resources = entries.map((e) => keyString(e.key));
    this.store.setOverall({ passInProgress: { revision, startedAt: now, resources } });
    for (const key of resources) {
      const previous = this.store.getResource(key);
      if (previous) this.store.setResource(markApplying(previous, revision, now));
    }
    if (this.applyStartListeners.size > 0) {
      const snapshot = this.store.publish();
      for (const listener of this.applyStartListeners) listener(snapshot);
    }
  }

  /**
   * The prune safety rail refused deletions: a person must look (restore the manifests, raise
   * --prune-max or confirm). Said once per episode — event, alert, warning — and kept in the overall
   * status (/api/status, /readyz) while it lasts; PruneAllowed when it ends.
   */
  private notePruneLimit(changeSet: ChangeSet, revision: string): void {
    const refused = changeSet.entries.filter((e) => e.blocked?.reason === 'prune-limit');
    const open = this.pruneBlocked;
    if (refused.length === 0) {
      if (!open) return;
      this.pruneBlocked = undefined;
      this.store.setOverall({ pruneBlocked: undefined });
      this.log().info({ revision }, 'prune no longer refused');
      this.publish({
        type: 'PruneAllowed',
        severity: 'info',
        time: this.now().toISOString(),
        instance: this.options.instance,
        revision,
        message: `revision ${shortRevision(revision)}: nothing refused by --prune-max any more`,
      });
      return;
    }
    const message = refused[0]?.blocked?.message ?? 'prune refused';
    const resources = refused.map((e) => keyString(e.key));
    this.pruneBlocked = { message, resources, since: open?.since ?? this.now().toISOString() };
    this.store.setOverall({ pruneBlocked: this.pruneBlocked });
    if (open) return;
    this.log().warn({ revision, resources }, `prune refused: ${message}`);
    this.publish({
      type: 'PruneBlocked',
      severity: 'error',
      time: this.now().toISOString(),
      instance: this.options.instance,
      revision,
      message: `revision ${shortRevision(revision)}: ${message}; restore the manifests, raise --prune-max or pass --prune-confirm`,
    });
  }

  /**
   * A manifest that left Git has no "last applied" content any more: when it returns, that is a Git
   * change to apply, not drift. (A pruned Cluster is tracked under its clusterName, so deleting it
   * never cleared the record kept under its manifest name.)
   */
  private forgetLeftGit(desired: DesiredState): void {
    const inGit = new Set(desired.resources.map((r) => keyString(r.key)));
    for (const key of [...this.memory.applied.keys()]) if (!inGit.has(key)) this.memory.applied.delete(key);
  }

  /** After a restart the in-memory record is empty: the spec-hash tag on the live object tells. */
  private recordFromLive(diff: ResourceDiff, live: LiveState, revision: string): AppliedRecord | undefined {
    const fingerprint = this.ports.recordedFingerprint?.(diff, live);
    return fingerprint ? { fingerprint, revision } : undefined;
  }

  private completeRevision(desired: DesiredState, changed: boolean): void {
    this.lastAppliedRevision = desired.revision;
    if (this.completedRevisions.has(desired.revision)) return;
    this.completedRevisions.add(desired.revision);
    if (this.completedRevisions.size > COMPLETED_REVISIONS_KEPT) {
      const oldest = this.completedRevisions.values().next().value;
      if (oldest !== undefined) this.completedRevisions.delete(oldest);
    }
    const committedAt =
      this.desiredCommit?.revision === desired.revision ? this.desiredCommit.committedAt : undefined;
    if (committedAt && changed) {
      this.ports.metrics?.observeCommitToApplied(
        Math.max(0, (this.now().getTime() - committedAt.getTime()) / 1000),
      );
    }
    if (!changed) {
      // Nothing was written (e.g. a commit outside the manifest folder): worth a log line, not an alert.
      this.log().info(
        { revision: desired.revision },
        `revision ${shortRevision(desired.revision)} already in sync`,
      );
      return;
    }
    this.publish({
      type: 'SyncSucceeded',
      severity: 'info',
      time: this.now().toISOString(),
      instance: this.options.instance,
      revision: desired.revision,
      message: `revision ${shortRevision(desired.revision)} applied: ${desired.resources.length} resource(s) in sync`,
    });
  }

  private async writeStatus(snapshot: StatusSnapshot): Promise<void> {
    if (!this.ports.statusWriter) return;
    try {
      const written = await this.ports.statusWriter.write(snapshot);
      if (written.committed) this.log().debug({ sha: written.sha }, 'status branch updated');
    } catch (error) {
      this.log().warn({ err: errorMessage(error) }, 'status write-back failed; will retry next pass');
    }
  }
}

/** A Service's deployments as the status shows them (live/model.ts's one converter). */
function deploymentsOf(diff: ResourceDiff, live: LiveState): ServiceDeployment[] {
  const desired = diff.desired;
  if (desired?.kind !== 'Service') return [];
  return serviceDeployments(live.services[serviceKey(desired.cluster.clusterName, desired.serviceName)]);
}
