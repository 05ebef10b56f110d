// Apply passes over the example fleet and a generated fleet against the emulator: write and read
// calls per pass next to their lower bound, throttles, time spent waiting on the client-side rate
// limiter, wall time and heap. Prints a table; not a timed test.
// Run: npx tsx bench/apply-example-fleet.ts [N]   (N = services in the generated fleet, default 30)
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyChangeSet } from '../controller/apply/executor.js';
import { AwsCallCounter, createAwsClients } from '../controller/aws/clients.js';
import { diffResources } from '../controller/diff/index.js';
import { readLive, TaskDefinitionCache } from '../controller/live/index.js';
import type { DesiredState } from '../controller/manifest/model.js';
import { planChanges } from '../controller/plan/index.js';
import { loadManifestFolder } from '../controller/source/read-folder.js';
import { startEmulator } from '../emulator/index.js';

process.env.AWS_ACCESS_KEY_ID ??= 'bench';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

const N = Number(process.argv[2] ?? 30) || 30;
const INSTANCE = 'ecs-gitops';
const READ = /:(Describe|List)/;

interface Pass {
  readonly name: string;
  /** Changes the manifests before the pass. */
  readonly edit?: (dir: string) => Promise<void>;
  /** Fewest writes that can achieve the pass. */
  readonly writeBound: (desired: DesiredState) => number;
}

function createBound(desired: DesiredState): number {
  let writes = 0;
  for (const r of desired.resources) {
    if (r.kind === 'ScalingPolicy') {
      const spec = r.spec as {
        targetTracking?: unknown[];
        stepScaling?: unknown[];
        scheduledActions?: unknown[];
      };
      writes +=
        1 +
        (spec.targetTracking?.length ?? 0) +
        (spec.stepScaling?.length ?? 0) +
        (spec.scheduledActions?.length ?? 0);
    } else writes += 1;
  }
  return writes;
}

/** DescribeClusters (≤ 100 per call) + DescribeServices (≤ 10 per call, per existing cluster). */
function mustReadBound(desired: DesiredState, clustersExist: boolean): number {
  const clusters = new Set<string>();
  const perCluster = new Map<string, number>();
  for (const r of desired.resources) {
    if (r.kind === 'Cluster') clusters.add(r.clusterName);
    if (r.kind === 'Service') {
      clusters.add(r.cluster.clusterName);
      perCluster.set(r.cluster.clusterName, (perCluster.get(r.cluster.clusterName) ?? 0) + 1);
    }
  }
  const services = clustersExist
    ? [...perCluster.values()].reduce((sum, n) => sum + Math.ceil(n / 10), 0)
    : 0;
  return Math.ceil(clusters.size / 100) + services;
}

async function replaceIn(file: string, from: RegExp | string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(from, to));
}

function generatedFleet(n: number, tag: (i: number) => string): string {
  const docs = [`apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: gen}\nspec: {}\n`];
  for (let i = 0; i < n; i += 1) {
    docs.push(`apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: app-${i}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: app, image: "public.ecr.aws/nginx/nginx:${tag(i)}", portMappings: [{containerPort: 80}]}
`);
    docs.push(`apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: app-${i}}
spec:
  cluster: gen
  taskDefinition: app-${i}
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
`);
  }
  return docs.join('---\n');
}

const rows: string[][] = [];

async function run(fleet: string, dir: string, passes: readonly Pass[]): Promise<void> {
  const emulator = await startEmulator({ port: 0, clock: { mode: 'manual' } });
  const clients = createAwsClients(
    { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 5 },
    new AwsCallCounter(),
  );
  const cache = new TaskDefinitionCache();
  let clustersExist = false;
  try {
    for (const pass of passes) {
      await pass.edit?.(dir);
      const loaded = await loadManifestFolder(dir);
      if (!loaded.ok)
        throw new Error(`${fleet}: invalid manifests: ${loaded.problems.map((p) => p.message).join('; ')}`);
      const desired = loaded.desired;
      emulator.resetCalls();
      clients.counter.reset();
      let throttled = 0;
      const stop = clients.counter.onCall((r) => {
        if (r.code === 'ThrottlingException') throttled += 1;
      });
      const waitedBefore = Object.values(clients.rateLimiter?.stats() ?? {}).reduce(
        (s, b) => s + (b?.waitedMs ?? 0),
        0,
      );
      const started = performance.now();
      const live = await readLive(clients, desired, { instance: INSTANCE, cache });
      const diffs = diffResources(desired, live, { instance: INSTANCE });
      const changeSet = planChanges(diffs, {
        revision: desired.revision,
        prune: false,
        pruneLimit: 1,
        pruneConfirm: false,
      });
      const result = await applyChangeSet(clients, changeSet, {
        instance: INSTANCE,
        revision: desired.revision,
        live,
      });
      const ms = performance.now() - started;
      stop();
      const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
      const waited =
        Object.values(clients.rateLimiter?.stats() ?? {}).reduce((s, b) => s + (b?.waitedMs ?? 0), 0) -
        waitedBefore;
      const calls = emulator.calls();
      const writes = Object.entries(calls)
        .filter(([k]) => !READ.test(k))
        .reduce((s, [, n]) => s + n, 0);
      const reads = Object.entries(calls)
        .filter(([k]) => READ.test(k))
        .reduce((s, [, n]) => s + n, 0);
      const must = (calls['ecs:DescribeClusters'] ?? 0) + (calls['ecs:DescribeServices'] ?? 0);
      const failed = result.entries.filter((e) => e.outcome === 'failed').length;
      rows.push([
        fleet,
        pass.name,
        String(desired.resources.length),
        `${writes}/${pass.writeBound(desired)}`,
        `${must}/${mustReadBound(desired, clustersExist)}`,
        String(reads),
        String(throttled),
        waited.toFixed(0),
        ms.toFixed(0),
        heapMb.toFixed(1),
        String(failed),
      ]);
      clustersExist = true;
      // Let the rollouts finish before the next pass (manual clock).
      emulator.advance(120);
    }
  } finally {
    clients.destroy();
    await emulator.close();
  }
}

const examples = await mkdtemp(join(tmpdir(), 'bench-apply-'));
await cp(new URL('../manifests/examples/', import.meta.url), examples, { recursive: true });
await run('examples', examples, [
  { name: 'create', writeBound: createBound },
  { name: 'steady', writeBound: () => 0 },
  {
    name: '1 image',
    edit: (dir) => replaceIn(join(dir, 'web.yaml'), 'nginx/nginx:1.27', 'nginx/nginx:1.28'),
    writeBound: () => 2,
  },
  { name: 'steady', writeBound: () => 0 },
]);
await rm(examples, { recursive: true, force: true });

const generated = await mkdtemp(join(tmpdir(), 'bench-apply-gen-'));
const fleetFile = join(generated, 'fleet.yaml');
await writeFile(
  fleetFile,
  generatedFleet(N, () => '1.27'),
);
await run(`gen ${N}`, generated, [
  { name: 'create', writeBound: createBound },
  { name: 'steady', writeBound: () => 0 },
  {
    name: '1 image',
    edit: async () =>
      writeFile(
        fleetFile,
        generatedFleet(N, (i) => (i === 0 ? '1.28' : '1.27')),
      ),
    writeBound: () => 2,
  },
  {
    name: 'all images',
    edit: async () =>
      writeFile(
        fleetFile,
        generatedFleet(N, () => '1.29'),
      ),
    writeBound: () => 2 * N,
  },
  { name: 'steady', writeBound: () => 0 },
]);
await rm(generated, { recursive: true, force: true });

const header = [
  'fleet',
  'pass',
  'resources',
  'writes/LB',
  'cluster+svc reads/LB',
  'all reads',
  'throttled',
  'limiter wait ms',
  'ms',
  'heap MB',
  'failed',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
console.log(
  'apply passes against the emulator (writes include ownership/revision TagResource calls; LB = lower bound)',
);
console.log(line(header));
for (const row of rows) console.log(line(row));
