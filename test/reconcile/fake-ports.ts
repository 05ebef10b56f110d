// Fake reconciler ports for unit tests of the loop: a source that serves scripted revisions, diffs
// the test sets per pass, an apply that answers per key, health the test sets, recorded events.
// The plan stage is the pipeline's real, pure planFor. The loop reads a manual clock: it follows the fake
// timers (vi.useFakeTimers) and a port can move it on by itself (an apply that takes 5 s).
import type { Clock } from '../../controller/clock.js';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { emptyLiveState } from '../../controller/live/model.js';
import { silentLogger } from '../../controller/log.js';
import type { DesiredResource, DesiredState } from '../../controller/manifest/model.js';
import { planFor } from '../../controller/pipeline/index.js';
import type { ChangeSet } from '../../controller/plan/model.js';
import { Reconciler, type ReconcilerOptions } from '../../controller/reconcile/controller.js';
import type {
  AppliedEntry,
  HealthPort,
  ReconcilerPorts,
  SourceSnapshot,
} from '../../controller/reconcile/ports.js';
import type { ControllerEvent, ResourceStatus, StatusSnapshot } from '../../controller/status/model.js';
import { StatusStore } from '../../controller/status/store.js';
import { type KeyString, keyString, type Outcome } from '../../controller/types.js';

export type Health = ReturnType<HealthPort['of']>;
export const HEALTHY: Health = { state: 'Healthy', reason: 'Steady', message: 'steady' };

/** What the fake apply does for one key: an outcome, or a failure with an AWS-like error. */
export type ApplyAnswer =
  | { readonly outcome: Exclude<Outcome, 'failed'>; readonly deploymentId?: string }
  | {
      readonly outcome: 'failed';
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    };

/** The reconciler's clock in these tests: the fake timers' time plus what ports spent. */
export interface ManualClock extends Clock {
  /** Time passes inside a call (a slow AWS answer) without any timer firing. */
  advance(ms: number): void;
}

export function manualClock(): ManualClock {
  let spent = 0;
  return {
    now: () => new Date(Date.now() + spent),
    monotonicMs: () => Date.now() + spent,
    advance(ms) {
      spent += ms;
    },
  };
}

export interface FakeWorld {
  readonly reconciler: Reconciler;
  readonly clock: ManualClock;
  readonly store: StatusStore;
  readonly events: ControllerEvent[];
  /** Every ChangeSet apply was called with. */
  readonly applied: ChangeSet[];
  /** Keys apply was asked to write (non-noop, unblocked), in call order. */
  readonly writes: KeyString[];
  /** The desired keys each readLive call was asked to read, one list per call. */
  readonly reads: KeyString[][];
  /** Sets the revision the source serves next (desired resources of that revision). */
  commit(revision: string, resources: readonly DesiredResource[]): void;
  /** Sets the diffs the next passes see (per revision they stay until set again). */
  setDiffs(diffs: readonly ResourceDiff[]): void;
  answer(key: KeyString, answer: ApplyAnswer): void;
  /** Runs inside every apply call, before it answers (to let time pass, say). */
  duringApply(action: () => void): void;
  /** Runs inside every readLive call, before it answers. */
  duringRead(action: () => void): void;
  setHealth(key: KeyString, health: Health): void;
  setLease(holds: boolean): void;
  setRecordedFingerprint(key: KeyString, fingerprint: string | undefined): void;
  /** Resolves with the status after the next finished pass. */
  nextPass(): Promise<StatusSnapshot>;
  resource(key: KeyString): ResourceStatus | undefined;
}

export function fakeWorld(options: Partial<ReconcilerOptions> = {}): FakeWorld {
  let snapshot: SourceSnapshot = { revision: 'r0', files: [], problems: [] };
  let desired: DesiredState = { revision: 'r0', resources: [] };
  const byRevision = new Map<string, DesiredState>([['r0', desired]]);
  let diffs: readonly ResourceDiff[] = [];
  const answers = new Map<KeyString, ApplyAnswer>();
  const health = new Map<KeyString, Health>();
  const recorded = new Map<KeyString, string>();
  let holds = true;
  const events: ControllerEvent[] = [];
  const applied: ChangeSet[] = [];
  const writes: KeyString[] = [];
  const reads: KeyString[][] = [];
  const clock = manualClock();
  let duringApply: () => void = () => undefined;
  let duringRead: () => void = () => undefined;

  const ports: ReconcilerPorts = {
    source: {
      fetch: async () => ({ snapshot, changed: true }),
      status: () => ({
        type: 'folder',
        url: 'fake',
        condition: {
          type: 'Source',
          status: 'True',
          reason: 'Fetched',
          message: 'fake',
          lastTransitionTime: '2026-01-01T00:00:00.000Z',
        },
      }),
    },
    parse: (s) => ({ ok: true, desired: byRevision.get(s.revision) ?? desired }),
    readLive: async (target) => {
      reads.push(target.resources.map((r) => keyString(r.key)));
      duringRead();
      return emptyLiveState();
    },
    diff: () => [...diffs],
    plan: (d, planOptions) =>
      planFor(
        d,
        { prune: options.prune ?? false, pruneMax: { kind: 'ratio', value: 0.25 }, pruneConfirm: false },
        planOptions,
      ),
    async apply(changeSet) {
      applied.push(changeSet);
      duringApply();
      const results: AppliedEntry[] = [];
      for (const entry of changeSet.entries) {
        if (entry.action === 'noop' || entry.blocked) {
          results.push({ key: entry.key, outcome: entry.blocked ? 'skipped' : 'unchanged' });
          continue;
        }
        const key = keyString(entry.key);
        writes.push(key);
        const answer = answers.get(key) ?? { outcome: entry.action === 'create' ? 'created' : 'configured' };
        results.push(
          answer.outcome === 'failed'
            ? {
                key: entry.key,
                outcome: 'failed',
                error: { code: answer.code, message: answer.message, retryable: answer.retryable },
              }
            : {
                key: entry.key,
                outcome: answer.outcome,
                ...(answer.deploymentId ? { deploymentId: answer.deploymentId } : {}),
              },
        );
      }
      return { entries: results };
    },
    health: { of: (diff) => health.get(keyString(diff.key)) ?? HEALTHY },
    publish: (event) => events.push(event),
    lease: { holds: async () => holds, release: async () => undefined },
    recordedFingerprint: (diff) => recorded.get(keyString(diff.key)),
  };
  const store = new StatusStore('test', () => ports.source.status());
  const reconciler = new Reconciler(
    ports,
    {
      instance: 'test',
      drift: 'alert',
      prune: false,
      resyncMs: 60_000,
      progressPollMs: 3000,
      backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 },
      logger: silentLogger(),
      clock,
      ...options,
    },
    store,
  );
  return {
    reconciler,
    clock,
    store,
    events,
    applied,
    writes,
    reads,
    commit(revision, resources) {
      desired = { revision, resources };
      byRevision.set(revision, desired);
      snapshot = { revision, files: [], problems: [] };
    },
    setDiffs(next) {
      diffs = next;
    },
    answer: (key, answer) => answers.set(key, answer),
    duringApply(action) {
      duringApply = action;
    },
    duringRead(action) {
      duringRead = action;
    },
    setHealth: (key, h) => health.set(key, h),
    setLease(value) {
      holds = value;
    },
    setRecordedFingerprint(key, fingerprint) {
      if (fingerprint === undefined) recorded.delete(key);
      else recorded.set(key, fingerprint);
    },
    nextPass: () =>
      new Promise((resolve) => {
        const off = reconciler.onPass((s) => {
          off();
          resolve(s);
        });
      }),
    resource: (key) => store.getResource(key),
  };
}
