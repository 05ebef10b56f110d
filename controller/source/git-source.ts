// A Git repository as the source of desired state: cloned once into a cache folder, then fetched.
// The cache is ours alone, so resetting its working tree to the remote head is how force-pushes are
// followed. Every git call is serialized: the loop's fetch, the poller and webhooks never race.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Backoff } from '../backoff.js';
import type { SourceConfig } from '../config.js';
import type { ManifestProblem } from '../errors.js';
import { type GitAuth, gitRemote, isRemoteUrl, redactAuth, redactUrl, runGit } from '../git/command.js';
import { classifyGitError, type SourceFailureReason, summarizeGitError } from '../git/errors.js';
import type { Logger } from '../log.js';
import { setCondition } from '../status/conditions.js';
import type { SourceStatus } from '../status/model.js';
import { shortRevision } from '../types.js';
import { gitlinksUnder } from './gitlinks.js';
import { readManifestFolder } from './read-folder.js';
import { isOverlayFolder, readOverlayFiles } from './read-overlay.js';
import { SourceFetchError } from './source-error.js';
import { TreeListing } from './tree-listing.js';
import type {
  CommitInfo,
  Snapshot,
  Source,
  SourceCheckResult,
  SourceDescription,
  SourceOptions,
} from './types.js';

const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;
const DEFAULT_GIT_TIMEOUT_MS = 2 * 60_000;

/** The folder inside the cache for one repository + branch. */
export function cacheFolderName(url: string, branch: string): string {
  return createHash('sha256').update(`${url}\n${branch}`).digest('hex').slice(0, 16);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export class GitSource implements Source {
  private readonly fetchUrl: string;
  private readonly displayUrl: string;
  private readonly cachePath: string;
  private readonly auth: GitAuth;
  private readonly backoff: Backoff;
  private readonly gitTimeoutMs: number;
  private readonly onCheck: (result: SourceCheckResult) => void;
  private queue: Promise<unknown> = Promise.resolve();
  private current?: Snapshot;
  private delivered?: string;
  /** A head the remote is known to have moved to (a poll saw it, a webhook named it), not fetched yet. */
  private announced: string | undefined;
  /**
   * The last remote head a poll logged as new: while a long pass has not fetched it yet, every poll
   * sees it again; it is logged once (the watchers are still told: requests are merged).
   */
  private logged: string | undefined;
  private state: SourceStatus;
  private readonly watchers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(
    private readonly config: SourceConfig & { readonly repo: string },
    private readonly logger: Logger,
    options: SourceOptions = {},
  ) {
    const cwd = options.cwd ?? process.cwd();
    const remote = gitRemote(config.repo, cwd, {
      ...(config.gitToken ? { token: config.gitToken } : {}),
      ...(config.sshKeyFile ? { sshKeyFile: config.sshKeyFile } : {}),
      ...(config.knownHostsFile ? { knownHostsFile: config.knownHostsFile } : {}),
    });
    this.fetchUrl = remote.url;
    this.auth = remote.auth;
    this.displayUrl = redactUrl(isRemoteUrl(config.repo) ? config.repo : resolve(cwd, config.repo));
    this.cachePath = resolve(cwd, config.cacheDir, cacheFolderName(redactUrl(this.fetchUrl), config.branch));
    this.backoff = new Backoff({
      baseMs: config.pollMs,
      maxMs: Math.max(config.pollMs, options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS),
    });
    this.gitTimeoutMs = options.gitTimeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    this.onCheck = options.onCheck ?? (() => undefined);
    this.state = {
      type: 'git',
      url: this.displayUrl,
      branch: config.branch,
      dir: config.dir,
      condition: {
        type: 'Source',
        status: 'Unknown',
        reason: 'NotFetched',
        message: 'not fetched yet',
        lastTransitionTime: new Date().toISOString(),
      },
    };
  }

  describe(): SourceDescription {
    return { type: 'git', url: this.displayUrl, branch: this.config.branch, dir: this.config.dir };
  }

  status(): SourceStatus {
    return this.state;
  }

  /** Where the clone lives (the status branch writer and tests use it). */
  get cacheDirectory(): string {
    return this.cachePath;
  }

  fetch(): Promise<{ snapshot: Snapshot; changed: boolean }> {
    return this.serialize(async () => {
      const snapshot = await this.fetchSnapshot();
      const changed = snapshot.revision !== this.delivered;
      this.delivered = snapshot.revision;
      return { snapshot, changed };
    });
  }

  watch(onChange: () => void): () => void {
    this.watchers.add(onChange);
    if (!this.timer && !this.polling) this.schedule(this.config.pollMs);
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  trigger(): void {
    if (this.closed || this.watchers.size === 0) return;
    this.backoff.reset();
    if (this.polling) {
      // A poll is under way; poll again right after it so this push is not missed.
      this.pendingTrigger = true;
      return;
    }
    this.schedule(0);
  }

  private pendingTrigger = false;

  pushed(ref: string, revision: string): void {
    if (ref === `refs/heads/${this.config.branch}` && revision !== this.current?.revision) {
      this.announced = revision;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watchers.clear();
    await this.queue.catch(() => undefined);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
  }

  /** One poll: `git ls-remote` only, so an unchanged remote costs a single round trip. */
  private async poll(): Promise<void> {
    if (this.closed || this.watchers.size === 0) return;
    this.polling = true;
    let delay = this.config.pollMs;
    try {
      const remote = await this.serialize(() => this.remoteHead());
      this.backoff.reset();
      if (remote !== this.current?.revision) {
        this.announced = remote;
        if (remote !== this.logged) {
          this.logged = remote;
          this.logger.info(
            { source: this.displayUrl, branch: this.config.branch, revision: remote },
            'source: new revision on the remote',
          );
        }
        for (const watcher of [...this.watchers]) watcher();
      } else {
        this.onCheck('unchanged');
        if (this.state.condition.status !== 'True' && this.current) {
          this.markFetched(this.current, 'Fetched', `remote reachable again; at ${shortRevision(remote)}`);
        }
      }
    } catch (error) {
      this.onCheck('failure');
      const failure = this.recordFailure(error);
      delay = this.backoff.fail();
      this.logger.warn(
        { source: this.displayUrl, reason: failure.reason, attempt: this.backoff.attempts, retryInMs: delay },
        `source: poll failed: ${failure.message}`,
      );
    } finally {
      this.polling = false;
    }
    if (this.pendingTrigger) {
      this.pendingTrigger = false;
      delay = 0;
    }
    if (!this.closed && this.watchers.size > 0) this.schedule(delay);
  }

  private git(args: readonly string[], cwd: string, timeout = true): Promise<string> {
    return runGit(args, { cwd, auth: this.auth, ...(timeout ? { timeoutMs: this.gitTimeoutMs } : {}) });
  }

  private async remoteHead(): Promise<string> {
    const ref = `refs/heads/${this.config.branch}`;
    const output = await this.git(['ls-remote', this.fetchUrl, ref], process.cwd());
    const line = output.split('\n').find((l) => l.endsWith(`\t${ref}`));
    if (!line) {
      throw new SourceFetchError('BranchNotFound', `branch "${this.config.branch}" not found on the remote`);
    }
    return line.split('\t')[0] ?? '';
  }

  private async fetchSnapshot(): Promise<Snapshot> {
    try {
      // An unchanged remote costs one ls-remote (plus a local sanity check of the cache): the snapshot
      // read earlier is still current. A head announced by a poll or a push skips that question:
      // asking again would only repeat what is known (each git process costs tens of milliseconds
      // on a loaded machine, and a new revision takes five of them even so).
      const current = this.current;
      const announced = this.announced !== undefined && this.announced !== current?.revision;
      this.announced = undefined;
      if (
        current &&
        !announced &&
        (await this.remoteHead()) === current.revision &&
        (await this.cacheIsUsable())
      ) {
        this.markFetched(current, 'Fetched', `at ${shortRevision(current.revision)} (unchanged)`);
        this.onCheck('unchanged');
        return current;
      }
      let reason: 'Fetched' | 'CacheRecloned' = 'Fetched';
      if (!(await this.cacheIsUsable())) {
        if (existsSync(this.cachePath)) {
          reason = 'CacheRecloned';
          this.logger.warn({ cache: this.cachePath }, 'source: cache is corrupt; cloning again');
        }
        await this.clone();
      } else {
        try {
          await this.update();
        } catch (error) {
          if (classifyGitError(error) !== 'CacheCorrupt') throw error;
          reason = 'CacheRecloned';
          this.logger.warn(
            { cache: this.cachePath, error: summarizeGitError(error) },
            'source: cache is corrupt; cloning again',
          );
          await this.clone();
        }
      }
      const snapshot = await this.readSnapshot();
      if (snapshot.revision !== this.current?.revision) {
        this.logger.info(
          { source: this.displayUrl, branch: this.config.branch, revision: snapshot.revision },
          `source: at ${shortRevision(snapshot.revision)} ${snapshot.commit?.message.split('\n')[0] ?? ''}`.trim(),
        );
      }
      this.current = snapshot;
      const message =
        reason === 'CacheRecloned'
          ? `cache was corrupt and was cloned again; at ${shortRevision(snapshot.revision)}`
          : `fetched ${shortRevision(snapshot.revision)} from ${this.config.branch}`;
      this.markFetched(snapshot, reason, message);
      this.onCheck('success');
      return snapshot;
    } catch (error) {
      this.onCheck('failure');
      const failure = this.recordFailure(error);
      this.logger.warn({ source: this.displayUrl, reason: failure.reason }, `source: ${failure.message}`);
      throw failure;
    }
  }

  /** A cache we can trust: a repository whose top level is the cache folder itself, with a readable HEAD. */
  private async cacheIsUsable(): Promise<boolean> {
    if (!existsSync(join(this.cachePath, '.git'))) return false;
    try {
      // One process: rev-parse fails as a whole when HEAD names no tree (`--` makes it a revision).
      const [top = ''] = (
        await this.git(['rev-parse', '--show-toplevel', 'HEAD^{tree}', '--'], this.cachePath, false)
      ).split('\n');
      return (await realpath(top)) === (await realpath(this.cachePath));
    } catch {
      return false;
    }
  }

  private async clone(): Promise<void> {
    const parent = dirname(this.cachePath);
    await mkdir(parent, { recursive: true });
    // Clone next to the final place and rename, so a half-finished clone never looks like a cache.
    const temporary = `${this.cachePath}.tmp-${process.pid}-${Date.now()}`;
    try {
      await this.git(
        [
          'clone',
          '--depth',
          '1',
          '--single-branch',
          '--no-tags',
          '--branch',
          this.config.branch,
          this.fetchUrl,
          temporary,
        ],
        parent,
      );
      await rm(this.cachePath, { recursive: true, force: true });
      await rename(temporary, this.cachePath);
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
  }

  private async update(): Promise<void> {
    const branch = this.config.branch;
    const tracking = `refs/remotes/origin/${branch}`;
    // The leading + accepts non-fast-forward updates: a force-push replaces what we follow. The URL
    // is given rather than `origin`, whose stored URL a cache cloned by an older version may have
    // kept with a password in it.
    await this.git(
      ['fetch', '--depth', '1', '--no-tags', '--prune', this.fetchUrl, `+refs/heads/${branch}:${tracking}`],
      this.cachePath,
    );
    // No `git clean` here: readSnapshot compares what it read with the commit's tree and cleans
    // only when something untracked was read (the cache is ours: that is rare, and a process saved).
    await this.git(['reset', '--hard', '--quiet', tracking], this.cachePath, false);
  }

  private async readSnapshot(): Promise<Snapshot> {
    const format = ['%H', '%an <%ae>', '%cI', '%B'].join('%x1f');
    const output = await this.git(['log', '-1', `--format=${format}`, 'HEAD'], this.cachePath, false);
    const [sha = '', author = '', committedAt = '', ...rest] = output.split('\x1f');
    const commit: CommitInfo = {
      sha: sha.trim(),
      author,
      committedAt: new Date(committedAt),
      message: rest.join('\x1f').trim(),
    };
    const root = resolve(this.cachePath, this.config.dir);
    if (!isInside(this.cachePath, root)) {
      throw new SourceFetchError('PathNotFound', `--dir "${this.config.dir}" points outside the repository`);
    }
    // The whole tree, once: its gitlinks reject the revision, its paths tell tracked from stray files.
    const tree = await this.git(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], this.cachePath, false);
    const tracked = new TreeListing(tree);
    const dir = relative(this.cachePath, root).split(sep).join('/');
    let read = await this.readManifests(root, dir, tracked, commit.sha);
    if (read.untracked) {
      this.logger.warn(
        { cache: this.cachePath, file: read.untracked },
        'source: untracked files in the cache; cleaning',
      );
      await this.git(['clean', '-ffdxq'], this.cachePath, false);
      read = await this.readManifests(root, dir, tracked, commit.sha);
    }
    return { revision: commit.sha, root, commit, ...read.contents };
  }

  /**
   * The manifests of the checked-out revision, and the first file read that the commit does not
   * have (left behind in the cache by something else), if any.
   */
  private async readManifests(
    root: string,
    dir: string,
    tree: TreeListing,
    revision: string,
  ): Promise<{ contents: Pick<Snapshot, 'files' | 'problems' | 'overlay'>; untracked?: string }> {
    const exists = await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) {
      // A missing folder is a broken revision, not "everything was deleted": reject it as a whole.
      const problem: ManifestProblem = {
        // The manifest folder itself (paths are relative to it; the loop prefixes --dir): no line.
        location: { file: '.', line: 0, column: 0 },
        message: `folder "${this.config.dir}" does not exist in revision ${shortRevision(revision)} (deleted or moved? check --dir)`,
      };
      return { contents: { files: [], problems: [problem] } };
    }
    // Unchanged files come back as the strings already held: one copy of each, revision after revision.
    const { files, problems } = await readManifestFolder(root, { previous: this.current?.files ?? [] });
    const within = (path: string) => (dir === '' ? path : `${dir}/${path}`);
    // The folder itself too: a stray empty folder named like --dir must not read as "no manifests".
    const paths = [
      dir,
      ...[...files.map((f) => f.path), ...problems.map((p) => p.location.file)].map(within),
    ];
    let contents: Pick<Snapshot, 'files' | 'problems' | 'overlay'> = {
      files,
      problems: [...submoduleProblems(tree.listing, dir), ...problems],
    };
    if (await isOverlayFolder(root)) {
      // An overlay reads folders anywhere in the repository: a submodule in any of them rejects the
      // revision (loadOverlay keeps the problems of the folders it used), paths repository-relative.
      const overlay = await readOverlayFiles(this.cachePath, root);
      paths.push(...overlay.files.map((f) => f.path), ...overlay.problems.map((p) => p.location.file));
      const submodules = submoduleProblems(tree.listing, '');
      contents = {
        files,
        problems,
        overlay: { dir: overlay.dir, files: overlay.files, problems: [...submodules, ...overlay.problems] },
      };
    }
    const untracked = paths.find((path) => !tree.has(path));
    return untracked === undefined ? { contents } : { contents, untracked };
  }

  private markFetched(snapshot: Snapshot, reason: string, message: string): void {
    const now = new Date();
    const { lastFetchError: _dropped, ...rest } = this.state;
    this.state = {
      ...rest,
      revision: snapshot.revision,
      ...(snapshot.commit
        ? {
            commitMessage: snapshot.commit.message.split('\n')[0] ?? '',
            committedAt: snapshot.commit.committedAt.toISOString(),
          }
        : {}),
      lastFetchAt: now.toISOString(),
      condition: setCondition(
        [this.state.condition],
        { type: 'Source', status: 'True', reason, message },
        now,
      )[0]!,
    };
  }

  private recordFailure(error: unknown): SourceFetchError {
    const reason: SourceFailureReason =
      error instanceof SourceFetchError ? error.reason : classifyGitError(error);
    const raw = error instanceof SourceFetchError ? error.message : summarizeGitError(error);
    const detail = redactAuth(raw, this.auth);
    const message = `${reason}: ${this.displayUrl} (${this.config.branch}): ${detail}`;
    const now = new Date();
    this.state = {
      ...this.state,
      lastFetchAt: now.toISOString(),
      lastFetchError: message,
      condition: setCondition(
        [this.state.condition],
        { type: 'Source', status: 'False', reason, message },
        now,
      )[0]!,
    };
    return error instanceof SourceFetchError
      ? new SourceFetchError(reason, message, { cause: error.cause ?? error })
      : new SourceFetchError(reason, message, { cause: error });
  }
}

/** Submodules under `dir` (repository-relative): each one rejects the revision (its manifests are not here). */
function submoduleProblems(listing: string, dir: string): ManifestProblem[] {
  return gitlinksUnder(listing, dir).map((link) => ({
    location: { file: link.path, line: 1, column: 1 },
    message: `is a Git submodule (commit ${shortRevision(link.commit)} of another repository), which the controller does not read; commit its manifests into this repository, or watch that repository instead`,
  }));
}
