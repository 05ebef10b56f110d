// How many DescribeServices calls per second the emulator answers (it must never be the bottleneck
// of the controller's benchmarks). The emulator runs as its own process, as in real use; clients
// are the real AWS SDK (signing, parsing) and, for the server's own ceiling, raw keep-alive HTTP.
// Run: npx tsx bench/emulator-throughput.ts [--seconds 3]
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 3) || 3;
const root = fileURLToPath(new URL('..', import.meta.url));
const SERVICES = Array.from({ length: 10 }, (_, i) => `svc-${i}`);

async function startEmulatorProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), `${root}emulator/main.ts`, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function client(url: string): ECSClient {
  return new ECSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
}

async function seed(url: string): Promise<void> {
  const ecs = client(url);
  await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }],
    }),
  );
  for (const serviceName of SERVICES) {
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'bench',
        serviceName,
        taskDefinition: 'web',
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0abc'] } },
      }),
    );
  }
  ecs.destroy();
}

interface Row {
  client: string;
  concurrency: number;
  calls: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(name: string, concurrency: number, call: () => Promise<void>): Promise<Row> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    client: name,
    concurrency,
    calls: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  };
}

function rawCaller(url: string): () => Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify({ cluster: 'bench', services: SERVICES });
  const { hostname, port } = new URL(url);
  return () =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

const emulator = await startEmulatorProcess();
try {
  await seed(emulator.url);
  const rows: Row[] = [];
  const ecs = client(emulator.url);
  const describe = async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: SERVICES }));
    if (out.services?.length !== SERVICES.length) throw new Error('unexpected DescribeServices answer');
  };
  await measure('warm-up', 4, describe);
  for (const concurrency of [1, 8, 32]) rows.push(await measure('AWS SDK v3', concurrency, describe));
  const raw = rawCaller(emulator.url);
  for (const concurrency of [8, 32]) rows.push(await measure('raw HTTP keep-alive', concurrency, raw));
  ecs.destroy();
  const counted = (await (await fetch(`${emulator.url}/_emulator/calls`)).json()) as Record<string, number>;

  console.log(`\nEmulator throughput: DescribeServices of 10 services per call, ${seconds} s per row\n`);
  console.log('| client              | concurrency |   calls | calls/s | p50 ms | p99 ms |');
  console.log('|---------------------|------------:|--------:|--------:|-------:|-------:|');
  for (const row of rows) {
    console.log(
      `| ${row.client.padEnd(19)} | ${String(row.concurrency).padStart(11)} | ${String(row.calls).padStart(7)} | ${row.perSecond.toFixed(0).padStart(7)} | ${row.p50.toFixed(2).padStart(6)} | ${row.p99.toFixed(2).padStart(6)} |`,
    );
  }
  const best = Math.max(...rows.map((r) => r.perSecond));
  const sdk = Math.max(...rows.filter((r) => r.client === 'AWS SDK v3').map((r) => r.perSecond));
  console.log(`\nEmulator counted ${counted['ecs:DescribeServices'] ?? 0} DescribeServices calls.`);
  console.log(
    `SDK rows are bound by the SDK client's own CPU cost (signing, middleware) in one process: ${sdk.toFixed(0)} calls/s.`,
  );
  console.log(
    `Emulator capacity (best row): ${best.toFixed(0)} calls/s — target >= 2000: ${best >= 2000 ? 'OK' : 'BELOW TARGET'}`,
  );
  if (best < 2000) process.exitCode = 1;
} finally {
  await emulator.stop();
}
