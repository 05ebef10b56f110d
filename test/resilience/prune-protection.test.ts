// Defect 1 of issue 11: `ecs-gitops/prune: disabled` must protect a resource after its manifest has
// left Git. The annotation is recorded on the resource as the tag `ecs-gitops/prune=disabled`; the
// prune path (apply --prune and run --prune) refuses to delete anything carrying it.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cluster, DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import {
  allSyncedAndHealthy,
  EXAMPLES,
  exampleFiles,
  type Harness,
  startHarness,
  waitForStatus,
} from '../e2e/harness.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { sink } from '../helpers/text-sink.js';

const PRUNE_TAG = 'ecs-gitops/prune';

/** clusters.yaml with only its first document (`prod`): the `batch` Cluster manifest leaves Git. */
function withoutBatchCluster(clusters: string): string {
  const [prod] = clusters.split('\n---\n');
  return `${prod}\n`;
}

async function cluster(emulator: TestEmulator, name: string) {
  const out = await emulator.ecs.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] }));
  return out.clusters?.[0];
}

function tagsOf(resource: Pick<Cluster, 'tags'> | undefined): Record<string, string> {
  return Object.fromEntries((resource?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
}

// The SDK's default credential chain reads the process environment.
process.env.AWS_ACCESS_KEY_ID ??= TEST_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= TEST_CREDENTIALS.secretAccessKey;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('prune protection survives the manifest leaving Git', () => {
  it('apply --prune: the annotated batch cluster is tagged, kept when its manifest is removed, and prunable once the annotation is removed', async () => {
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 100 } });
    cleanup.push(() => emulator.close());
    const dir = await mkdtemp(join(tmpdir(), 'prune-protection-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await cp(EXAMPLES, dir, { recursive: true });
    const cli = async (...args: string[]) => {
      const out = sink();
      const err = sink();
      const code = await runCli(['apply', '--path', dir, '--endpoint-url', emulator.url, ...args], {
        stdout: out.stream,
        stderr: err.stream,
        env: {
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'us-east-1',
        },
        cwd: dir,
        stopSignal: new AbortController().signal,
      });
      return { code, stdout: out.text(), stderr: err.text() };
    };

    // given the example fleet applied: the batch cluster carries `ecs-gitops/prune: disabled`
    const first = await cli();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(tagsOf(await cluster(emulator, 'batch-prod'))[PRUNE_TAG]).toBe('disabled');
    expect(tagsOf(await cluster(emulator, 'prod'))[PRUNE_TAG]).toBeUndefined();

    // when the batch cluster and what runs in it (the worker, the nightly job) leave Git, applied with --prune
    const clusters = join(dir, 'clusters.yaml');
    const original = await readFile(clusters, 'utf8');
    await writeFile(clusters, withoutBatchCluster(original));
    await rm(join(dir, 'worker.yaml'));
    await rm(join(dir, 'nightly-report.yaml'));
    const pruned = await cli('--prune', '--prune-confirm');
    // then the worker goes, the protected cluster stays, and the output says why
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/Service\/worker deleted/);
    expect(pruned.stdout).toMatch(/ecs-gitops\/prune=disabled/);
    expect((await cluster(emulator, 'batch-prod'))?.status).toBe('ACTIVE');

    // when the cluster comes back without the annotation, the tag is removed from it
    await writeFile(
      clusters,
      original.replace(/\n {2}annotations:\n {4}ecs-gitops\/prune: disabled.*\n/, '\n'),
    );
    expect((await cli()).code).toBe(0);
    expect(tagsOf(await cluster(emulator, 'batch-prod'))[PRUNE_TAG]).toBeUndefined();
    // and once it leaves Git again, prune may delete it
    await writeFile(clusters, withoutBatchCluster(original));
    const second = await cli('--prune', '--prune-confirm');
    expect(second.code).toBe(0);
    expect((await cluster(emulator, 'batch-prod'))?.status).toBe('INACTIVE');
  });

  it('run --prune: the bundled batch cluster is kept when its manifest is removed', async () => {
    let harness: Harness | undefined;
    cleanup.push(() => harness?.close());
    harness = await startHarness({ prune: true, pruneMax: '100%' });
    await waitForStatus(harness.app, (s) => allSyncedAndHealthy(s), 30_000);
    expect(tagsOf(await cluster(harness.emulator, 'batch-prod'))[PRUNE_TAG]).toBe('disabled');

    // when the batch cluster and what runs in it (the worker service, the nightly job) leave Git
    const files = await exampleFiles();
    const revision = await harness.repo.commit(
      { 'manifests/clusters.yaml': withoutBatchCluster(files['manifests/clusters.yaml'] ?? '') },
      'retire the batch tier',
      { remove: ['manifests/worker.yaml', 'manifests/nightly-report.yaml'] },
    );
    harness.app.reconciler.requestSync('test');
    // then the worker service is pruned, the cluster is kept and reported as protected
    const snapshot = await waitForStatus(
      harness.app,
      (s) =>
        s.overall.lastAttemptedRevision === revision &&
        !s.resources.some((r) => r.key === 'Service/worker') &&
        s.resources.some((r) => r.key === 'Cluster/batch-prod'),
      30_000,
    );
    const kept = snapshot.resources.find((r) => r.key === 'Cluster/batch-prod');
    expect(JSON.stringify(kept)).toMatch(/ecs-gitops\/prune=disabled/);
    const worker = await harness.emulator.ecs.send(
      new DescribeServicesCommand({ cluster: 'batch-prod', services: ['worker'] }),
    );
    expect(worker.services?.[0]?.status).not.toBe('ACTIVE');
    // a few more passes change nothing: the cluster stays
    const passes = harness.app.reconciler.passes;
    await waitForStatus(harness.app, () => harness.app.reconciler.passes >= passes + 2, 15_000);
    expect((await cluster(harness.emulator, 'batch-prod'))?.status).toBe('ACTIVE');
  });
});
