// Counts the git commands a process runs: a `git` wrapper first on PATH logs each command's
// subcommand and arguments, then runs the real git. The controller keeps PATH in git's
// environment, so its own git calls (and a child controller's, given `env()`) go through it.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface GitCommandLog {
  /** PATH with the wrapper first. */
  readonly path: string;
  /** The commands run so far, one string each (`fetch --depth 1 …`). */
  commands(): Promise<string[]>;
  /** Puts the wrapper first on this process's PATH until `close()`. */
  install(): void;
  close(): Promise<void>;
}

export async function logGitCommands(): Promise<GitCommandLog> {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-git-log-'));
  const log = join(dir, 'commands.log');
  await writeFile(log, '');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  await writeFile(
    join(dir, 'git'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> ${quote(log)}\nexec ${quote(real)} "$@"\n`,
  );
  await chmod(join(dir, 'git'), 0o755);
  const original = process.env.PATH;
  const path = `${dir}${delimiter}${original ?? ''}`;
  return {
    path,
    async commands() {
      return (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
    },
    install() {
      process.env.PATH = path;
    },
    async close() {
      process.env.PATH = original;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
