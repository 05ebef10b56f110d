// What the controller knows and reports about every resource and about itself. Pure data,
// shared by the reconcile loop (producer), the status branch writer, the HTTP API, the dashboard
// and the alerts.

import type { FieldChange } from '../diff/model.js';
import type { ServiceDeploymentSummary } from '../health/service-deployment.js';
import type { ServiceDeployment } from '../live/model.js';
import type { Action, Condition, HealthState, KeyString, Kind, SyncState } from '../types.js';

export interface ResourceStatus {
  readonly kind: Kind;
  readonly name: string;
  readonly key: KeyString;
  /** With several targets (--targets): the target the resource belongs to (the combined /api/status). */
  readonly target?: string;
  readonly sync: SyncState;
  readonly health: HealthState;
  /** One line explaining health (e.g. "2/2 running, rollout COMPLETED" or a stoppedReason). */
  readonly healthMessage?: string;
  readonly conditions: readonly Condition[];
  readonly lastAppliedRevision?: string;
  readonly lastAttemptedRevision?: string;
  /** ISO-8601 time of the last successful apply of this resource. */
  readonly lastAppliedAt?: string;
  /** ISO-8601 time live state was last read. */
  readonly observedAt?: string;
  /** What the last pass found different (desired vs live), empty when in sync. */
  readonly diff: readonly FieldChange[];
  /** The action the last plan had for this resource. */
  readonly plannedAction?: Action;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: string };
  /** Manifest file of the resource (relative to the manifest root). */
  readonly source?: string;
  readonly arn?: string;
  /** Services only. */
  /** Services only: the ECS deployments, as live/ reads them (one type from the read to the dashboard). */
  readonly deployments?: readonly ServiceDeployment[];
  /** Services only: failed tasks' stoppedReason, newest first. */
  readonly stoppedReasons?: readonly string[];
  /** Tasks only: the hook runs of this controller, newest first (docs/tasks.md). */
  readonly hookRuns?: readonly HookRunStatus[];
  /** BLUE_GREEN / LINEAR / CANARY services: the current service deployment (stage, traffic, gate). */
  readonly serviceDeployment?: ServiceDeploymentSummary;
  /** Answers given to this service's deployment gates through the controller, newest last. */
  readonly approvals?: readonly GateApproval[];
  /** `ecs-gitops/analysis`: the HTTP checks evaluated at this service's gates, newest last. */
  readonly analyses?: readonly AnalysisRun[];
}

/** One evaluation of an `ecs-gitops/analysis` check at one gate (one PAUSE hook) of a deployment. */
export interface AnalysisRun {
  readonly serviceDeploymentArn: string;
  readonly hookId: string;
  readonly stage?: string;
  readonly url: string;
  readonly startedAt: string;
  /** Running until it has a verdict: `passed` (every check 2xx), `failed` (one was not). */
  readonly state: 'Running' | 'Passed' | 'Failed';
  /** What the controller answered at the gate (none: a person answers, or someone did first). */
  readonly answer?: 'CONTINUE' | 'ROLLBACK';
  /** Why there is no answer, or why it could not be given. */
  readonly note?: string;
  readonly finishedAt?: string;
  /** Every request, in order: its HTTP status or the error (timeout, connection refused…). */
  readonly checks: readonly AnalysisCheck[];
}

export interface AnalysisCheck {
  readonly at: string;
  readonly ok: boolean;
  readonly httpStatus?: number;
  readonly error?: string;
}

/** One promote / rollback given through the controller (API or dashboard). */
export interface GateApproval {
  readonly action: 'promote' | 'rollback';
  readonly by: string;
  readonly at: string;
  readonly serviceDeploymentArn: string;
  readonly stage?: string;
}

/** One run of a hook Task. */
export interface HookRunStatus {
  readonly phase: 'PreSync' | 'PostSync' | 'SyncFail';
  readonly revision: string;
  readonly state: 'Running' | 'Succeeded' | 'Failed';
  /** Exit codes, the stop reason and log stream on failure; progress while running. */
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly taskArns: readonly string[];
  /** Essential containers' exit codes by container name. */
  readonly exitCodes: Readonly<Record<string, number>>;
}

export interface SourceStatus {
  readonly type: 'git' | 'folder';
  /** Repo URL (credentials stripped) or folder path. */
  readonly url: string;
  readonly branch?: string;
  readonly dir?: string;
  readonly revision?: string;
  readonly commitMessage?: string;
  readonly committedAt?: string;
  readonly lastFetchAt?: string;
  readonly lastFetchError?: string;
  /** The Source condition (Ready True/False) shown by /readyz. */
  readonly condition: Condition;
}

/** The steps of a reconcile pass (docs/architecture.md#one-pass-step-by-step), as /api/status names them. */
export type PassPhase = 'fetch' | 'parse' | 'read' | 'diff' | 'lease' | 'plan' | 'apply' | 'status';

export interface OverallStatus {
  readonly instance: string;
  readonly source: SourceStatus;
  /** Last revision applied without errors for every resource. */
  readonly lastAppliedRevision?: string;
  readonly lastAttemptedRevision?: string;
  /**
   * The problems of a rejected revision, formatted `file:line:col: Kind/name: path: message`: the
   * first ones in file order (bounded, see manifest LIMITS.maxProblems), and how many there are.
   */
  readonly rejectedRevision?: {
    readonly revision: string;
    readonly problems: readonly string[];
    readonly problemCount?: number;
    readonly at: string;
  };
  readonly counts: {
    readonly sync: Readonly<Partial<Record<SyncState, number>>>;
    readonly health: Readonly<Partial<Record<HealthState, number>>>;
  };
  readonly lastPass?: {
    readonly startedAt: string;
    readonly durationMs: number;
    readonly result: 'success' | 'failure' | 'rejected';
  };
  /**
   * Set while --prune-max refuses the deletions of the applied revision (nothing is deleted until the
   * manifests return, the limit is raised or --prune-confirm is given).
   */
  readonly pruneBlocked?: {
    readonly message: string;
    /** The refused deletes, `Service/web` … */
    readonly resources: readonly KeyString[];
    readonly since: string;
  };
  /**
   * Set while a pass runs: the step it is in, when it began, the revision it reconciles (from
   * `read` on, once parsed) and, from `apply` on, the resources it changes.
   */
  readonly passInProgress?: {
    readonly phase: PassPhase;
    readonly revision?: string;
    readonly startedAt: string;
    readonly resources: readonly KeyString[];
  };
  /** True once the source was fetched and the first pass finished. */
  readonly ready: boolean;
}

export interface StatusSnapshot {
  readonly overall: OverallStatus;
  readonly resources: readonly ResourceStatus[];
}

export type EventType =
  | 'SyncSucceeded'
  | 'SyncFailed'
  | 'DriftDetected'
  | 'DriftResolved'
  | 'HealthDegraded'
  | 'HealthRecovered'
  | 'RolloutFailed'
  /** A progressive deployment waits at its approval gate (a PAUSE lifecycle hook). */
  | 'AwaitingApproval'
  | 'RevisionRejected'
  | 'RevisionAccepted'
  /** The prune safety rail (--prune-max) refused this revision's deletions; PruneAllowed ends it. */
  | 'PruneBlocked'
  | 'PruneAllowed';

/** Something worth telling people about; alerts and the dashboard's event list consume these. */
export interface ControllerEvent {
  readonly type: EventType;
  readonly severity: 'info' | 'warning' | 'error';
  /** ISO-8601 */
  readonly time: string;
  readonly instance: string;
  /** One target of several (--targets): which account/region the event is about. */
  readonly target?: string;
  readonly revision?: string;
  /** The resource (absent for revision-wide events). */
  readonly resource?: KeyString;
  readonly message: string;
  /** Drifted/changed fields with desired and live values (secrets masked). */
  readonly fields?: readonly FieldChange[];
  /** RevisionRejected: the first formatted problems (at most EVENT_PROBLEMS of them)… */
  readonly problems?: readonly string[];
  /** …and how many the revision has. */
  readonly problemCount?: number;
}
