// Commit → UpdateService for a one-service image change in the in-sync estate: through the Git
// webhook and through polling (2 s), 20 commits each; median and p95, measured from outside (the
// emulator's call counts). Emulator in its own process, rate limits on.
// Run: npx tsx bench/estate-commit.ts [--size N] [--commits K] [--mode webhook|poll] [--compiled]
//      (default 100 services, 20 commits, both modes, the TypeScript sources through tsx)
import { logGitCommands } from '../test/helpers/git-commands.js';
import { generateEstate, serviceFile } from './estate/generate.js';
import {
  COMPILED,
  desiredOf,
  estateRepo,
  machine,
  type PassLog,
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
const modeIndex = process.argv.indexOf('--mode');
const only = modeIndex >= 0 ? process.argv[modeIndex + 1] : undefined;
const estate = generateEstate({ services: size });
const emulator = await startEmulatorProcess();
const repo = await estateRepo(estate);
const rows = new Rows();
const steps = new Rows();
let deploy = 0;

/** Median of each step of the passes that carried the commits, plus the wait before they started. */
function stepRow(mode: string, carried: readonly { waitMs: number; pass: PassLog }[]): string[] {
  const median = (values: number[]) => seconds(percentile(values, 50));
  const names = ['fetch', 'parse', 'read', 'diff', 'lease', 'plan', 'apply', 'status'];
  return [
    mode,
    median(carried.map((c) => c.waitMs)),
    ...names.map((name) => median(carried.map((c) => c.pass.ms[name] ?? 0))),
    median(carried.map((c) => c.pass.durationMs)),
    `${percentile(
      carried.map((c) => c.pass.scope?.resources ?? 0),
      50,
    )}`,
  ];
}

async function measure(mode: 'webhook' | 'poll 2s'): Promise<void> {
  const args = ['--repo', repo.dir, '--resync', '60s', '--cache-dir', `${repo.dir}/../cache-${deploy}`];
  // The controller's git commands go through a logging wrapper: a count that does not depend on load.
  const gitLog = await logGitCommands();
  const run = await startRun(
    [...args, '--poll', mode === 'webhook' ? '10m' : '2s', '--log-level', 'debug'],
    emulator.url,
    { env: { PATH: gitLog.path } },
  );
  try {
    await waitFor('ready', async () => ((await run.ready()) ? true : undefined), 600_000, 100);
    await sleep(2000);
    const latencies: number[] = [];
    const carried: { waitMs: number; pass: PassLog }[] = [];
    const gitCommands: number[] = [];
    for (let i = 0; i < commits; i += 1) {
      deploy += 1;
      const service = estate.services[(deploy * 37) % estate.services.length];
      if (!service) throw new Error('no service');
      const before = (await emulator.calls())['ecs:UpdateService'] ?? 0;
      const gitBefore = (await gitLog.commands()).length;
      const sha = await repo.commit(
        { [service.file]: serviceFile(service, `1.0.${deploy}`) },
        `deploy ${deploy}`,
      );
      const committed = performance.now();
      const committedAt = Date.now();
      const passesBefore = run.passes.length;
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
      gitCommands.push((await gitLog.commands()).length - gitBefore);
      // Let the pass finish and the rollout start before the next commit.
      await sleep(1500);
      // The pass that applied the commit: the first one after it that wrote (apply ran).
      const pass = run.passes.slice(passesBefore).find((p) => p.ms.apply !== undefined);
      if (pass) {
        const startedAt = Date.parse(pass.time) - pass.durationMs;
        carried.push({ waitMs: Math.max(0, startedAt - committedAt), pass });
        process.stderr.write(
          `commit ${deploy}: UpdateService after ${seconds(latencies.at(-1) ?? 0)}; pass started after ${seconds(startedAt - committedAt)}, ${JSON.stringify({ reasons: pass.reasons, durationMs: pass.durationMs, ms: pass.ms })}\n`,
        );
      }
    }
    rows.push([
      `commit → UpdateService, ${mode}`,
      seconds(percentile(latencies, 50)),
      seconds(percentile(latencies, 95)),
      seconds(Math.max(...latencies)),
      mode === 'webhook' ? '≤ 1 s median' : '≤ 3 s (poll + 1 s)',
    ]);
    rows.push([
      `git commands from commit to UpdateService, ${mode}`,
      String(percentile(gitCommands, 50)),
      String(percentile(gitCommands, 95)),
      String(Math.max(...gitCommands)),
      '',
    ]);
    steps.push(stepRow(mode, carried));
    const rss = await run.rss();
    const heap = await run.heap();
    rows.push([
      `\`run\` RSS (${mode}, ${COMPILED ? 'compiled' : 'tsx'}; heap ${heap.heapUsedMb.toFixed(0)} MB)`,
      `${rss.currentMb.toFixed(0)} MB`,
      '',
      `${rss.peakMb.toFixed(0)} MB peak`,
      '≤ 150 MB',
    ]);
  } finally {
    // Warnings and errors of the run explain outliers (a throttled or failed write waits for a retry).
    for (const line of run.output.filter((l) => /"level":(40|50)/.test(l)).slice(0, 20))
      process.stderr.write(`controller: ${line.slice(0, 400)}\n`);
    await run.stop();
    await gitLog.close();
  }
}

try {
  await seed(emulator, await desiredOf(repo, estate));
  await emulator.rateLimits(true);
  if (only !== 'poll') await measure('webhook');
  if (only !== 'webhook') await measure('poll 2s');
} finally {
  await emulator.stop();
  await repo.cleanup();
}

process.stdout.write(
  `Estate: ${estate.clusters.length} clusters × ${size} services, ${estate.resources} resources; ${commits} one-service commits per mode; emulator in its own process, rate limits on.\nMachine: ${machine()}\n\n`,
);
process.stdout.write(`${table(['measure', 'median', 'p95', 'max', 'goal'], rows)}\n\n`);
process.stdout.write(
  `Where the time goes (median per step of the pass that applied each commit; wait = commit to pass start):\n\n${table(
    [
      'mode',
      'wait',
      'fetch',
      'parse',
      'read',
      'diff',
      'lease',
      'plan',
      'apply',
      'status',
      'pass',
      'resources read',
    ],
    steps,
  )}\n`,
);
