// Commit → UpdateService for a one-service image change in the in-sync estate: through the Git
// webhook and through polling (2 s), 20 commits each; median and p95, measured from outside (the
// emulator's call counts). Emulator in its own process, rate limits on.
// Run: npx tsx bench/estate-commit.ts [--size N] [--commits K]   (default 100 services, 20 commits)
import { generateEstate, serviceFile } from './estate/generate.js';
import {
  desiredOf,
  estateRepo,
  machine,
  percentile,
  Rows,
  seconds,
  seed,
  sizeArg,
  sleep,
  startEmulatorProcess,
  startRun,
  table,
  waitFor,
} from './estate/harness.js';

const size = sizeArg(100);
const commitsIndex = process.argv.indexOf('--commits');
const commits = Number(commitsIndex >= 0 ? process.argv[commitsIndex + 1] : 20);
const estate = generateEstate({ services: size });
const emulator = await startEmulatorProcess();
const repo = await estateRepo(estate);
const rows = new Rows();
let deploy = 0;

async function measure(mode: 'webhook' | 'poll 2s'): Promise<void> {
  const args = ['--repo', repo.dir, '--resync', '60s', '--cache-dir', `${repo.dir}/../cache-${deploy}`];
  const run = await startRun([...args, '--poll', mode === 'webhook' ? '10m' : '2s'], emulator.url);
  try {
    await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 100);
    await sleep(2000);
    const latencies: number[] = [];
    for (let i = 0; i < commits; i += 1) {
      deploy += 1;
      const service = estate.services[(deploy * 37) % estate.services.length];
      if (!service) throw new Error('no service');
      const before = (await emulator.calls())['ecs:UpdateService'] ?? 0;
      const sha = await repo.commit(
        { [service.file]: serviceFile(service, `1.0.${deploy}`) },
        `deploy ${deploy}`,
      );
      const committed = performance.now();
      if (mode === 'webhook') {
        await fetch(`${run.url}/hooks/git`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ref: 'refs/heads/main', after: sha }),
        });
      }
      await waitFor(
        'UpdateService',
        async () => (((await emulator.calls())['ecs:UpdateService'] ?? 0) > before ? true : undefined),
        120_000,
        10,
      );
      latencies.push(performance.now() - committed);
      // Let the pass finish and the rollout start before the next commit.
      await sleep(1500);
    }
    rows.push([
      `commit → UpdateService, ${mode}`,
      seconds(percentile(latencies, 50)),
      seconds(percentile(latencies, 95)),
      seconds(Math.max(...latencies)),
      mode === 'webhook' ? '≤ 1 s median' : '≤ 3 s (poll + 1 s)',
    ]);
    const rss = await run.rss();
    rows.push([
      `\`run\` RSS (${mode})`,
      `${rss.currentMb.toFixed(0)} MB`,
      '',
      `${rss.peakMb.toFixed(0)} MB peak`,
      '≤ 150 MB',
    ]);
  } finally {
    await run.stop();
  }
}

try {
  await seed(emulator, await desiredOf(repo, estate));
  await emulator.rateLimits(true);
  await measure('webhook');
  await measure('poll 2s');
} finally {
  await emulator.stop();
  await repo.cleanup();
}

process.stdout.write(
  `Estate: ${estate.clusters.length} clusters × ${size} services, ${estate.resources} resources; ${commits} one-service commits per mode; emulator in its own process, rate limits on.\nMachine: ${machine()}\n\n`,
);
process.stdout.write(`${table(['measure', 'median', 'p95', 'max', 'goal'], rows)}\n`);
