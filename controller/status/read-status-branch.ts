// Reads the status branch of a repository without a checkout: fetch the one commit into a private
// bare repository, then list and read its blobs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../config.js';
import { type GitAuth, gitRemote, redactAuth, redactUrl, runGit } from '../git/command.js';
import { summarizeGitError } from '../git/errors.js';
import type { StatusSnapshot } from './model.js';
import { StatusWriteError } from './status-branch.js';
import { parseStatusFiles } from './status-files.js';

export interface ReadStatusBranchOptions {
  readonly repoUrl: string;
  readonly branch?: string;
  readonly auth?: GitAuth;
  readonly cwd?: string;
}

export async function readStatusBranch(
  options: ReadStatusBranchOptions,
): Promise<{ snapshot: StatusSnapshot; commit: string; committedAt: string }> {
  const branch = options.branch ?? DEFAULTS.statusBranch;
  const remote = gitRemote(options.repoUrl, options.cwd ?? process.cwd(), options.auth);
  const url = remote.url;
  const scratch = await mkdtemp(join(tmpdir(), 'ecs-gitops-status-read-'));
  const git = (args: readonly string[], input?: string) =>
    runGit(args, {
      cwd: scratch,
      timeoutMs: 120_000,
      auth: remote.auth,
      ...(input !== undefined ? { input } : {}),
    });
  try {
    await git(['init', '--quiet', '--bare', scratch]);
    try {
      await git(['fetch', '--quiet', '--no-tags', '--depth', '1', url, `+refs/heads/${branch}:refs/status`]);
    } catch (error) {
      const detail = redactAuth(summarizeGitError(error), remote.auth);
      throw new StatusWriteError(
        `cannot read status branch ${branch} of ${redactUrl(options.repoUrl)}: ${detail}`,
        {
          cause: error,
        },
      );
    }
    const [commit = '', committedAt = ''] = (await git(['log', '-1', '--format=%H%x1f%cI', 'refs/status']))
      .trim()
      .split('\x1f');
    const names = (await git(['ls-tree', '-r', '-z', '--name-only', 'refs/status']))
      .split('\0')
      .filter((name) => name.endsWith('.yaml'));
    const files = new Map<string, string>();
    if (names.length > 0) {
      const output = Buffer.from(
        await git(['cat-file', '--batch'], `${names.map((name) => `refs/status:${name}`).join('\n')}\n`),
      );
      let offset = 0;
      for (const name of names) {
        const newline = output.indexOf(0x0a, offset);
        const size = Number(output.subarray(offset, newline).toString().split(' ')[2]);
        files.set(name, output.subarray(newline + 1, newline + 1 + size).toString());
        offset = newline + 1 + size + 1;
      }
    }
    return { snapshot: parseStatusFiles(files), commit, committedAt };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
