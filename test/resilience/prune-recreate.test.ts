// Defect 5 of issue 11: a pruned Cluster whose metadata.name differs from its clusterName (the
// bundled `batch` → `batch-prod`) must be created again when its manifest returns: an INACTIVE cluster
// is absent, the return of a manifest is a Git change (not drift), and the services in it recover in
// the same running controller, without a restart.
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import {
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

describe('a pruned cluster comes back with its manifest', () => {
  it('given the batch cluster (clusterName batch-prod) and its worker pruned, when both manifests return, then the cluster is recreated, the worker is Healthy again and no drift is reported', async () => {
    const h = await start({ prune: true, pruneMax: '100%' });
    const files = await exampleFiles();
    const clusters = (files['manifests/clusters.yaml'] ?? '').replace(
      /\n {2}annotations:\n {4}ecs-gitops\/prune: disabled.*\n/,
      '\n',
    );
    const [prodOnly] = clusters.split('\n---\n');
    const unprotected = await commitAndSync(
      h,
      { 'manifests/clusters.yaml': clusters },
      'batch may be pruned',
    );
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === unprotected && allSyncedAndHealthy(s),
      30_000,
    );

    // given the batch tier (the worker, the nightly job) leaves Git and is pruned
    const removed = await commitAndSync(h, { 'manifests/clusters.yaml': `${prodOnly}\n` }, 'retire batch', {
      remove: ['manifests/worker.yaml', 'manifests/nightly-report.yaml'],
    });
    await waitForStatus(
      h.app,
      (s) =>
        // the batch cluster, the worker's task definition and service, the nightly job's are gone
        s.overall.lastAppliedRevision === removed && s.resources.length === EXAMPLE_RESOURCES - 5,
      30_000,
    );
    const gone = await h.emulator.ecs.send(new DescribeClustersCommand({ clusters: ['batch-prod'] }));
    expect(gone.clusters?.[0]?.status).toBe('INACTIVE');
    const eventsBefore = h.app.events.recent({ limit: 1000 }).length;

    // when the manifests return
    const restored = await commitAndSync(
      h,
      {
        'manifests/clusters.yaml': clusters,
        'manifests/worker.yaml': files['manifests/worker.yaml'] ?? '',
        'manifests/nightly-report.yaml': files['manifests/nightly-report.yaml'] ?? '',
      },
      'batch is back',
    );
    // then everything converges in this same process
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === restored && allSyncedAndHealthy(s),
      30_000,
    );
    const back = await h.emulator.ecs.send(new DescribeClustersCommand({ clusters: ['batch-prod'] }));
    expect(back.clusters?.[0]?.status).toBe('ACTIVE');
    const events = h.app.events.recent({ limit: 1000 });
    const since = events.slice(eventsBefore);
    expect(events.length).toBeGreaterThan(eventsBefore);
    expect(since.filter((e) => e.type === 'DriftDetected' || e.type === 'SyncFailed')).toEqual([]);
  }, 90_000);
});
