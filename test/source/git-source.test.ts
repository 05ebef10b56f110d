import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../controller/config.js';
import { SourceError } from '../../controller/errors.js';
import { silentLogger } from '../../controller/log.js';
import { createSource, type GitSource, type Source } from '../../controller/source/index.js';
import { createRepo, git, startGitHttpServer, type TestRepo, tempDir, waitFor } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';

const WEB = 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';

describe('git source', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;
  const sources: Source[] = [];

  beforeEach(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/cluster.yaml': WEB, 'README.md': '# fleet\n' }, 'first: the fleet');
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
    await base.cleanup();
  });

  function config(overrides: Partial<SourceConfig> = {}): SourceConfig {
    return {
      repo: repo.remote,
      branch: 'main',
      dir: 'manifests',
      cacheDir: join(base.path, 'cache'),
      pollMs: 40,
      ...overrides,
    };
  }

  function open(overrides: Partial<SourceConfig> = {}, logger = silentLogger()): GitSource {
    const source = createSource(config(overrides), logger, { backoffMaxMs: 400 });
    sources.push(source);
    return source as GitSource;
  }

  async function failureOf(source: Source): Promise<SourceError & { reason: string }> {
    const error = await source.fetch().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError & { reason: string };
  }

  it('given a remote, when fetched, then the snapshot is the head commit with the manifests of --dir', async () => {
    const source = open();
    const head = await repo.head();

    const { snapshot, changed } = await source.fetch();

    expect(changed).toBe(true);
    expect(snapshot.revision).toBe(head);
    expect(snapshot.root).toBe(join(source.cacheDirectory, 'manifests'));
    expect(snapshot.files.map((f) => [f.path, String(f.content)])).toEqual([['cluster.yaml', WEB]]);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.commit).toMatchObject({
      sha: head,
      message: 'first: the fleet',
      author: 'Test Author <author@example.com>',
    });
    expect(Math.abs(snapshot.commit!.committedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(source.status()).toMatchObject({
      type: 'git',
      url: repo.remote,
      branch: 'main',
      revision: head,
      commitMessage: 'first: the fleet',
      condition: { type: 'Source', status: 'True', reason: 'Fetched' },
    });
    expect((await source.fetch()).changed).toBe(false);
  });

  it('given a new commit, when fetched again, then the new revision and content are returned', async () => {
    const source = open();
    await source.fetch();
    const next = await repo.commit({ 'manifests/cluster.yaml': WEB.replace('{}', '{tags: {a: b}}') });

    const { snapshot, changed } = await source.fetch();

    expect(changed).toBe(true);
    expect(snapshot.revision).toBe(next);
    expect(String(snapshot.files[0]?.content)).toContain('tags');
  });

  it('given a force-push that rewrites history, when fetched, then the rewritten head is followed', async () => {
    const source = open();
    await source.fetch();
    await repo.commit({ 'manifests/old.yaml': WEB.replace('prod', 'old') });
    await source.fetch();

    const rewritten = await repo.forcePush({ 'manifests/new.yaml': WEB.replace('prod', 'new') }, 'rewrite');
    const { snapshot } = await source.fetch();

    expect(snapshot.revision).toBe(rewritten);
    expect(snapshot.files.map((f) => f.path)).toEqual(['new.yaml']);
    expect(await git(source.cacheDirectory, 'status', '--porcelain')).toBe('');
  });

  it('given the remote disappears, when fetched, then RemoteUnreachable is reported and it recovers when the remote returns', async () => {
    const source = open();
    const first = await source.fetch();
    await rename(repo.remote, `${repo.remote}.gone`);

    const failure = await failureOf(source);

    expect(failure.reason).toBe('RemoteUnreachable');
    expect(failure.message).toContain(repo.remote);
    expect(source.status().condition).toMatchObject({ status: 'False', reason: 'RemoteUnreachable' });
    expect(source.status().revision).toBe(first.snapshot.revision);

    await rename(`${repo.remote}.gone`, repo.remote);
    const again = await source.fetch();
    expect(again.snapshot.revision).toBe(first.snapshot.revision);
    expect(again.changed).toBe(false);
    expect(source.status().condition).toMatchObject({ status: 'True', reason: 'Fetched' });
    expect(source.status().lastFetchError).toBeUndefined();
  });

  it('given a branch that does not exist, when fetched, then BranchNotFound is reported', async () => {
    const source = open({ branch: 'nope' });
    expect((await failureOf(source)).reason).toBe('BranchNotFound');
    expect(source.status().condition.reason).toBe('BranchNotFound');
  });

  it('given an https remote answering 401, when the token is wrong, then AuthenticationFailed; with the right token it fetches, and the token is never stored', async () => {
    const server = await startGitHttpServer({ projectRoot: base.path, token: 'right-token' });
    try {
      const url = `${server.url}/remote.git`;
      const bad = open({ repo: url, gitToken: 'wrong-token' });
      const failure = await failureOf(bad);
      expect(failure.reason).toBe('AuthenticationFailed');
      expect(JSON.stringify(bad.status())).not.toContain('wrong-token');
      expect(failure.message).not.toContain('wrong-token');

      const anonymous = open({ repo: url, cacheDir: join(base.path, 'cache-anon') });
      expect((await failureOf(anonymous)).reason).toBe('AuthenticationFailed');

      const good = open({ repo: url, gitToken: 'right-token', cacheDir: join(base.path, 'cache-good') });
      const { snapshot } = await good.fetch();
      expect(snapshot.revision).toBe(await repo.head());
      const cacheConfig = await readFile(join(good.cacheDirectory, '.git', 'config'), 'utf8');
      expect(cacheConfig).toContain(url);
      expect(cacheConfig).not.toContain('right-token');
      expect(cacheConfig).not.toMatch(/extraheader/i);
    } finally {
      await server.close();
    }
  });

  it('given a corrupt cache, when fetched, then it is cloned again and that is reported', async () => {
    const { logger, lines } = captureLogger();
    const source = open({}, logger);
    await source.fetch();
    await writeFile(join(source.cacheDirectory, '.git', 'HEAD'), 'garbage\n');
    await rm(join(source.cacheDirectory, '.git', 'objects'), { recursive: true, force: true });
    const next = await repo.commit({ 'manifests/more.yaml': WEB.replace('prod', 'more') });

    const { snapshot } = await source.fetch();

    expect(snapshot.revision).toBe(next);
    expect(source.status().condition).toMatchObject({ status: 'True', reason: 'CacheRecloned' });
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('corrupt'))).toBe(true);
  });

  it('given a cache whose objects were deleted, when fetched, then the corruption is detected and healed', async () => {
    const source = open();
    await source.fetch();
    await rm(join(source.cacheDirectory, '.git', 'objects'), { recursive: true, force: true });

    const { snapshot } = await source.fetch();

    expect(snapshot.revision).toBe(await repo.head());
    expect(snapshot.files).toHaveLength(1);
    expect(source.status().condition.reason).toBe('CacheRecloned');
  });

  it("given the project's own non-bare checkout as --repo, when fetched, then its commits are read and its working tree is untouched", async () => {
    await writeFile(join(repo.work, 'manifests', 'draft.yaml'), 'uncommitted\n');
    const before = await git(repo.work, 'status', '--porcelain');
    const source = open({ repo: repo.work });

    const { snapshot } = await source.fetch();

    expect(snapshot.revision).toBe(await repo.head());
    expect(snapshot.files.map((f) => f.path)).toEqual(['cluster.yaml']);
    expect(await git(repo.work, 'status', '--porcelain')).toBe(before);
  });

  it('given a --dir missing from the revision, when fetched, then the revision carries a problem instead of looking empty', async () => {
    const source = open({ dir: 'nowhere' });
    const { snapshot } = await source.fetch();
    expect(snapshot.files).toEqual([]);
    expect(snapshot.problems[0]?.message).toContain('does not exist');
  });

  describe('watch', () => {
    it('given a watcher, when a commit is pushed, then onChange fires within a poll interval', async () => {
      const source = open();
      await source.fetch();
      let calls = 0;
      const stop = source.watch(() => {
        calls += 1;
      });
      await new Promise((done) => setTimeout(done, 150));
      expect(calls).toBe(0);

      await repo.commit({ 'manifests/x.yaml': WEB.replace('prod', 'x') });
      await waitFor(() => calls > 0, 3000);
      stop();
    });

    it('given an unchanged remote, when polled, then each poll is a single ls-remote (no fetch)', async () => {
      const server = await startGitHttpServer({ projectRoot: base.path });
      try {
        const source = open({ repo: `${server.url}/remote.git`, pollMs: 30 });
        await source.fetch();
        const before = server.requests.length;
        const stop = source.watch(() => undefined);
        // Wait for polls rather than a fixed time: a loaded machine makes each ls-remote slower.
        const advertisements = () =>
          server.requests.slice(before).filter((r) => r.startsWith('GET') && r.includes('info/refs'));
        await waitFor(() => advertisements().length >= 3, 15_000);
        stop();
        await new Promise((done) => setTimeout(done, 100));
        const polls = server.requests.slice(before);
        const infoRefs = polls.filter((r) => r.startsWith('GET') && r.includes('info/refs'));
        expect(infoRefs.length).toBeGreaterThanOrEqual(3);
        // Protocol v2: one advertisement GET plus one ls-refs POST per poll; never a pack download.
        expect(polls.length).toBeLessThanOrEqual(infoRefs.length * 2);
        const cacheHead = await git(source.cacheDirectory, 'rev-parse', 'HEAD');
        expect(cacheHead).toBe(await repo.head());
      } finally {
        await server.close();
      }
    });

    it('given the remote fails while watched, when polling, then it backs off exponentially and recovers when the remote returns', async () => {
      const { logger, lines } = captureLogger();
      const source = open({}, logger);
      await source.fetch();
      const changes: number[] = [];
      const stop = source.watch(() => changes.push(Date.now()));
      await rename(repo.remote, `${repo.remote}.gone`);
      await waitFor(() => lines.filter((l) => l.retryInMs !== undefined).length >= 4, 5000);
      const delays = lines.filter((l) => l.retryInMs !== undefined).map((l) => Number(l.retryInMs));
      // pollMs 40, doubling, full jitter in [base/2, base], capped at backoffMaxMs 400.
      expect(delays[0]).toBeGreaterThanOrEqual(20);
      expect(delays[0]).toBeLessThanOrEqual(40);
      expect(delays[3]).toBeGreaterThanOrEqual(160);
      expect(delays[3]).toBeLessThanOrEqual(320);
      expect(source.status().condition).toMatchObject({ status: 'False', reason: 'RemoteUnreachable' });

      await rename(`${repo.remote}.gone`, repo.remote);
      await waitFor(() => source.status().condition.status === 'True', 3000);
      expect(changes).toEqual([]);
      const next = await repo.commit({ 'manifests/y.yaml': WEB.replace('prod', 'y') });
      await waitFor(() => changes.length > 0, 3000);
      expect((await source.fetch()).snapshot.revision).toBe(next);
      stop();
    });

    it('given a long poll interval, when triggered (webhook), then the new revision is noticed at once', async () => {
      const source = open({ pollMs: 3_600_000 });
      await source.fetch();
      let calls = 0;
      source.watch(() => {
        calls += 1;
      });
      await repo.commit({ 'manifests/z.yaml': WEB.replace('prod', 'z') });
      const started = Date.now();

      source.trigger();

      await waitFor(() => calls === 1, 2000);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });
});
