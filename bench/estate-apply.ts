// The estate applied by `run` from an empty account, then a fleet-wide image change (one commit
// touching every service): time against the quota-bound minimum (RegisterTaskDefinition at its
// sustained rate after its burst), time to the first service created/updated, throttles the
// controller saw. Emulator in its own process, rate limits on; measured from outside.
// Run: npx tsx bench/estate-apply.ts [--size N]   (default 100 services; each phase takes ≥ N - 20 s)
import { generateEstate, serviceFile } from './estate/generate.js';
import {
  estateRepo,
  machine,
  Rows,
  seconds,
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
// RegisterTaskDefinition: 20 burst, 1/s sustained; one registration per service.
const bound = Math.max(0, size - 20) * 1000;

function throttles(metrics: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith('ecs_gitops_aws_requests_total') && line.includes('code="ThrottlingException"')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

try {
  await emulator.rateLimits(true);
  const run = await startRun(
    ['--repo', repo.dir, '--resync', '10m', '--poll', '10m', '--cache-dir', `${repo.dir}/../cache`],
    emulator.url,
  );
  try {
    // Initial apply from empty.
    const started = performance.now();
    let firstService: number | undefined;
    await waitFor(
      'the whole estate created',
      async () => {
        const calls = await emulator.calls();
        if (firstService === undefined && (calls['ecs:CreateService'] ?? 0) > 0)
          firstService = performance.now();
        const done =
          (calls['ecs:CreateService'] ?? 0) >= size &&
          (calls['application-autoscaling:PutScalingPolicy'] ?? 0) >= estate.scalingPolicies;
        return done ? calls : undefined;
      },
      4 * 3600_000,
      50,
    );
    const applyMs = performance.now() - started;
    const created = await emulator.calls();
    rows.push([
      'initial apply from empty',
      seconds(applyMs),
      seconds(bound),
      (applyMs / bound).toFixed(2),
      firstService ? seconds(firstService - started) : '-',
      String(throttles(await run.metrics())),
      `${created['ecs:DescribeTaskDefinition'] ?? 0} DescribeTaskDefinition, ${sum(created)} calls`,
    ]);

    // Let the rollouts finish and the buckets refill, then change every image in one commit.
    await emulator.advance(600);
    await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 200);
    await sleep(25_000);
    const throttledBefore = throttles(await run.metrics());
    await emulator.resetCalls();
    const files = Object.fromEntries(estate.services.map((s) => [s.file, serviceFile(s, '2.0.0')]));
    const sha = await repo.commit(files, 'fleet-wide image change');
    const changed = performance.now();
    await fetch(`${run.url}/hooks/git`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'refs/heads/main', after: sha }),
    });
    let firstUpdate: number | undefined;
    await waitFor(
      'every service updated',
      async () => {
        const calls = await emulator.calls();
        if (firstUpdate === undefined && (calls['ecs:UpdateService'] ?? 0) > 0)
          firstUpdate = performance.now();
        return (calls['ecs:UpdateService'] ?? 0) >= size ? calls : undefined;
      },
      4 * 3600_000,
      50,
    );
    const rollMs = performance.now() - changed;
    rows.push([
      'fleet-wide image change',
      seconds(rollMs),
      seconds(bound),
      (rollMs / bound).toFixed(2),
      firstUpdate ? seconds(firstUpdate - changed) : '-',
      String(throttles(await run.metrics()) - throttledBefore),
      `${sum(await emulator.calls())} calls`,
    ]);
  } finally {
    await run.stop();
  }
} finally {
  await emulator.stop();
  await repo.cleanup();
}

process.stdout.write(
  `Estate: ${estate.clusters.length} clusters × ${size} services, ${estate.resources} resources; \`run\` against an empty emulator in its own process, rate limits on.\nQuota-bound minimum: ${size} RegisterTaskDefinition at 1/s after a burst of 20.\nMachine: ${machine()}\n\n`,
);
process.stdout.write(
  `${table(['measure', 'time', 'quota-bound minimum', 'ratio (goal ≤ 1.2)', 'first service (goal ≤ 5 s)', 'throttles', 'calls'], rows)}\n`,
);
