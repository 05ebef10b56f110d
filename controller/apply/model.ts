// What applying a ChangeSet did, entry by entry (Flux's ssa vocabulary plus failure). Pure data.
import type { Clock } from '../clock.js';
import type { LiveState } from '../live/model.js';
import type { ChangeSetEntry } from '../plan/model.js';
import type { Action, Outcome, ResourceKey } from '../types.js';

export interface ApplyError {
  /** The AWS error code (`ClientException`, `ServerException`, …) or the controller's own code. */
  readonly code: string;
  /** The AWS error message as the service sent it. */
  readonly message: string;
  /** The API operation that failed (`UpdateService`). */
  readonly operation?: string;
  /** False when trying again cannot help (invalid parameters, access denied): see aws/clients.ts. */
  readonly retryable: boolean;
}

/** Why an entry did not run. */
export type SkipReason =
  | NonNullable<ChangeSetEntry['blocked']>['reason']
  | 'dependency-failed'
  | 'aborted'
  | 'unowned';

export interface ApplyEntryResult {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly outcome: Outcome;
  /** One line for people: what was done, or why not. */
  readonly message: string;
  readonly skipReason?: SkipReason;
  readonly error?: ApplyError;
  /** The resulting resource: cluster / service / task definition revision ARN, or a scalable target's ResourceId. */
  readonly arn?: string;
  /** Services: where the service lives, to follow its rollout. */
  readonly service?: { readonly cluster: string; readonly serviceName: string };
  /** Services: the PRIMARY deployment after CreateService / UpdateService (the one to follow). */
  readonly deploymentId?: string;
  /** Write operations sent for this entry, in order (`RegisterTaskDefinition`, `TagResource`, …). */
  readonly writes: readonly string[];
  readonly durationMs: number;
}

export interface ApplyResult {
  readonly revision: string;
  readonly dryRun: boolean;
  readonly entries: readonly ApplyEntryResult[];
}

export type ApplyProgress =
  | { readonly type: 'start'; readonly key: ResourceKey; readonly action: Action }
  | { readonly type: 'step'; readonly key: ResourceKey; readonly message: string }
  | { readonly type: 'done'; readonly result: ApplyEntryResult };

export interface ApplyOptions {
  /** This controller's name: the value of the `ecs-gitops/managed-by` tag. */
  readonly instance: string;
  /** Git sha (or folder content hash): the `ecs-gitops/revision` tag and part of CreateService's clientToken. */
  readonly revision: string;
  /** Path of a resource's manifest in the repository (the `ecs-gitops/source` tag); defaults to its file. */
  readonly sourcePath?: (key: ResourceKey) => string | undefined;
  /** Extra tags written with the ownership tags (e.g. a desired-state fingerprint for drift detection). */
  readonly extraTags?: (key: ResourceKey) => Readonly<Record<string, string>> | undefined;
  /** Report what would happen without sending a single write. */
  readonly dryRun?: boolean;
  readonly onProgress?: (event: ApplyProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * The live state the ChangeSet was planned from. Used for what a diff does not carry: the task
   * definitions services run (never deregister those), live tags and policies, orphans' clusters.
   * Without it, old task definition revisions are not deregistered.
   */
  readonly live?: LiveState;
  /** Entries run at once (each still waits on the rate limiter). Default 8. */
  readonly concurrency?: number;
  /** How long a replace waits for the old service to become INACTIVE. Default 10 minutes. */
  readonly replaceTimeoutMs?: number;
  /** Poll interval while waiting during a replace. Default 5 s. */
  readonly pollMs?: number;
  /** Sleep used while polling (tests pass one that advances the emulator's clock). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Elapsed time while polling (a replace waiting for the old service to drain); tests pass a manual one. */
  readonly clock?: Clock;
}
