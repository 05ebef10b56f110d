// Where `run`'s memory goes at the estate's size: the in-sync estate, `run` after its first passes,
// its RSS and a V8 heap snapshot (written on SIGUSR2), summarized by what holds the bytes.
// Run: npx tsx bench/estate-heap.ts [--size N] [--compiled] [--keep] [--node-flags "--v8-flag …"]
//      (default 1000 services, the issue's estate; --keep leaves the .heapsnapshot for DevTools)
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEstate } from './estate/generate.js';
import {
  COMPILED,
  desiredOf,
  estateRepo,
  machine,
  nodeFlagsArg,
  seed,
  sizeArg,
  sleep,
  startEmulatorProcess,
  startRun,
  table,
  waitFor,
} from './estate/harness.js';
import { summarizeHeapSnapshot } from './estate/heap-summary.js';

const size = sizeArg(1000);
const keep = process.argv.includes('--keep');
// V8 flags for the controller (e.g. `--node-flags "--max-semi-space-size=2"`), to weigh heap sizing.
const nodeFlags = nodeFlagsArg();
const estate = generateEstate({ services: size });
const emulator = await startEmulatorProcess();
const repo = await estateRepo(estate);
const diagnostics = await mkdtemp(join(tmpdir(), 'ecs-gitops-heap-'));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
try {
  await seed(emulator, await desiredOf(repo, estate));
  await emulator.rateLimits(true);
  const run = await startRun(
    ['--repo', repo.dir, '--resync', '15s', '--poll', '60s', '--cache-dir', `${repo.dir}/../cache-run`],
    emulator.url,
    { nodeArgs: [...nodeFlags, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${diagnostics}`] },
  );
  try {
    await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 100);
    // A resync pass or two after ready: the steady state the RSS goal is about.
    await sleep(35_000);
    const rss = await run.rss();
    const heap = await run.heap();
    process.kill(run.pid, 'SIGUSR2');
    const snapshot = await waitFor(
      'the heap snapshot',
      async () => {
        const names = (await readdir(diagnostics)).filter((n) => n.endsWith('.heapsnapshot'));
        return names[0] ? join(diagnostics, names[0]) : undefined;
      },
      300_000,
      500,
    );
    // The file is complete once the process answers again (writing it blocks the event loop).
    await waitFor(
      'the controller after the snapshot',
      async () => ((await run.ready()) ? true : undefined),
      300_000,
      500,
    );
    const summary = await summarizeHeapSnapshot(snapshot);
    process.stdout.write(
      `Estate: ${estate.clusters.length} clusters × ${size} services, ${estate.resources} resources; \`run\` (${COMPILED ? 'compiled' : 'tsx'}${nodeFlags.length > 0 ? ` ${nodeFlags.join(' ')}` : ''}) after its first passes.\nMachine: ${machine()}\n\n`,
    );
    process.stdout.write(
      `RSS ${rss.currentMb.toFixed(0)} MB (peak ${rss.peakMb.toFixed(0)} MB); V8 heap used ${heap.heapUsedMb.toFixed(0)} of ${heap.heapTotalMb.toFixed(0)} MB, external ${heap.externalMb.toFixed(0)} MB; snapshot ${mb(summary.total)}\n\n`,
    );
    process.stdout.write(
      `${table(
        ['what (self size)', 'count', 'bytes'],
        summary.groups.map((g) => [g.what, String(g.count), mb(g.bytes)]),
      )}\n`,
    );
    if (keep) process.stdout.write(`\nsnapshot kept: ${snapshot}\n`);
  } finally {
    await run.stop();
  }
} finally {
  await emulator.stop();
  await repo.cleanup();
  if (!keep) await rm(diagnostics, { recursive: true, force: true });
}
