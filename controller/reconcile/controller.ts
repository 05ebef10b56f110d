// The reconcile loop: triggers enqueue passes; each pass reads desired (Git) and live (AWS) afresh,
// classifies differences (deploy vs drift, classify.ts), holds back what policy forbids (block.ts),
// plans, applies, records what the outcome teaches (record.ts) and publishes status and events.
// Composes the pure core through ReconcilerPorts; owns no AWS or Git code itself.

import { Backoff } from '../backoff.js';
import { type Clock, systemClock } from '../clock.js';
import type { ResourceDiff } from '../diff/model.js';
import { errorMessage } from '../errors.js';
import type { LiveState } from '../live/model.js';
import type { Logger } from '../log.js';
import type { DesiredState } from '../manifest/model.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import type { ControllerEvent, OverallStatus, PassPhase, StatusSnapshot } from '../status/model.js';
import type { StatusStore } from '../status/store.js';
import { type DriftPolicy, type KeyString, keyString } from '../types.js';
import type { Announcer } from './announcer.js';
import { type BackoffOptions, DEFAULT_BACKOFF, KeyedBackoff } from './backoff.js';
import { blockDiffs } from './block.js';
import { classifyDiffs } from './classify.js';
import type { AppliedRecord } from './drift.js';
import { fingerprintAll } from './fingerprint.js';
import { HookGate } from './hooks.js';
import { markApplying } from './in-progress.js';
import { emptyMemory, type ReconcileMemory } from './memory.js';
import { PassQueue, type PassRequest, type RequestOptions } from './pass-queue.js';
import { mergeLive, passScope, ROLLOUT_REASON, withDependencies } from './pass-scope.js';
import { PassTimings } from './pass-timings.js';
import type { AppliedEntry, ReconcilerPorts } from './ports.js';
import { PruneRailEpisode } from './prune-rail.js';
import { recordOutcome } from './record.js';
import { publishResourceStatus, type StatusDeps } from './resource-publish.js';
import { RevisionCompletion, rolloutsSettled } from './revision-completion.js';
import { RevisionIntake } from './revision-intake.js';
import { repairStaleRecords } from './stale-record.js';
import { StoppedReasons } from './stopped-reasons.js';

/** What /api/status shows of the running pass; revision and resources fill in as it learns them. */
interface ShownPass {
  readonly startedAt: string;
  revision?: string;
  resources: readonly KeyString[];
}

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

export class Reconciler {
  private readonly queue = new PassQueue();
  private readonly backoff: KeyedBackoff<KeyString>;
  /** Backoff of whole passes that fail before any resource is reached (AWS unreachable, …). */
  private readonly passBackoff: Backoff;
  private readonly stopping = new AbortController();
  private readonly clock: Clock;
  /** Fetching and parsing revisions; the last good desired state (revision-intake.ts). */
  private readonly intake: RevisionIntake;
  /** Announcing applied revisions once each, bounded (revision-completion.ts). */
  private readonly completion: RevisionCompletion;
  /** The prune rail's refusal episodes (prune-rail.ts). */
  private readonly pruneRail: PruneRailEpisode;
  /** What publishing one resource's status reads (resource-publish.ts). */
  private readonly statusDeps: StatusDeps;
  /** What each resource's last passes left behind (reconcile/memory.ts). */
  private readonly memory: ReconcileMemory = emptyMemory();
  private readonly stoppedReasons: StoppedReasons;
  private lastPass: OverallStatus['lastPass'];
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
  /** The pass running now, as /api/status shows it (overall.passInProgress). */
  private shown: ShownPass | undefined;
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
    const announcer: Announcer = {
      instance: options.instance,
      now: () => this.now(),
      publish: (event) => this.publish(event),
      logger: options.logger,
    };
    this.intake = new RevisionIntake(ports, announcer);
    this.completion = new RevisionCompletion(
      announcer,
      ports.metrics ? (seconds) => ports.metrics?.observeCommitToApplied(seconds) : undefined,
    );
    this.pruneRail = new PruneRailEpisode(announcer, store);
    this.stoppedReasons = new StoppedReasons(ports.stoppedReasons?.bind(ports), () => this.log());
    this.hooks = new HookGate(ports.hooks, {
      instance: options.instance,
      now: () => this.now(),
      publish: (event) => this.publish(event),
      warn: (message) => this.log().warn(message),
      note: ({ resource, phase, outcome, message }) =>
        this.log()[outcome === 'failed' ? 'warn' : 'info']({ resource, hook: phase, outcome }, message),
      ...(ports.metrics?.recordHookRun
        ? { recordRun: (phase, result) => ports.metrics?.recordHookRun?.(phase, result) }
        : {}),
    });
    this.statusDeps = {
      memory: this.memory,
      health: ports.health,
      stoppedReasons: this.stoppedReasons,
      hooks: this.hooks,
      store,
      drift: options.drift,
      instance: options.instance,
      publish: (event) => this.publish(event),
    };
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
    const shown: ShownPass = { startedAt: started.toISOString(), resources: [] };
    this.shown = shown;
    const timings = new PassTimings(
      () => this.clock.monotonicMs(),
      (phase) => this.showPhase(shown, phase),
    );
    try {
      // "Sync now" is a person asking to try again, failed rollouts included.
      if (request.manual) {
        this.memory.failedRollouts.clear();
        this.memory.stalled.clear();
        this.hooks.retryFailed();
      }
      if (request.fetch || !this.intake.fetched) await timings.time('fetch', () => this.intake.fetch());
      const parsed = timings.timeSync('parse', () => this.intake.parseLatest());
      if (parsed === 'rejected') result = 'rejected';
      const desired = this.intake.desired;
      if (desired) {
        // Sync now is always a full pass.
        const ok = await this.reconcile(desired, request.manual ? ['sync now'] : request.reasons, timings);
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
        lastAppliedRevision: this.completion.lastAppliedRevision,
        lastAttemptedRevision: this.intake.lastAttemptedRevision,
        rejectedRevision: this.intake.rejected,
        lastPass: this.lastPass,
        passInProgress: undefined,
      });
      this.shown = undefined;
      // Ready once the source was read and a pass ran on it (a rejected first revision counts: it is reported).
      if (this.intake.desired !== undefined || result === 'rejected') this.store.setReady(true);
      this.passCount += 1;
      const snapshot = this.store.publish();
      this.ports.metrics?.setResources(snapshot.resources);
      for (const listener of this.passListeners) listener(snapshot);
      void this.writeStatus(snapshot);
    }
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
    if (this.shown) this.shown.revision = revision;
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
    if (!scope) this.pruneRail.note(changeSet, revision);
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
      const health = await publishResourceStatus(this.statusDeps, diff, {
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
    const resources = this.store.snapshot().resources;
    const outstanding = resources.filter((s) => s.sync === 'OutOfSync' || s.sync === 'Failed').length;
    if (failures === 0 && outstanding === 0)
      this.completion.complete(
        desired,
        actionable > 0,
        this.intake.committedAt(desired.revision),
        rolloutsSettled(resources, revision),
      );
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

  /** /api/status while a pass runs: its phase (a long read or apply is not mistaken for idle). */
  private showPhase(shown: ShownPass, phase: PassPhase): void {
    if (this.shown !== shown) return;
    this.store.setOverall({
      passInProgress: {
        phase,
        startedAt: shown.startedAt,
        ...(shown.revision ? { revision: shown.revision } : {}),
        resources: shown.resources,
      },
    });
  }

  /** /api/status during a long apply: the pass, and each resource it is about to write. */
  private showApplying(entries: readonly ChangeSetEntry[], revision: string, now: string): void {
    const resources = entries.map((e) => keyString(e.key));
    const shown = this.shown ?? { startedAt: now, resources };
    shown.revision = revision;
    shown.resources = resources;
    this.showPhase(shown, 'apply');
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
