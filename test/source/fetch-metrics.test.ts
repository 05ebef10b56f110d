// git_fetch_total counts every look at the remote: polls and fetches, unchanged and failed ones too.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import { createMetrics, type Metrics } from '../../controller/server/metrics.js';
import { createSource, type Source } from '../../controller/source/index.js';
import { createRepo, type TestRepo, tempDir, waitFor } from '../helpers/git.js';

const CLUSTER = 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';

async function count(metrics: Metrics, result: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`ecs_gitops_git_fetch_total{result="${result}"}`));
  return Number(line?.split(' ')[1] ?? 0);
}

describe('git_fetch_total', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;
  let source: Source | undefined;
  let metrics: Metrics;

  beforeEach(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/cluster.yaml': CLUSTER }, 'fleet');
    metrics = createMetrics({ defaultMetrics: false });
    source = createSource(
      { repo: repo.remote, branch: 'main', dir: 'manifests', cacheDir: join(base.path, 'cache'), pollMs: 30 },
      silentLogger(),
      { backoffMaxMs: 60, onCheck: (result) => metrics.recordGitFetch(result) },
    );
  });
  afterEach(async () => {
    await source?.close();
    await base.cleanup();
  });

  it('given a fetched source, when the remote does not move, then every poll counts as unchanged', async () => {
    await source!.fetch();
    expect(await count(metrics, 'success')).toBe(1);
    // when the poller looks again and again at an unchanged remote
    source!.watch(() => undefined);
    await waitFor(async () => (await count(metrics, 'unchanged')) >= 3);
    // and a fetch of the same revision is "unchanged" too, not a new success
    await source!.fetch();
    expect(await count(metrics, 'success')).toBe(1);
    expect(await count(metrics, 'failure')).toBe(0);
  });

  it('given a fetched source, when the remote goes down, then every failed poll and fetch counts', async () => {
    await source!.fetch();
    // when the remote disappears
    await rename(repo.remote, `${repo.remote}.gone`);
    source!.watch(() => undefined);
    await waitFor(async () => (await count(metrics, 'failure')) >= 3);
    await expect(source!.fetch()).rejects.toThrow();
    const failures = await count(metrics, 'failure');
    // then the failures keep counting while nothing new succeeds
    expect(failures).toBeGreaterThanOrEqual(4);
    expect(await count(metrics, 'success')).toBe(1);
    // and when it comes back, polls count as unchanged again
    await rename(`${repo.remote}.gone`, repo.remote);
    await waitFor(async () => (await count(metrics, 'unchanged')) >= 1, 5000);
  });
});
