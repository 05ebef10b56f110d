import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import { readStatusBranch } from '../../controller/status/read-status-branch.js';
import { createStatusBranchWriter, StatusWriteError } from '../../controller/status/status-branch.js';
import { createRepo, git, readTree, startGitHttpServer, type TestRepo, tempDir } from '../helpers/git.js';
import { resource, snapshotOf } from './fixtures.js';

const BRANCH = 'ecs-gitops/status';

describe('status branch writer', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;

  beforeEach(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/web.yaml': 'kind: Service\n' }, 'fleet');
  });
  afterEach(() => base.cleanup());

  function writer(name = 'a', extra: Partial<Parameters<typeof createStatusBranchWriter>[0]> = {}) {
    return createStatusBranchWriter({
      repoUrl: repo.remote,
      instance: 'prod',
      logger: silentLogger(),
      workDir: join(base.path, `work-${name}`),
      ...extra,
    });
  }

  it('given a snapshot, when written, then the branch holds one file per resource plus the summary', async () => {
    const snapshot = snapshotOf([
      resource('Cluster', 'main'),
      resource('Service', 'web', { sync: 'Drifted' }),
    ]);
    const mainBefore = await git(repo.remote, 'rev-parse', 'main');

    const result = await writer().write(snapshot);

    expect(result.committed).toBe(true);
    expect(await git(repo.remote, 'rev-parse', BRANCH)).toBe(result.sha);
    const files = await readTree(repo.remote, BRANCH);
    expect(Object.keys(files).sort()).toEqual([
      'status/Cluster/main.yaml',
      'status/Service/web.yaml',
      'status/summary.yaml',
    ]);
    expect(files['status/Service/web.yaml']).toContain('sync: Drifted');
    expect(files['status/summary.yaml']).toContain('key: Service/web');
    expect(await git(repo.remote, 'log', '-1', '--format=%an|%s', BRANCH)).toBe(
      `ecs-gitops (prod)|status: prod at ${'a'.repeat(12)}: 1 Synced, 1 Drifted`,
    );
    expect(await git(repo.remote, 'rev-parse', 'main')).toBe(mainBefore);
  });

  it('given a written snapshot, when only timestamps change, then no commit is made', async () => {
    const w = writer();
    const first = await w.write(snapshotOf([resource('Service', 'web', { at: '2025-01-01T00:00:00.000Z' })]));
    const later = snapshotOf([resource('Service', 'web', { at: '2025-01-01T00:05:00.000Z' })], {
      at: '2025-01-01T00:05:00.000Z',
    });
    expect(later).not.toEqual(snapshotOf([resource('Service', 'web')]));

    const second = await w.write(later);

    expect(second).toEqual({ committed: false, sha: first.sha, attempts: 1 });
    expect(await git(repo.remote, 'rev-list', '--count', BRANCH)).toBe('1');
  });

  it('given a status branch whose summary has no fingerprint (older writer or hand edit), when only timestamps change, then files are compared and no commit is made', async () => {
    const w = writer();
    await w.write(snapshotOf([resource('Service', 'web')]));
    const edit = join(base.path, 'edit');
    await git(base.path, 'clone', '--quiet', '--branch', BRANCH, repo.remote, edit);
    const { readFile, writeFile } = await import('node:fs/promises');
    const summary = await readFile(join(edit, 'status/summary.yaml'), 'utf8');
    expect(summary).toMatch(/^fingerprint: sha256:[0-9a-f]{64}$/m);
    await writeFile(join(edit, 'status/summary.yaml'), summary.replace(/^fingerprint: .*\n/m, ''));
    await git(edit, 'commit', '--quiet', '-am', 'hand edit');
    await git(edit, 'push', '--quiet', 'origin', BRANCH);
    const head = await git(repo.remote, 'rev-parse', BRANCH);

    const result = await w.write(
      snapshotOf([resource('Service', 'web', { at: '2025-02-01T00:00:00.000Z' })]),
    );

    expect(result).toEqual({ committed: false, sha: head, attempts: 1 });
    const changed = await w.write(snapshotOf([resource('Service', 'web', { health: 'Degraded' })]));
    expect(changed.committed).toBe(true);
  });

  it('given a written snapshot, when a resource changes state or disappears, then a new commit on top records it', async () => {
    const w = writer();
    const first = await w.write(snapshotOf([resource('Cluster', 'main'), resource('Service', 'web')]));

    const second = await w.write(snapshotOf([resource('Service', 'web', { sync: 'Failed' })]));

    expect(second.committed).toBe(true);
    expect(await git(repo.remote, 'rev-parse', `${BRANCH}^`)).toBe(first.sha);
    const files = await readTree(repo.remote, BRANCH);
    expect(Object.keys(files).sort()).toEqual(['status/Service/web.yaml', 'status/summary.yaml']);
    expect(files['status/Service/web.yaml']).toContain('sync: Failed');
  });

  it("given a user's non-bare checkout, when status is written to it, then its working tree, index and HEAD are untouched", async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(repo.work, 'uncommitted.txt'), 'work in progress\n');
    await writeFile(join(repo.work, 'manifests/web.yaml'), 'kind: Service # edited\n');
    await git(repo.work, 'add', 'manifests/web.yaml');
    const before = {
      status: await git(repo.work, 'status', '--porcelain'),
      head: await git(repo.work, 'rev-parse', 'HEAD'),
      branch: await git(repo.work, 'symbolic-ref', 'HEAD'),
    };

    const result = await writer('local', { repoUrl: repo.work }).write(
      snapshotOf([resource('Service', 'web')]),
    );

    expect(result.committed).toBe(true);
    expect(await git(repo.work, 'rev-parse', BRANCH)).toBe(result.sha);
    expect({
      status: await git(repo.work, 'status', '--porcelain'),
      head: await git(repo.work, 'rev-parse', 'HEAD'),
      branch: await git(repo.work, 'symbolic-ref', 'HEAD'),
    }).toEqual(before);
  });

  it('given another writer pushes first, when the push is rejected, then the commit is rebuilt on the new head', async () => {
    const other = writer('b');
    let raced = false;
    const racing = writer('a', {
      beforePush: async (attempt) => {
        if (attempt === 1 && !raced) {
          raced = true;
          await other.write(snapshotOf([resource('Service', 'api')], { instance: 'other' }));
        }
      },
    });

    const result = await racing.write(snapshotOf([resource('Service', 'web', { sync: 'OutOfSync' })]));

    expect(result.committed).toBe(true);
    expect(result.attempts).toBe(2);
    const log = (await git(repo.remote, 'log', '--format=%s', BRANCH)).split('\n');
    expect(log).toEqual([
      `status: prod at ${'a'.repeat(12)}: 1 OutOfSync`,
      `status: other at ${'a'.repeat(12)}: 1 Synced`,
    ]);
    expect(Object.keys(await readTree(repo.remote, BRANCH))).toContain('status/Service/web.yaml');
  });

  it('given concurrent writers, when they all write at once, then every write lands in one linear history', async () => {
    const writers = ['w1', 'w2', 'w3'].map((name) => writer(name));
    const results = await Promise.all(
      writers.map((w, i) => w.write(snapshotOf([resource('Service', `svc${i}`)], { instance: `i${i}` }))),
    );
    expect(results.every((r) => r.committed)).toBe(true);
    expect(await git(repo.remote, 'rev-list', '--count', BRANCH)).toBe('3');
  });

  it('given a slow push, when passes write faster than it, then only the newest waiting snapshot is written next', async () => {
    // given a push that waits until the test lets it go
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => {
      release = done;
    });
    let pushes = 0;
    const w = writer('slow', {
      beforePush: async () => {
        pushes += 1;
        if (pushes === 1) await held;
      },
    });
    // when five passes write while the first push is held
    const writes = ['Healthy', 'Progressing', 'Degraded', 'Missing', 'Unknown'].map((health) =>
      w.write(snapshotOf([resource('Service', 'web', { health: health as 'Healthy' })])),
    );
    await new Promise((done) => setTimeout(done, 0));
    release();
    const results = await Promise.all(writes);
    // then two commits: the first snapshot, then the newest one; the ones between were superseded
    expect(pushes).toBe(2);
    expect(await git(repo.remote, 'rev-list', '--count', BRANCH)).toBe('2');
    expect((await readTree(repo.remote, BRANCH))['status/Service/web.yaml']).toMatch(/health: Unknown/);
    expect(new Set(results.slice(1).map((r) => r.sha))).toEqual(
      new Set([await git(repo.remote, 'rev-parse', BRANCH)]),
    );
  });

  it('given the branch, when read back, then the snapshot round-trips', async () => {
    const snapshot = snapshotOf([
      resource('Cluster', 'main'),
      resource('Service', 'web', { health: 'Degraded' }),
    ]);
    const written = await writer().write(snapshot);

    const read = await readStatusBranch({ repoUrl: repo.remote, branch: BRANCH });

    expect(read.commit).toBe(written.sha);
    expect(read.snapshot).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });

  it('given an https remote that needs a token, when written with the right and a wrong token, then only the right one pushes and the token never shows', async () => {
    const server = await startGitHttpServer({ projectRoot: base.path, token: 's3cret-token' });
    try {
      const url = `${server.url}/remote.git`;
      const ok = await writer('http', { repoUrl: url, gitToken: 's3cret-token' }).write(
        snapshotOf([resource('Service', 'web')]),
      );
      expect(ok.committed).toBe(true);
      expect(await git(repo.remote, 'rev-parse', BRANCH)).toBe(ok.sha);
      const config = await git(join(base.path, 'work-http'), 'config', '--list', '--local');
      expect(config).not.toContain('s3cret-token');

      const failure = await writer('http-bad', { repoUrl: url, gitToken: 'wrong-token' })
        .write(snapshotOf([resource('Service', 'web', { sync: 'Failed' })]))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StatusWriteError);
      expect(String((failure as Error).message)).toMatch(/Authentication failed|could not read Username/);
      expect(String((failure as Error).message)).not.toContain('wrong-token');
    } finally {
      await server.close();
    }
  });
});

describe('status writer from config', () => {
  it('given a folder source or --no-status-write, when built from config, then there is no writer; given a repo, then it writes there', async () => {
    const { resolveConfig } = await import('../../controller/config.js');
    const { statusWriterFromConfig } = await import('../../controller/status/from-config.js');
    const base = await tempDir();
    try {
      const repo = await createRepo(base.path);
      await repo.commit({ 'a.yaml': 'x: 1\n' });
      expect(
        statusWriterFromConfig(resolveConfig({ path: 'manifests' }, {}), silentLogger()),
      ).toBeUndefined();
      expect(
        statusWriterFromConfig(resolveConfig({ repo: repo.remote, statusWrite: false }, {}), silentLogger()),
      ).toBeUndefined();

      const config = resolveConfig({ repo: 'remote.git', statusBranch: 'ops/status', cacheDir: 'cache' }, {});
      const writer = statusWriterFromConfig(config, silentLogger(), base.path);
      const result = await writer!.write(snapshotOf([resource('Service', 'web')]));

      expect(await git(repo.remote, 'rev-parse', 'ops/status')).toBe(result.sha);
      const { existsSync } = await import('node:fs');
      const { readdirSync } = await import('node:fs');
      expect(existsSync(join(base.path, 'cache'))).toBe(true);
      expect(readdirSync(join(base.path, 'cache'))[0]).toMatch(/^status-[0-9a-f]{16}$/);
    } finally {
      await base.cleanup();
    }
  });
});
