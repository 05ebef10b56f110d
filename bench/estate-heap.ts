// Where `run`'s memory goes at the estate's size: the in-sync estate, `run` after its first passes,
// its RSS and a V8 heap snapshot (written on SIGUSR2), summarized by what holds the bytes.
// Run: npx tsx bench/estate-heap.ts [--size N] [--compiled] [--keep] [--sample S] [--node-flags "--v8-flag …"]
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
  percentile,
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
// Seconds of RSS samples after ready (`--sample S`): the default covers one resync pass.
const sampleIndex = process.argv.indexOf('--sample');
const samplingSeconds = sampleIndex >= 0 ? Number(process.argv[sampleIndex + 1]) : 75;
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
    // The default resync (60 s): a full pass, then the controller waits, as it does in production.
    ['--repo', repo.dir, '--resync', '60s', '--poll', '60s', '--cache-dir', `${repo.dir}/../cache-run`],
    emulator.url,
    { nodeArgs: [...nodeFlags, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${diagnostics}`] },
  );
  try {
    await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 100);
    const atReady = await run.rss();
    // Sampled every second through a resync pass and the wait after it (the steady state the RSS
    // goal is about): one sample says more about when V8 last collected than about what is held.
    const samples: number[] = [];
    const heaps: number[] = [];
    const until = performance.now() + samplingSeconds * 1000;
    while (performance.now() < until) {
      await sleep(1000);
      samples.push((await run.rss()).currentMb);
      heaps.push((await run.heap()).heapUsedMb);
    }
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
    const median = (values: number[]) => percentile(values, 50).toFixed(0);
    process.stdout.write(
      `RSS at ready ${atReady.currentMb.toFixed(0)} MB; over the next ${samplingSeconds} s (a resync pass and the wait after it) median ${median(samples)} MB, max ${Math.max(...samples).toFixed(0)} MB; peak since start ${rss.peakMb.toFixed(0)} MB\nV8 heap used: median ${median(heaps)} MB; at the end ${heap.heapUsedMb.toFixed(0)} of ${heap.heapTotalMb.toFixed(0)} MB, external ${heap.externalMb.toFixed(0)} MB; snapshot (live objects only) ${mb(summary.total)}\n\n`,
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
