// The in-sync estate read from outside: calls per resync pass against the lower bound, a cold
// `diff` in a new process, `run` after a restart (calls and time until ready), the controller's RSS,
// and the pure diff time. Emulator in its own process, ECS-shaped rate limits on.
// Run: npx tsx bench/estate-cold-start.ts [--size N] [--compiled] [--node-flags "…"]
//      (N services, default 100; the estate is 1000; --node-flags go to the restarted `run`,
//      e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time to ready goes)

import { createAwsClients } from '../controller/aws/clients.js';
import { diffResources } from '../controller/diff/index.js';
import { readLive } from '../controller/live/index.js';
import { generateEstate } from './estate/generate.js';
import {
  COMPILED,
  desiredOf,
  estateRepo,
  INSTANCE,
  inSyncLowerBound,
  isRead,
  machine,
  nodeFlagsArg,
  Rows,
  runCli,
  seconds,
  seed,
  sizeArg,
  sleep,
  startEmulatorProcess,
  startRun,
  sum,
  table,
  waitFor,
} from './estate/harness.js';

const size = sizeArg(100);
const estate = generateEstate({ services: size });
const emulator = await startEmulatorProcess();
const repo = await estateRepo(estate);
const rows = new Rows();
const bound = inSyncLowerBound(estate);
try {
  const desired = await desiredOf(repo, estate);
  await seed(emulator, desired);
  await emulator.rateLimits(true);
  await sleep(3000); // full buckets

  // Pure diff: parse + diff of the whole estate, in this process, live state read once.
  {
    const clients = createAwsClients(
      { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 8 },
      undefined,
    );
    const parseStart = performance.now();
    const parsed = await desiredOf(repo, estate);
    const parseMs = performance.now() - parseStart;
    const live = await readLive(clients, parsed, { instance: INSTANCE });
    clients.destroy();
    const runs: number[] = [];
    let changed = 0;
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      changed = diffResources(parsed, live, { instance: INSTANCE }).filter((d) => d.action !== 'noop').length;
      runs.push(performance.now() - started);
    }
    rows.push(['parse all manifests (in process)', seconds(parseMs), '', '', '']);
    rows.push([
      `pure diff of ${desired.resources.length} resources (best of 5)`,
      seconds(Math.min(...runs)),
      '',
      '',
      `${changed} changes (must be 0)`,
    ]);
  }
  await sleep(3000);

  // Cold `diff` in a new process.
  await emulator.resetCalls();
  const diff = await runCli([
    'diff',
    '--repo',
    repo.dir,
    '--endpoint-url',
    emulator.url,
    '--cache-dir',
    `${repo.dir}/../cache-diff`,
  ]);
  const diffCalls = await emulator.calls();
  rows.push([
    'cold `diff` (new process)',
    seconds(diff.ms),
    `${sum(diffCalls, isRead)} (${diffCalls['ecs:DescribeTaskDefinition'] ?? 0} DescribeTaskDefinition)`,
    `${bound} (≤ ${Math.floor(bound * 1.1)})`,
    `exit ${diff.code}; peak RSS ${diff.peakMb.toFixed(0)} MB`,
  ]);
  await sleep(3000);

  // `run` after a restart: until /readyz answers 200.
  await emulator.resetCalls();
  const started = performance.now();
  const startedAt = Date.now();
  const run = await startRun(
    [
      '--repo',
      repo.dir,
      // Longer than a pass at any size: the pass counted below runs alone, with nothing of the
      // one before it or after it in the emulator's counters.
      '--resync',
      '60s',
      '--poll',
      '60s',
      '--cache-dir',
      `${repo.dir}/../cache-run`,
      '--log-level',
      'debug',
    ],
    emulator.url,
    { nodeArgs: nodeFlagsArg() },
  );
  await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 50);
  const readyMs = performance.now() - started;
  const readyCalls = await emulator.calls();
  rows.push([
    '`run` restarted: until ready',
    seconds(readyMs),
    `${sum(readyCalls, isRead)} (${readyCalls['ecs:DescribeTaskDefinition'] ?? 0} DescribeTaskDefinition)`,
    `${bound} (≤ ${Math.floor(bound * 1.1)})`,
    `${sum(readyCalls, (op) => !isRead(op))} writes`,
  ]);
  // Where the time to ready went: the process up to its first pass, then the first pass's steps.
  const first = run.passes[0];
  if (first) {
    const passStarted = Date.parse(first.time) - first.durationMs;
    const steps = Object.entries(first.ms)
      .map(([step, ms]) => `${step} ${seconds(ms)}`)
      .join(', ');
    rows.push([
      '`run` restarted: where the time went',
      '',
      '',
      '',
      `${run.passes.length} pass(es) before ready; first pass ${seconds(first.durationMs)} (${steps}), started ${seconds(passStarted - startedAt)} after the process; calls ${JSON.stringify(readyCalls)}`,
    ]);
  }

  // One in-sync resync pass of the running controller, counted alone: the counters are reset
  // right after ready (the first pass is over and the next resync is a minute away), and read as
  // soon as the first pass that started after the reset has finished; the controller must have
  // finished no other pass in between (a follow-up pass would be counted with it).
  const resetAt = Date.now();
  await emulator.resetCalls();
  const passesBefore = run.passes.length;
  const passed = await waitFor(
    'a resync pass',
    async () => {
      const last = (await run.status()).overall.lastPass;
      return last && Date.parse(last.startedAt) >= resetAt ? last : undefined;
    },
    180_000,
    100,
  );
  const passCalls = await emulator.calls();
  const passesCounted = run.passes.length - passesBefore;
  rows.push([
    'in-sync resync pass',
    seconds(passed.durationMs),
    String(sum(passCalls, isRead)),
    String(bound),
    `${sum(passCalls, (op) => !isRead(op))} writes; ${passesCounted} pass(es) in the count (must be 1)`,
  ]);
  // RSS after a few passes (steady state) and its peak.
  await sleep(20_000);
  const rss = await run.rss();
  const heap = await run.heap();
  rows.push([
    `\`run\` RSS (${COMPILED ? 'compiled' : 'tsx'})`,
    '',
    '',
    '',
    `${rss.currentMb.toFixed(0)} MB now, ${rss.peakMb.toFixed(0)} MB peak (goal ≤ 150 MB); heap ${heap.heapUsedMb.toFixed(0)} of ${heap.heapTotalMb.toFixed(0)} MB, external ${heap.externalMb.toFixed(0)} MB`,
  ]);
  await run.stop();
} finally {
  await emulator.stop();
  await repo.cleanup();
}

process.stdout.write(
  `Estate: ${estate.clusters.length} clusters × ${size} services, ${estate.resources} resources; emulator in its own process, rate limits on.\nMachine: ${machine()}\n\n`,
);
process.stdout.write(`${table(['measure', 'time', 'read calls', 'lower bound', 'notes'], rows)}\n`);
