// Real git repositories in temp dirs for tests: a bare "remote", working clones, commits, force-pushes.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git and returns trimmed stdout; throws with git's stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await exec('git', args, {
      cwd,
      env: { ...process.env, ...GIT_ENV },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr || String(error)}`);
  }
}

/** A fresh temp dir; `cleanup()` removes everything made under it. */
export async function tempDir(
  prefix = 'ecs-gitops-test-',
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

export interface TestRepo {
  /** The bare repository playing the remote. */
  readonly remote: string;
  /** A working clone that commits and pushes to it. */
  readonly work: string;
  readonly branch: string;
  /** Writes files, commits everything and pushes; returns the new sha. */
  commit(
    files: Readonly<Record<string, string>>,
    message?: string,
    options?: { remove?: string[] },
  ): Promise<string>;
  /** Rewrites history: a new root commit with these files, force-pushed. Returns its sha. */
  forcePush(files: Readonly<Record<string, string>>, message?: string): Promise<string>;
  head(): Promise<string>;
}

/** Makes `<base>/remote.git` (bare, default branch `branch`) and `<base>/work` (a clone). */
export async function createRepo(base: string, branch = 'main'): Promise<TestRepo> {
  const remote = join(base, 'remote.git');
  const work = join(base, 'work');
  await git(base, 'init', '--quiet', '--bare', `--initial-branch=${branch}`, remote);
  await git(base, 'init', '--quiet', `--initial-branch=${branch}`, work);
  await git(work, 'remote', 'add', 'origin', remote);
  let commits = 0;
  const repo: TestRepo = {
    remote,
    work,
    branch,
    async commit(files, message, options = {}) {
      await writeFiles(work, files);
      for (const name of options.remove ?? []) await git(work, 'rm', '--quiet', '-r', name);
      await git(work, 'add', '--all');
      commits += 1;
      await git(work, 'commit', '--quiet', '--allow-empty', '-m', message ?? `commit ${commits}`);
      await git(work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      return repo.head();
    },
    async forcePush(files, message) {
      await git(work, 'checkout', '--quiet', '--orphan', `rewrite-${Date.now()}`);
      await git(work, 'rm', '--quiet', '-r', '--cached', '--ignore-unmatch', '.');
      await git(work, 'clean', '-fdxq');
      await writeFiles(work, files);
      await git(work, 'add', '--all');
      await git(work, 'commit', '--quiet', '-m', message ?? 'rewritten history');
      await git(work, 'push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`);
      return repo.head();
    },
    head: () => git(work, 'rev-parse', 'HEAD'),
  };
  return repo;
}

/** The files of a commit on a branch of a (bare or not) repository: path → content. */
export async function readTree(repo: string, ref: string): Promise<Record<string, string>> {
  const names = (await git(repo, 'ls-tree', '-r', '--name-only', ref)).split('\n').filter(Boolean);
  const files: Record<string, string> = {};
  for (const name of names) files[name] = await git(repo, 'show', `${ref}:${name}`);
  return files;
}

/** Polls `check` until it returns true or the time runs out. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 20) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/**
 * A real smart-HTTP git server: node's http server in front of `git http-backend` (CGI), serving
 * every repository under `projectRoot`. With `token`, requests must carry Basic auth whose password
 * is the token (any user name), otherwise 401 — what GitHub/GitLab answer for bad credentials.
 */
export async function startGitHttpServer(options: {
  projectRoot: string;
  token?: string;
  /** Answer each request this much later (keeps git's helper processes alive long enough to be seen). */
  delayMs?: number;
}): Promise<{
  url: string;
  requests: string[];
  close(): Promise<void>;
}> {
  const { createServer } = await import('node:http');
  const { spawn } = await import('node:child_process');
  const backend = (await exec('git', ['--exec-path'])).stdout.trim();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    if (options.delayMs) {
      req.pause();
      setTimeout(() => serve(req, res), options.delayMs);
    } else serve(req, res);
  });
  const serve = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (options.token) {
      const header = req.headers.authorization ?? '';
      const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString() : '';
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (password !== options.token) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        req.resume();
        return;
      }
    }
    const child = spawn(join(backend, 'git-http-backend'), [], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        REQUEST_METHOD: req.method ?? 'GET',
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'test',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const headerText = output.subarray(0, split).toString();
      const body = output.subarray(split + 4);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerText.split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else if (name) headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(body);
    });
  };
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
