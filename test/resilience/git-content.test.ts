// Defect 2 of issue 11: what the loader cannot read must reject the revision, never read as "fewer
// resources". A Git submodule (gitlink) or an LFS pointer under --dir, with prune on, used to make
// the manifests inside it vanish from desired state — and prune deleted their resources.
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { createRepo, git, tempDir } from '../helpers/git.js';
import { commitAndSync, exampleFiles, type Harness, useConvergedHarness, waitForStatus } from './support.js';

const LFS_POINTER = [
  'version https://git-lfs.github.com/spec/v1',
  'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393',
  'size 2051',
  '',
].join('\n');

const start = useConvergedHarness();

async function workerStatus(h: Harness): Promise<string | undefined> {
  const out = await h.emulator.ecs.send(
    new DescribeServicesCommand({ cluster: 'batch-prod', services: ['worker'] }),
  );
  return out.services?.[0]?.status;
}

/** Waits for the pass over `revision`; returns the problems it was rejected with (none: accepted). */
async function rejection(h: Harness, revision: string): Promise<readonly string[]> {
  h.app.reconciler.requestSync('test');
  const snapshot = await waitForStatus(h.app, (s) => s.overall.lastAttemptedRevision === revision, 20_000);
  const rejected = snapshot.overall.rejectedRevision;
  return rejected?.revision === revision ? rejected.problems : [];
}

describe('a revision the loader cannot fully read is rejected, with prune on', () => {
  it('given the worker manifests moved into a Git submodule under --dir, then the revision is rejected naming the submodule, and nothing is pruned', async () => {
    const harness = await start({ prune: true, pruneMax: '100%' });
    const applied = harness.app.store.snapshot().overall.lastAppliedRevision;

    // given a second repository holding worker.yaml, added as a submodule at manifests/team
    const team = await tempDir('ecs-gitops-submodule-');
    try {
      const teamRepo = await createRepo(team.path);
      const files = await exampleFiles('');
      await teamRepo.commit({ 'worker.yaml': files['worker.yaml'] ?? '' }, 'worker lives here now');
      const work = harness.repo.work;
      await git(work, 'rm', '--quiet', 'manifests/worker.yaml');
      await git(
        work,
        '-c',
        'protocol.file.allow=always',
        'submodule',
        'add',
        '--quiet',
        teamRepo.remote,
        'manifests/team',
      );
      await git(work, 'commit', '--quiet', '-m', 'worker moves into a submodule');
      await git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
      const revision = await harness.repo.head();

      // when the controller sees it
      const problems = await rejection(harness, revision);
      // then the problem names the path and the reason, the last good revision stays, the worker stays
      expect(problems.join('\n')).toMatch(/manifests\/team.*submodule/);
      const after = harness.app.store.snapshot();
      expect(after.overall.lastAppliedRevision).toBe(applied);
      expect(after.resources.map((r) => r.key)).toContain('Service/worker');
      expect(await workerStatus(harness)).toBe('ACTIVE');
      expect(harness.logs.some((l) => /DeleteService|deleted service/.test(JSON.stringify(l)))).toBe(false);
    } finally {
      await team.cleanup();
    }
  });

  it('given worker.yaml replaced by a Git LFS pointer, then the revision is rejected naming the file as an LFS pointer, and nothing is pruned', async () => {
    const harness = await start({ prune: true, pruneMax: '100%' });

    // when worker.yaml is committed through LFS (the checkout holds the pointer, not the YAML)
    const revision = await commitAndSync(
      harness,
      { 'manifests/worker.yaml': LFS_POINTER },
      'track yaml in LFS',
    );
    const problems = await rejection(harness, revision);

    // then the problem says what the file is; the worker is not deleted
    expect(problems.join('\n')).toMatch(/manifests\/worker\.yaml:1:1: .*Git LFS pointer/);
    expect(await workerStatus(harness)).toBe('ACTIVE');
  });
});
