// A password written into the repository URL (--repo or ECS_GITOPS_REPO) never reaches a command
// line: not git's, not git's remote helpers', not ours. Another user of the machine reading the
// process list (/proc/*/cmdline) during clone, fetch and push sees the URL without it.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import { createSource, type GitSource } from '../../controller/source/index.js';
import { createStatusBranchWriter } from '../../controller/status/status-branch.js';
import { createRepo, git, startGitHttpServer, type TestRepo, tempDir } from '../helpers/git.js';
import { HAS_PROC, watchProcessList } from '../helpers/process-list.js';
import { resource, snapshotOf } from '../status/fixtures.js';

const PASSWORD = 'pw-Zq81vRt6-secret';
const CLUSTER = 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';
const ROOT = join(import.meta.dirname, '..', '..');

describe.skipIf(!HAS_PROC)('credentials in the repository URL', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  let url: string;

  beforeEach(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/cluster.yaml': CLUSTER }, 'fleet');
    // Slow answers keep git and its remote-http helper alive long enough to be sampled.
    server = await startGitHttpServer({ projectRoot: base.path, token: PASSWORD, delayMs: 150 });
    const { port } = new URL(server.url);
    url = `http://alice:${PASSWORD}@127.0.0.1:${port}/${basename(repo.remote)}`;
  });
  afterEach(async () => {
    await server.close();
    await base.cleanup();
  });

  function gitProcesses(port: string) {
    return watchProcessList(
      (cmdline) => /\bgit\b|remote-http|ecs-gitops/.test(cmdline) && cmdline.includes(port),
    );
  }

  it('given --repo with user:password, when cloning, fetching and pushing status, then no command line carries the password', async () => {
    const { port } = new URL(server.url);
    const watch = gitProcesses(port);
    const cacheDir = join(base.path, 'cache');
    const source = createSource(
      { repo: url, branch: 'main', dir: 'manifests', cacheDir, pollMs: 60_000 },
      silentLogger(),
    ) as GitSource;
    try {
      // when: clone, then fetch a new commit, then push the status branch
      const first = await source.fetch();
      const second = await repo.commit({ 'manifests/cluster.yaml': `${CLUSTER}# moved\n` }, 'move');
      const next = await source.fetch();
      const writer = createStatusBranchWriter({
        repoUrl: url,
        instance: 'prod',
        logger: silentLogger(),
        workDir: join(base.path, 'status-work'),
      });
      const written = await writer.write(snapshotOf([resource('Cluster', 'prod')]));
      // then the credentials worked (they travelled in a header)
      expect(first.snapshot.files.map((f) => f.path)).toEqual(['cluster.yaml']);
      expect(next.snapshot.revision).toBe(second);
      expect(written.committed).toBe(true);
      expect(await git(repo.remote, 'rev-parse', '--verify', 'refs/heads/ecs-gitops/status')).toMatch(
        /^[0-9a-f]{40}$/,
      );
      // and neither the cache's stored remote nor its config holds the password
      expect(await readFile(join(source.cacheDirectory, '.git', 'config'), 'utf8')).not.toContain(PASSWORD);
      expect(source.status().url).not.toContain(PASSWORD);
    } finally {
      await source.close();
      await watch.stop();
    }
    const seen = [...watch.seen];
    // the probe really saw git talking to the server (clone, fetch and push all go through remote-http)
    expect(seen.some((cmdline) => cmdline.includes('remote-http'))).toBe(true);
    expect(seen.filter((cmdline) => / (clone|fetch|push|ls-remote) /.test(cmdline)).length).toBeGreaterThan(
      0,
    );
    for (const cmdline of seen) {
      expect(cmdline).not.toContain(PASSWORD);
      expect(cmdline).not.toContain(encodeURIComponent(PASSWORD));
    }
  }, 60_000);

  it('given ECS_GITOPS_REPO with user:password, when a command clones it, then the process list never shows the password', async () => {
    const { port } = new URL(server.url);
    const watch = gitProcesses(port);
    // when `ecs-gitops diff` clones from the environment's URL (AWS is unreachable: it stops after the clone)
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ecs-gitops.js'), 'diff'], {
      cwd: base.path,
      env: {
        ...process.env,
        ECS_GITOPS_REPO: url,
        ECS_GITOPS_DIR: 'manifests',
        ECS_GITOPS_CACHE_DIR: join(base.path, 'cli-cache'),
        ECS_GITOPS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_MAX_ATTEMPTS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    await watch.stop();
    // then it got as far as AWS (so the clone worked) and nothing it printed or ran shows the password
    expect(code).toBe(2);
    expect(server.requests.some((r) => r.includes('git-upload-pack'))).toBe(true);
    expect(output).not.toContain(PASSWORD);
    const seen = [...watch.seen];
    expect(seen.some((cmdline) => cmdline.includes('remote-http'))).toBe(true);
    for (const cmdline of seen) expect(cmdline).not.toContain(PASSWORD);
  }, 60_000);
});
