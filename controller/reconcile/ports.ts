// What the reconciler needs from the rest of the controller, as narrow interfaces. app.ts binds
// them to the real modules (source, manifest, live, diff, plan, apply, health, status, alerts,
// metrics); unit tests bind them to fakes (test/reconcile/).
import type { ResourceDiff } from '../diff/model.js';
import type { ManifestProblem } from '../errors.js';
import type { LiveState } from '../live/model.js';
import type { DesiredState } from '../manifest/model.js';
import type { BlockReason, ChangeSet, ChangeSetEntry } from '../plan/model.js';
import type { SnapshotOverlay } from '../source/types.js';
import type { ControllerEvent, ResourceStatus, SourceStatus } from '../status/model.js';
import type { HealthState, KeyString, Outcome, ResourceKey } from '../types.js';

export interface SourceFile {
  readonly path: string;
  readonly content: Buffer | string;
}

export interface SourceSnapshot {
  readonly revision: string;
  readonly files: readonly SourceFile[];
  readonly problems: readonly ManifestProblem[];
  readonly commit?: { readonly sha: string; readonly message: string; readonly committedAt: Date };
  /** The overlay and the files it reads, when the folder holds an ecs-gitops.yaml (source/read-overlay). */
  readonly overlay?: SnapshotOverlay;
}

export interface SourcePort {
  fetch(): Promise<{ snapshot: SourceSnapshot; changed: boolean }>;
  status(): SourceStatus;
}

export type ParseResult =
  | { readonly ok: true; readonly desired: DesiredState }
  | {
      readonly ok: false;
      /** The first problems (bounded); `problemCount` says how many there are in all. */
      readonly problems: readonly ManifestProblem[];
      readonly problemCount: number;
    };

export interface PlanOptions {
  readonly revision: string;
  readonly prune: boolean;
  readonly pruneLimit: number;
  readonly pruneConfirm: boolean;
  readonly blocked: ReadonlyMap<string, { readonly reason: BlockReason; readonly message: string }>;
}

export interface AppliedEntry {
  readonly key: ResourceKey;
  readonly outcome: Outcome;
  /** `retryable: false`: trying the same content again cannot help (see aws/clients.ts). */
  readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
  /** Services: the deployment the update created (to tell a rollback later). */
  readonly deploymentId?: string;
}

export interface HealthPort {
  /** Health of the live object behind a diff (Missing when there is none). */
  of(
    diff: ResourceDiff,
    live: LiveState,
    expectedDeploymentId?: string,
    stoppedReasons?: readonly string[],
  ): {
    readonly state: HealthState;
    readonly reason: string;
    readonly message: string;
  };
}

export interface LeasePort {
  /** True while this instance may write; false when another live instance holds the lease. */
  holds(): Promise<boolean>;
  release(): Promise<void>;
}

export interface StatusWriterPort {
  write(snapshot: import('../status/model.js').StatusSnapshot): Promise<{ committed: boolean; sha?: string }>;
}

export interface MetricsPort {
  observePass(seconds: number, result: 'success' | 'failure' | 'rejected'): void;
  recordApply(kind: string, action: string, result: string): void;
  /** A hook run ended (hook_runs_total). */
  recordHookRun?(phase: string, result: 'succeeded' | 'failed'): void;
  observeCommitToApplied(seconds: number): void;
  setResources(resources: readonly ResourceStatus[]): void;
}

export interface ReconcilerPorts {
  /** Runs hook Tasks (RunTask, DescribeTasks, StopTask); absent: a revision's hooks wait. */
  readonly hooks?: import('./hooks.js').HookPort;
  readonly source: SourcePort;
  parse(snapshot: SourceSnapshot): ParseResult;
  readLive(desired: DesiredState, options: { discoverOrphans: boolean }): Promise<LiveState>;
  diff(desired: DesiredState, live: LiveState): ResourceDiff[];
  plan(diffs: readonly ResourceDiff[], options: PlanOptions): ChangeSet;
  apply(
    changeSet: ChangeSet,
    options: { revision: string; signal: AbortSignal; live: LiveState },
  ): Promise<readonly AppliedEntry[]>;
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
