// Writes the status snapshot to a Git branch (default `ecs-gitops/status`) of the watched repository
// with plumbing only — hash-object, a throw-away index, write-tree, commit-tree, push <sha>:<ref> —
// so no working tree is ever touched, not even a user's own checkout. A commit is made only when
// something other than timestamps changed; a push that loses a race is rebuilt on the new head.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../config.js';
import { EcsGitopsError } from '../errors.js';
import { type GitAuth, gitRemote, redactAuth, redactUrl, runGit } from '../git/command.js';
import { summarizeGitError } from '../git/errors.js';
import type { Logger } from '../log.js';
import { shortRevision } from '../types.js';
import type { StatusSnapshot } from './model.js';
import {
  differsBeyondTimestamps,
  renderStatusFiles,
  SUMMARY_FILE,
  statusFingerprint,
  summaryFingerprint,
} from './status-files.js';

export class StatusWriteError extends EcsGitopsError {
  override readonly code = 'StatusWriteFailed';
}

export interface StatusBranchWriterOptions {
  /** Remote URL or local repository path (a user's non-bare checkout is fine: only a ref is pushed). */
  readonly repoUrl: string;
  readonly branch?: string;
  readonly instance: string;
  readonly logger: Logger;
  readonly gitToken?: string;
  readonly sshCommand?: string;
  readonly sshKeyFile?: string;
  readonly knownHostsFile?: string;
  /** Private bare repository where objects are built; created when missing. */
  readonly workDir?: string;
  /** Tries per write when pushes keep losing races (default 5). */
  readonly maxAttempts?: number;
  readonly cwd?: string;
  /** Runs after a commit is built and before it is pushed; tests race another writer here. */
  readonly beforePush?: (attempt: number) => Promise<void>;
  /**
   * One target's section of a branch several targets share (`prod-eu` → `status/prod-eu/…`): this
   * writer replaces only its section and keeps the other targets' files of the head it builds on.
   */
  readonly section?: string;
}

export interface StatusWriteResult {
  readonly committed: boolean;
  /** The branch head after the write (the new commit, or the unchanged head). */
  readonly sha?: string;
  /** Push attempts made (more than 1 when another writer got in first). */
  readonly attempts: number;
}

export interface StatusBranchWriter {
  write(snapshot: StatusSnapshot): Promise<StatusWriteResult>;
}

const REMOTE_REF = 'refs/ecs-gitops/status-remote';
const REJECTED =
  /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref|incorrect old value/i;

function commitMessage(snapshot: StatusSnapshot): string {
  const { overall } = snapshot;
  const revision = overall.source.revision ? shortRevision(overall.source.revision) : 'unknown';
  const counts = Object.entries(overall.counts.sync)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
  return `status: ${overall.instance} at ${revision}${counts ? `: ${counts}` : ''}`;
}

export function createStatusBranchWriter(options: StatusBranchWriterOptions): StatusBranchWriter {
  const branch = options.branch ?? DEFAULTS.statusBranch;
  const cwd = options.cwd ?? process.cwd();
  const remote = gitRemote(options.repoUrl, cwd, {
    ...(options.gitToken ? { token: options.gitToken } : {}),
    ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}),
    ...(options.sshKeyFile ? { sshKeyFile: options.sshKeyFile } : {}),
    ...(options.knownHostsFile ? { knownHostsFile: options.knownHostsFile } : {}),
  });
  const url = remote.url;
  const displayUrl = redactUrl(options.repoUrl);
  const maxAttempts = options.maxAttempts ?? 5;
  const workDir =
    options.workDir ??
    join(
      tmpdir(),
      'ecs-gitops-status',
      createHash('sha256')
        .update(`${redactUrl(url)}\n${branch}\n${options.instance}`)
        .digest('hex')
        .slice(0, 16),
    );
  const auth: GitAuth = remote.auth;
  const identity = {
    GIT_AUTHOR_NAME: `ecs-gitops (${options.instance})`,
    GIT_AUTHOR_EMAIL: 'ecs-gitops@users.noreply.invalid',
    GIT_COMMITTER_NAME: `ecs-gitops (${options.instance})`,
    GIT_COMMITTER_EMAIL: 'ecs-gitops@users.noreply.invalid',
  };
  const git = (args: readonly string[], extra: { env?: Record<string, string>; input?: string } = {}) =>
    runGit(args, { cwd: workDir, auth, timeoutMs: 120_000, ...extra });

  async function ensureWorkRepo(): Promise<void> {
    if (existsSync(join(workDir, 'HEAD'))) return;
    await mkdir(workDir, { recursive: true });
    await runGit(['init', '--quiet', '--bare', workDir], { cwd: workDir });
  }

  /** The remote branch head, or undefined when the branch does not exist yet. */
  async function fetchHead(): Promise<string | undefined> {
    try {
      await git([
        'fetch',
        '--quiet',
        '--no-tags',
        '--depth',
        '1',
        url,
        `+refs/heads/${branch}:${REMOTE_REF}`,
      ]);
    } catch (error) {
      if (/couldn't find remote ref/i.test(String(error))) {
        await git(['update-ref', '-d', REMOTE_REF]).catch(() => undefined);
        return undefined;
      }
      throw error;
    }
    return (await git(['rev-parse', '--verify', `${REMOTE_REF}^{commit}`])).trim();
  }

  async function readFiles(commit: string): Promise<Map<string, string>> {
    const listing = await git(['ls-tree', '-r', '-z', '--full-tree', commit]);
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [, type, sha] = line.slice(0, tab).split(' ');
        return { path: line.slice(tab + 1), type, sha: sha ?? '' };
      })
      .filter((entry) => entry.type === 'blob');
    const files = new Map<string, string>();
    if (entries.length === 0) return files;
    const output = Buffer.from(
      await git(['cat-file', '--batch'], { input: `${entries.map((e) => e.sha).join('\n')}\n` }),
    );
    let offset = 0;
    for (const entry of entries) {
      const newline = output.indexOf(0x0a, offset);
      const size = Number(output.subarray(offset, newline).toString().split(' ')[2]);
      files.set(entry.path, output.subarray(newline + 1, newline + 1 + size).toString());
      offset = newline + 1 + size + 1;
    }
    return files;
  }

  async function buildTree(files: ReadonlyMap<string, string>): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'ecs-gitops-status-'));
    try {
      const paths = [...files.keys()].sort();
      const blobs: string[] = [];
      for (const [index, path] of paths.entries()) {
        const file = join(scratch, `${index}.yaml`);
        await writeFile(file, files.get(path) ?? '');
        blobs.push(file);
      }
      const shas = (await git(['hash-object', '-w', '--stdin-paths'], { input: `${blobs.join('\n')}\n` }))
        .trim()
        .split('\n');
      const index = { GIT_INDEX_FILE: join(scratch, 'index') };
      const info = paths.map((path, i) => `100644 ${shas[i]}\t${path}`).join('\n');
      await git(['update-index', '--add', '--index-info'], { env: index, input: `${info}\n` });
      return (await git(['write-tree'], { env: index })).trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  const sectionPrefix = options.section ? `status/${options.section}/` : undefined;
  /** The files this writer owns: `status/…`, or `status/<section>/…`. */
  const render = (snapshot: StatusSnapshot): Map<string, string> => {
    const files = renderStatusFiles(snapshot);
    if (!sectionPrefix) return files;
    return new Map(
      [...files].map(([path, text]) => [`${sectionPrefix}${path.slice('status/'.length)}`, text]),
    );
  };
  const summaryPath = sectionPrefix
    ? `${sectionPrefix}${SUMMARY_FILE.slice('status/'.length)}`
    : SUMMARY_FILE;
  const ours = (path: string) => (sectionPrefix ? path.startsWith(sectionPrefix) : true);

  async function writeOnce(snapshot: StatusSnapshot): Promise<StatusWriteResult> {
    await ensureWorkRepo();
    const fingerprint = statusFingerprint(snapshot);
    let files: Map<string, string> | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const parent = await fetchHead();
      let others = new Map<string, string>();
      if (parent) {
        // Fast path: the previous summary's fingerprint says whether anything but timestamps moved.
        const summary = await git(['cat-file', 'blob', `${parent}:${summaryPath}`]).catch(() => undefined);
        const previous = summary === undefined ? undefined : summaryFingerprint(summary);
        if (previous === fingerprint) return { committed: false, sha: parent, attempts: attempt };
        files ??= render(snapshot);
        const existing = previous === undefined || sectionPrefix ? await readFiles(parent) : undefined;
        if (existing && sectionPrefix) others = new Map([...existing].filter(([path]) => !ours(path)));
        const mine = existing ? new Map([...existing].filter(([path]) => ours(path))) : undefined;
        // A branch written without fingerprints (or edited by hand) is compared file by file.
        if (previous === undefined && mine && !differsBeyondTimestamps(mine, files)) {
          return { committed: false, sha: parent, attempts: attempt };
        }
      }
      files ??= render(snapshot);
      const tree = await buildTree(new Map([...others, ...files]));
      const commit = (
        await git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', commitMessage(snapshot)], {
          env: identity,
        })
      ).trim();
      await options.beforePush?.(attempt);
      try {
        await git(['push', '--quiet', url, `${commit}:refs/heads/${branch}`]);
        options.logger.debug({ branch, sha: commit, attempt }, 'status: branch updated');
        return { committed: true, sha: commit, attempts: attempt };
      } catch (error) {
        const text = String(error);
        if (!REJECTED.test(text) || /checked out|denyCurrentBranch/i.test(text) || attempt >= maxAttempts) {
          throw error;
        }
        options.logger.info(
          { branch, attempt },
          'status: branch moved while writing; rebuilding on the new head',
        );
        await new Promise((done) => setTimeout(done, Math.round(50 * attempt * (1 + Math.random()))));
      }
    }
  }

  const wrap = (error: unknown) => {
    const redacted = redactAuth(summarizeGitError(error), auth);
    return new StatusWriteError(`cannot write status branch ${branch} of ${displayUrl}: ${redacted}`, {
      cause: error,
    });
  };
  // Writes are coalesced: while one is in flight only the newest snapshot waits, and every caller
  // waiting on it gets its result. A pass every 300 ms (a rollout being followed) with a push that
  // takes seconds would otherwise queue without bound and the branch would lag ever further behind.
  let next: { snapshot: StatusSnapshot; waiters: Array<(outcome: Settled) => void> } | undefined;
  let draining = false;
  type Settled = { ok: true; result: StatusWriteResult } | { ok: false; error: StatusWriteError };
  async function drain(): Promise<void> {
    draining = true;
    while (next) {
      const batch = next;
      next = undefined;
      const outcome: Settled = await writeOnce(batch.snapshot).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error: wrap(error) }),
      );
      for (const settle of batch.waiters) settle(outcome);
    }
    draining = false;
  }

  return {
    write(snapshot) {
      return new Promise<StatusWriteResult>((resolve, reject) => {
        const settle = (outcome: Settled) => (outcome.ok ? resolve(outcome.result) : reject(outcome.error));
        if (next) {
          next.snapshot = snapshot;
          next.waiters.push(settle);
        } else next = { snapshot, waiters: [settle] };
        if (!draining) void drain();
      });
    },
  };
}
