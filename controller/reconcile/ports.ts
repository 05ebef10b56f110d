// What the reconciler needs from the rest of the controller, as narrow views of the real modules'
// own types (picked, never re-declared, so a change there shows here). app.ts binds them to the
// real modules (source, manifest, the pipeline of live/diff/plan/apply, health, status, alerts, metrics); unit
// tests bind them to fakes (test/reconcile/fake-ports.ts).
import type { ApplyEntryResult, ApplyError } from '../apply/model.js';
import type { ResourceDiff } from '../diff/model.js';
import type { HealthResult } from '../health/model.js';
import type { ServiceDeploymentSummary } from '../health/service-deployment.js';
import type { Lease } from '../lease/ecs-tag-lease.js';
import type { LiveState } from '../live/model.js';
import type { ManifestFile, ManifestResult } from '../manifest/model.js';
import type { Pipeline } from '../pipeline/index.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import type { Metrics } from '../server/metrics.js';
import type { CommitInfo, Snapshot, Source } from '../source/types.js';
import type { ControllerEvent } from '../status/model.js';
import type { StatusBranchWriter } from '../status/status-branch.js';
import type { KeyString } from '../types.js';
import type { HookPort } from './hooks.js';

export type SourceFile = ManifestFile;

/** The parts of a source's Snapshot the loop reads and hands to `parse`. */
export type SourceSnapshot = Pick<Snapshot, 'revision' | 'files' | 'problems' | 'overlay'> & {
  readonly commit?: Pick<CommitInfo, 'sha' | 'message' | 'committedAt'>;
};

export interface SourcePort extends Pick<Source, 'status'> {
  fetch(): Promise<{ readonly snapshot: SourceSnapshot; readonly changed: boolean }>;
}

/** manifest/'s result, without the warnings (app.ts logs those itself). */
export type ParseResult =
  | Pick<Extract<ManifestResult, { ok: true }>, 'ok' | 'desired'>
  | Pick<Extract<ManifestResult, { ok: false }>, 'ok' | 'problems' | 'problemCount'>;

/** What the loop reads of one applied entry. */
export type AppliedEntry = Pick<ApplyEntryResult, 'key' | 'outcome' | 'deploymentId'> & {
  /** `retryable: false`: trying the same content again cannot help (see aws/clients.ts). */
  readonly error?: Pick<ApplyError, 'code' | 'message' | 'retryable'>;
};

export interface HealthPort {
  /** Health of the live object behind a diff (Missing when there is none). */
  of(
    diff: ResourceDiff,
    live: LiveState,
    expectedDeploymentId?: string,
    stoppedReasons?: readonly string[],
  ): HealthResult;
  /** BLUE_GREEN / LINEAR / CANARY services: where the current service deployment is. */
  serviceDeployment?(diff: ResourceDiff, live: LiveState): ServiceDeploymentSummary | undefined;
}

/**
 * The single-writer lease (lease/), as the loop asks it; `holder` lets a standby say who is active
 * (the gate API's 503 names it).
 */
export type LeasePort = Pick<Lease, 'holds' | 'release'> & Partial<Pick<Lease, 'holder'>>;

export interface StatusWriterPort {
  write(
    snapshot: Parameters<StatusBranchWriter['write']>[0],
  ): Promise<Pick<Awaited<ReturnType<StatusBranchWriter['write']>>, 'committed' | 'sha'>>;
}

export type MetricsPort = Pick<
  Metrics,
  'observePass' | 'recordApply' | 'observeCommitToApplied' | 'setResources'
> &
  Partial<Pick<Metrics, 'recordHookRun'>>;

export interface ReconcilerPorts {
  /** Runs hook Tasks (RunTask, DescribeTasks, StopTask); absent: a revision's hooks wait. */
  readonly hooks?: HookPort;
  readonly source: SourcePort;
  parse(snapshot: SourceSnapshot): ParseResult;
  /** The steps of pipeline/, as `ecs-gitops diff` and `apply` run them (app.ts binds the same ones). */
  readLive: Pipeline['readLive'];
  diff: Pipeline['diff'];
  plan: Pipeline['plan'];
  apply(
    changeSet: ChangeSet,
    options: Parameters<Pipeline['apply']>[1],
  ): Promise<{ readonly entries: readonly AppliedEntry[] }>;
  readonly health: HealthPort;
  publish(event: ControllerEvent): void;
  readonly metrics?: MetricsPort;
  readonly statusWriter?: StatusWriterPort;
  readonly lease?: LeasePort;
  /** Why a service's recent tasks stopped (newest first); read only when its deployments show failures. */
  stoppedReasons?(diff: ResourceDiff, expectedDeploymentId?: string): Promise<readonly string[]>;
  /** Applied-desired fingerprint recorded on the live object (the `ecs-gitops/spec-hash` tag), if any. */
  recordedFingerprint?(diff: ResourceDiff, live: LiveState): string | undefined;
}

export type { ChangeSetEntry, KeyString };
