// API calls, time and memory of one live read + diff for N in-sync services in one cluster, cold
// (empty task definition cache) and warm, against the emulator. Prints a table; not a timed test.
// Run: npx tsx bench/diff-api-calls.ts [N ...]
import { AwsCallCounter, createAwsClients } from '../controller/aws/clients.js';
import { diffResources } from '../controller/diff/index.js';
import { PER_TARGET_LIMIT } from '../controller/live/autoscaling-reads.js';
import { readLive, TaskDefinitionCache } from '../controller/live/index.js';
import { parseManifests } from '../controller/manifest/index.js';
import { startEmulator } from '../emulator/index.js';
import { sdkClients } from '../test/helpers/emulator.js';
import { FLEET_FAMILIES, fleetManifests, seedFleet } from '../test/live/fleet.js';

process.env.AWS_ACCESS_KEY_ID ??= 'bench';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const ns = sizes.length > 0 ? sizes : [10, 50, 100, 250, 500];

const OPS = [
  'ecs:DescribeClusters',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:DescribeScalingPolicies',
  'application-autoscaling:DescribeScheduledActions',
] as const;

function lowerBound(op: (typeof OPS)[number], n: number, warm: boolean): number {
  switch (op) {
    case 'ecs:DescribeClusters':
      return 1;
    case 'ecs:DescribeServices':
      return Math.ceil(n / 10);
    case 'ecs:DescribeTaskDefinition':
      return warm ? 0 : Math.min(n, FLEET_FAMILIES);
    case 'application-autoscaling:DescribeScalableTargets':
      return Math.ceil(n / 50);
    case 'application-autoscaling:DescribeScalingPolicies':
      // one paginated listing for many targets (50 per page), one call per target for a few
      return n > PER_TARGET_LIMIT ? Math.ceil(n / 50) : n;
    default:
      // the fleet has no scheduled actions: one empty page, or one call per target for a few
      return n > PER_TARGET_LIMIT ? 1 : n;
  }
}

const rows: string[][] = [];
for (const n of ns) {
  const emulator = await startEmulator({ port: 0, clock: { mode: 'manual' } });
  const seedClients = sdkClients(emulator.url, { maxAttempts: 3 });
  await seedFleet(seedClients, n);
  const parsed = parseManifests(
    [{ path: 'fleet.yaml', content: Buffer.from(fleetManifests(n)['fleet.yaml'] ?? '') }],
    {
      revision: 'bench',
    },
  );
  if (!parsed.ok) throw new Error('fleet manifests invalid');
  const clients = createAwsClients(
    { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 3 },
    new AwsCallCounter(),
    { rateLimiter: false },
  );
  const cache = new TaskDefinitionCache();
  for (const pass of ['cold', 'warm'] as const) {
    clients.counter.reset();
    const started = performance.now();
    const live = await readLive(clients, parsed.desired, { instance: 'ecs-gitops', cache });
    const diffs = diffResources(parsed.desired, live, { instance: 'ecs-gitops' });
    const ms = performance.now() - started;
    const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
    const changed = diffs.filter((d) => d.action !== 'noop').length;
    const counts = clients.counter.snapshot();
    const cells = OPS.map((op) => `${counts[op] ?? 0}/${lowerBound(op, n, pass === 'warm')}`);
    rows.push([
      String(n),
      pass,
      ...cells,
      String(clients.counter.total()),
      ms.toFixed(0),
      heapMb.toFixed(1),
      String(changed),
    ]);
  }
  clients.destroy();
  seedClients.ecs.destroy();
  seedClients.autoscaling.destroy();
  await emulator.close();
}

const header = [
  'N',
  'pass',
  'Clusters',
  'Services',
  'TaskDef',
  'Targets',
  'Policies',
  'Scheduled',
  'total',
  'ms',
  'heap MB',
  'changes',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
console.log(
  'diff of N in-sync services (one cluster, ScalingPolicy each): calls made / lower bound per operation',
);
console.log(line(header));
for (const row of rows) console.log(line(row));
