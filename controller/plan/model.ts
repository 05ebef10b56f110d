// A ChangeSet: the ordered, safety-checked list of what apply will do. Pure data.
import type { ResourceDiff } from '../diff/model.js';
import type { Action, Kind, ResourceKey, ResourceKeyOf } from '../types.js';

/** Why a planned change will not be executed. */
export type BlockReason =
  | 'replace-not-allowed'
  | 'unowned'
  | 'sync-disabled'
  | 'prune-disabled'
  | 'prune-off'
  | 'prune-limit'
  | 'drift-ignored'
  | 'drift-alert-only'
  /** The resource failed recently; retried when its backoff expires (or on a new revision). */
  | 'backoff'
  /** Another controller instance holds the write lease. */
  | 'standby'
  /** The circuit breaker rolled this content back: not re-deployed until Git changes or Sync now. */
  | 'rollout-failed'
  /** AWS refused this content for good (a terminal error): not retried until it or the revision changes, or Sync now. */
  | 'stalled'
  /** A preflight check failed (image, secret or log group missing): not registered, not deployed. */
  | 'preflight-failed'
  /** A PreSync hook Task guarding this service is running (or waits for its task definition). */
  | 'hook-pending'
  /** A PreSync hook Task guarding this service failed: not deployed until Git changes or Sync now. */
  | 'hook-failed';

/** One planned change; `ChangeSetEntry<'Service'>` is one of a kind (what that kind's applier gets). */
export interface ChangeSetEntry<K extends Kind = Kind> {
  readonly key: ResourceKeyOf<K>;
  /** Always `diff.action`; narrow on `diff.action` to reach `diff.desired`. */
  readonly action: Action;
  readonly diff: ResourceDiff<K>;
  /** Entries that must succeed first (Service → its Cluster and TaskDefinition, …). */
  readonly dependsOn: readonly ResourceKey[];
  /** Set when the entry is planned but must not run; apply reports it as `skipped`. */
  readonly blocked?: { readonly reason: BlockReason; readonly message: string };
}

export interface ChangeSetSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  /** Unowned resources that only get the ownership tags (their configuration already equals Git). */
  readonly adopt: number;
  readonly noop: number;
  readonly blocked: number;
}

export interface ChangeSet {
  readonly revision: string;
  /** Creates/updates in Cluster → TaskDefinition → Service → ScalingPolicy order, then deletes reversed. */
  readonly entries: readonly ChangeSetEntry[];
  readonly summary: ChangeSetSummary;
}
