// What every source (Git repository or plain folder) offers the reconcile loop.
import type { ManifestProblem } from '../errors.js';
import type { ManifestFile } from '../manifest/model.js';
import type { SourceStatus } from '../status/model.js';

export type { ManifestFile };

export interface CommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly author: string;
  readonly committedAt: Date;
}

/** One revision of the manifests, read from disk. */
export interface Snapshot {
  /** Commit sha, or `sha256:<12 hex>` of a folder's content. */
  readonly revision: string;
  /** Absolute folder holding the manifests. */
  readonly root: string;
  readonly files: readonly ManifestFile[];
  readonly problems: readonly ManifestProblem[];
  readonly commit?: CommitInfo;
  /**
   * Set when the folder holds an ecs-gitops.yaml: the overlay and every file it names, by
   * repository-relative path (`files` above then holds only the folder's own manifests, unused).
   */
  readonly overlay?: SnapshotOverlay;
}

export interface SnapshotOverlay {
  /** Repository-relative folder of the overlay. */
  readonly dir: string;
  readonly files: readonly ManifestFile[];
  readonly problems: readonly ManifestProblem[];
}

export interface SourceDescription {
  readonly type: 'git' | 'folder';
  /** Repository URL (credentials stripped) or folder path. */
  readonly url: string;
  readonly branch?: string;
  readonly dir?: string;
}

export interface Source {
  /**
   * Brings the source up to date and reads the manifests. Throws SourceError when that fails (the
   * failure is also recorded in status()); a failure never yields a different snapshot.
   * `changed` is true when the revision differs from the previous successful fetch().
   */
  fetch(): Promise<{ snapshot: Snapshot; changed: boolean }>;
  /** Polls (Git) or watches (folder) and calls onChange when the revision moves. Returns a stop function. */
  watch(onChange: () => void): () => void;
  /** Check now (a push webhook arrived): the watchers are told at once if the revision moved. */
  trigger(): void;
  /**
   * A push webhook said `ref` now points at `revision`. A Git source whose branch that is lets its
   * next fetch download at once instead of asking the remote for the head first (the fetch still
   * reads whatever the branch holds: a payload never decides the content).
   */
  pushed?(ref: string, revision: string): void;
  status(): SourceStatus;
  describe(): SourceDescription;
  close(): Promise<void>;
}

/** Knobs for tests and embedding; production uses the defaults. */
export interface SourceOptions {
  /** Longest wait between polls while the remote keeps failing (default 5 minutes). */
  readonly backoffMaxMs?: number;
  /** Debounce of folder change events (default 300 ms). */
  readonly debounceMs?: number;
  /** Base directory for relative paths (default process.cwd()). */
  readonly cwd?: string;
  /** Upper bound of one git network command (default 2 minutes). */
  readonly gitTimeoutMs?: number;
  /**
   * Told the outcome of every look at the remote — each poll and each fetch — so that a remote
   * that stays down or unchanged shows in `git_fetch_total` (a poll that sees a new revision is
   * not counted itself: the fetch it triggers is).
   */
  readonly onCheck?: (result: SourceCheckResult) => void;
}

/** `unchanged`: the remote head did not move, so nothing was downloaded. */
export type SourceCheckResult = 'success' | 'unchanged' | 'failure';
