// Leaf vocabulary shared by every module. Imports nothing.

/** The manifest kinds, in create/update order (deletes run in reverse). */
export const KINDS = [
  'CapacityProvider',
  'Cluster',
  'TaskDefinition',
  'Service',
  'ScalingPolicy',
  /** EventBridge Scheduler schedules that run a task, in the controller's own schedule group. */
  'ScheduledTask',
  /** Run-to-completion tasks: hooks around a deploy and on-demand runs; no live object to diff. */
  'Task',
] as const;
export type Kind = (typeof KINDS)[number];

export const API_VERSION = 'ecs-gitops/v1';

export interface ResourceKey {
  readonly kind: Kind;
  readonly name: string;
}

/** A key of one kind: `ResourceKeyOf<'Service'>`. */
export interface ResourceKeyOf<K extends Kind> extends ResourceKey {
  readonly kind: K;
}

/** `Service/web` — the form used in messages, maps and status file names. */
export type KeyString = `${Kind}/${string}`;

export function keyString(key: ResourceKey): KeyString {
  return `${key.kind}/${key.name}`;
}

export function parseKeyString(value: string): ResourceKey | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const kind = value.slice(0, slash);
  const name = value.slice(slash + 1);
  if (!(KINDS as readonly string[]).includes(kind) || name === '') return undefined;
  return { kind: kind as Kind, name };
}

/**
 * What a plan intends to do to one resource. `adopt`: an unowned resource whose manifest opts in
 * (`ecs-gitops/adopt: "true"`) and whose configuration already equals Git: only the ownership tags
 * are written.
 */
export type Action = 'create' | 'update' | 'replace' | 'delete' | 'adopt' | 'noop';

/** What applying one entry actually did (Flux's ssa vocabulary plus failure). */
export type Outcome = 'created' | 'configured' | 'unchanged' | 'deleted' | 'skipped' | 'failed';

export type SyncState = 'Synced' | 'OutOfSync' | 'Drifted' | 'Failed' | 'Unknown';
export type HealthState = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';

export type DriftPolicy = 'alert' | 'heal' | 'ignore';

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled' | 'Drifted' | 'Source';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: ConditionType;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  /** ISO-8601; changes only when `status` changes. */
  readonly lastTransitionTime: string;
}

/** A Git sha as people read it (12 hex digits, as `git log --abbrev=12`); other revisions unchanged. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 12) : revision;
}

/** A place in a manifest file. Lines and columns are 1-based; line 0 means the file (or folder) as a whole. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Annotation names the controller understands (docs/manifests.md). */
export const ANNOTATIONS = {
  sync: 'ecs-gitops/sync',
  prune: 'ecs-gitops/prune',
  drift: 'ecs-gitops/drift',
  replace: 'ecs-gitops/replace',
  adopt: 'ecs-gitops/adopt',
  /** Task: PreSync | PostSync | SyncFail (docs/tasks.md). */
  hook: 'ecs-gitops/hook',
  /** Task: `Service/NAME[,Service/NAME…]` it guards; absent = every Service of the revision. */
  hookFor: 'ecs-gitops/hook-for',
  /** Task: how long a hook run may take (seconds, or `10m`, `1h`); default 30m. */
  hookTimeout: 'ecs-gitops/hook-timeout',
} as const;

/** Tag keys written on every AWS resource the controller creates (docs/architecture.md#reconcile-semantics). */
export const OWNERSHIP_TAGS = {
  managedBy: 'ecs-gitops/managed-by',
  revision: 'ecs-gitops/revision',
  source: 'ecs-gitops/source',
  /** Fingerprint of the desired spec last applied: tells drift (live changed) from a Git change after a restart. */
  specHash: 'ecs-gitops/spec-hash',
  /**
   * On a Service: `<revision>@<trust fingerprint>` of the task definition revision the controller
   * set it to. Revisions are immutable, so a restarted controller that finds the service still on
   * that revision, with the same fingerprint as Git, need not describe the revision again.
   */
  taskDefinition: 'ecs-gitops/task-definition',
} as const;
