// Defect 4 of issue 11, end to end: one 900 KB file of 100,000 tiny YAML documents (under the 1 MiB
// file limit) used to turn into 200,000 problems carried everywhere: a 21.9 MB /api/status, 21.9 MB
// alert bodies and a 22.7 MB status/summary.yaml pushed to the status branch. Now the revision is
// rejected with a bounded list of problems and its count, and every output stays small, while the
// last good revision stays applied.
import { describe, expect, it } from 'vitest';
import { git, waitFor } from '../helpers/git.js';
import {
  alertsOf,
  allSyncedAndHealthy,
  commitAndSync,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();
const KB = 1024;

describe('a 100,000-document file', () => {
  it('given a commit adding 100,000 tiny documents, then it is rejected and /api/status, the alert and the status branch stay small', async () => {
    const h = await start();
    const applied = h.app.store.snapshot().overall.lastAppliedRevision;
    const flood = 'a: 1\n---\n'.repeat(100_000);
    expect(flood.length).toBeLessThan(1024 * KB);

    const revision = await commitAndSync(h, { 'manifests/flood.yaml': flood }, '100,000 documents');
    const rejected = await waitForStatus(
      h.app,
      (s) => s.overall.rejectedRevision?.revision === revision,
      60_000,
    );

    // the last good revision stays applied, and the rejection says why, naming the file
    expect(rejected.overall.lastAppliedRevision).toBe(applied);
    expect(allSyncedAndHealthy(rejected)).toBe(true);
    expect(rejected.overall.rejectedRevision?.problems.join('\n')).toMatch(/manifests\/flood\.yaml/);

    const status = await (await fetch(`${h.app.url}/api/status`)).text();
    expect(status.length).toBeLessThan(64 * KB);
    await waitForStatus(h.app, () => alertsOf(h, 'RevisionRejected').length === 1, 20_000);
    const alert = h.receiver.received.find((r) => r.body.includes('RevisionRejected'));
    expect(alert?.body.length ?? 0).toBeLessThan(32 * KB);

    // the status branch holds the rejection, in small files
    const show = (path: string) => git(h.repo.remote, 'show', `ecs-gitops/status:${path}`).catch(() => '');
    await waitFor(async () => (await show('status/summary.yaml')).includes(revision), 30_000, 100);
    expect((await show('status/summary.yaml')).length).toBeLessThan(64 * KB);
    const tree = await git(h.repo.remote, 'ls-tree', '-r', '-l', 'ecs-gitops/status');
    const sizes = tree.split('\n').map((line) => Number(line.split(/\s+/)[3]));
    expect(Math.max(...sizes)).toBeLessThan(64 * KB);
  }, 120_000);
});
