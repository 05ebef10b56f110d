// The git commands a new revision costs. Each is a process (tens of milliseconds on a loaded
// machine), and commit → UpdateService waits for all of them, so their number is pinned here.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import { createSource, type GitSource } from '../../controller/source/index.js';
import { createRepo, type TestRepo, tempDir, waitFor } from '../helpers/git.js';
import { type GitCommandLog, logGitCommands } from '../helpers/git-commands.js';
import { captureLogger } from '../helpers/log-capture.js';

const CLUSTER = (name: string) =>
  `apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: ${name}}\nspec: {}\n`;

describe('git commands per revision', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;
  let log: GitCommandLog;
  const sources: GitSource[] = [];

  beforeEach(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/prod.yaml': CLUSTER('prod') }, 'fleet');
    log = await logGitCommands();
    log.install();
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
    await log.close();
    await base.cleanup();
  });

  function open(pollMs = 3_600_000, logger = silentLogger()): GitSource {
    const source = createSource(
      { repo: repo.remote, branch: 'main', dir: 'manifests', cacheDir: join(base.path, 'cache'), pollMs },
      logger,
    ) as GitSource;
    sources.push(source);
    return source;
  }

  /** The subcommands run by `action`. */
  async function commandsOf(action: () => Promise<unknown>): Promise<string[]> {
    const before = (await log.commands()).length;
    await action();
    return (await log.commands()).slice(before).map((line) => line.split(' ')[0] ?? '');
  }

  it('given a push that names the new head, when the source fetches, then five commands and no ls-remote or clean', async () => {
    const source = open();
    await source.fetch();
    const next = await repo.commit({ 'manifests/staging.yaml': CLUSTER('staging') });

    source.pushed('refs/heads/main', next);
    let revision = '';
    const commands = await commandsOf(async () => {
      revision = (await source.fetch()).snapshot.revision;
    });

    expect(revision).toBe(next);
    expect(commands).toEqual(['rev-parse', 'fetch', 'reset', 'log', 'ls-tree']);
  });

  it('given a new commit nobody announced, when the source fetches, then it asks the remote first and still does not clean', async () => {
    const source = open();
    await source.fetch();
    await repo.commit({ 'manifests/staging.yaml': CLUSTER('staging') });

    const commands = await commandsOf(() => source.fetch());

    expect(commands).toEqual(['ls-remote', 'rev-parse', 'fetch', 'reset', 'log', 'ls-tree']);
  });

  it('given a push to another branch, when the source fetches, then it asks the remote (the push says nothing of main)', async () => {
    const source = open();
    await source.fetch();

    source.pushed('refs/heads/feature', 'f'.repeat(40));
    const commands = await commandsOf(() => source.fetch());

    expect(commands).toEqual(['ls-remote', 'rev-parse']);
  });

  it('given a poll that saw the new head, when the pass fetches, then the remote is not asked twice', async () => {
    const source = open();
    await source.fetch();
    let told = 0;
    const stop = source.watch(() => {
      told += 1;
    });
    await repo.commit({ 'manifests/staging.yaml': CLUSTER('staging') });

    const commands = await commandsOf(async () => {
      source.trigger(); // one poll now (the interval is an hour away)
      await waitFor(() => told > 0, 10_000);
      stop();
      await source.fetch();
    });

    expect(commands).toEqual(['ls-remote', 'rev-parse', 'fetch', 'reset', 'log', 'ls-tree']);
  });

  it('given a pass that has not fetched the new head yet, when the source polls again and again, then it logs the new revision once (and once for the next)', async () => {
    const { logger, lines } = captureLogger();
    const source = open(3_600_000, logger);
    await source.fetch();
    let told = 0;
    const stop = source.watch(() => {
      told += 1;
    });
    const poll = async () => {
      const before = told;
      source.trigger(); // one poll now (the interval is an hour away)
      await waitFor(() => told > before, 10_000);
    };
    const logged = () =>
      lines.filter((l) => l.msg === 'source: new revision on the remote').map((l) => l.revision);

    // when a commit lands and three polls see it while nothing fetched it (a long pass runs)
    const first = await repo.commit({ 'manifests/staging.yaml': CLUSTER('staging') });
    await poll();
    await poll();
    await poll();
    // then the watchers were told each time, and it was logged once
    expect(told).toBe(3);
    expect(logged()).toEqual([first]);

    // when the next commit lands before the pass fetched either, then that one is logged once too
    const second = await repo.commit({ 'manifests/dev.yaml': CLUSTER('dev') });
    await poll();
    await poll();
    stop();
    expect(logged()).toEqual([first, second]);
  });

  it('given a stray manifest left in the cache, when a new revision is fetched, then it is cleaned away and not read', async () => {
    const { logger, lines } = captureLogger();
    const source = open(3_600_000, logger);
    await source.fetch();
    await writeFile(join(source.cacheDirectory, 'manifests', 'stray.yaml'), CLUSTER('stray'));
    const next = await repo.commit({ 'manifests/staging.yaml': CLUSTER('staging') });

    source.pushed('refs/heads/main', next);
    const { snapshot } = await source.fetch();

    expect(snapshot.files.map((f) => f.path)).toEqual(['prod.yaml', 'staging.yaml']);
    expect(lines.some((l) => l.level === 40 && l.file === 'manifests/stray.yaml')).toBe(true);
  });
});
