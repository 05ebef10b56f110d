// What the estate benchmarks share: the emulator in its own process (rate limits on when asked),
// its admin API, a Git repository of the estate, the controller CLI as a child process, RSS
// sampling, and a fast seeding path (the controller's own read → diff → plan → apply, without the
// client-side limiter) so benchmarks that need an in-sync estate do not pay for a quota-bound apply.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createAwsClients } from '../../controller/aws/clients.js';
import { PER_TARGET_LIMIT } from '../../controller/live/autoscaling-reads.js';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { applyPass } from '../../test/helpers/service-fleet.js';
import type { Estate } from './generate.js';

const exec = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
export const INSTANCE = 'ecs-gitops';

process.env.AWS_ACCESS_KEY_ID ??= 'bench';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * The controller the benchmarks start: the compiled JavaScript (`--compiled`, after `npm run build`:
 * what the container image runs) or, by default, the TypeScript sources through tsx (development
 * mode, which transpiles in process and costs memory of its own).
 */
export const COMPILED = process.argv.includes('--compiled');
const ENTRY = join(ROOT, COMPILED ? 'dist/controller/main.js' : 'bin/ecs-gitops.js');

/** `--size N` (services; default given), from argv or ECS_GITOPS_BENCH_SIZE. */
export function sizeArg(defaultSize: number): number {
  const index = process.argv.indexOf('--size');
  const raw = index >= 0 ? process.argv[index + 1] : process.env.ECS_GITOPS_BENCH_SIZE;
  const n = Number(raw ?? defaultSize);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--size must be a positive integer, got ${raw}`);
  return n;
}

/** `--node-flags "--flag …"`: flags for the controller's node (V8 heap sizing, `--cpu-prof`, …). */
export function nodeFlagsArg(): string[] {
  const index = process.argv.indexOf('--node-flags');
  return index >= 0 ? (process.argv[index + 1] ?? '').split(' ').filter(Boolean) : [];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 25,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface EmulatorHandle {
  readonly url: string;
  readonly pid: number;
  calls(): Promise<Record<string, number>>;
  resetCalls(): Promise<void>;
  rateLimits(on: boolean): Promise<void>;
  /** Moves the emulated clock: deployments finish. */
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

async function adminJson(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** The emulator as its own process (`emulator/main.ts`), real clock. */
export async function startEmulatorProcess(): Promise<EmulatorHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'emulator/main.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /(http:\/\/[^\s"']+)/.exec(buffered);
      if (match?.[1]) resolve(match[1].replace(/\/$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  child.stdout?.resume();
  return {
    url,
    pid: child.pid ?? 0,
    calls: async () => (await adminJson(url, 'GET', 'calls')) as Record<string, number>,
    resetCalls: async () => void (await adminJson(url, 'POST', 'calls/reset')),
    async rateLimits(on) {
      if (on) await adminJson(url, 'POST', 'faults', { kind: 'rate-limit' });
      else await adminJson(url, 'DELETE', 'faults');
    },
    advance: async (seconds) => void (await adminJson(url, 'POST', 'clock/advance', { seconds })),
    stop: () => stopChild(child),
  };
}

export function sum(calls: Record<string, number>, filter: (op: string) => boolean = () => true): number {
  return Object.entries(calls)
    .filter(([op]) => filter(op))
    .reduce((s, [, n]) => s + n, 0);
}

export const isRead = (op: string) => /:(Describe|List)/.test(op);

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

export interface EstateRepo {
  readonly dir: string;
  /** Writes files, commits them, returns the sha. */
  commit(files: Readonly<Record<string, string>>, message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function estateRepo(estate: Estate): Promise<EstateRepo> {
  const base = await mkdtemp(join(tmpdir(), 'ecs-gitops-bench-'));
  const dir = join(base, 'repo');
  await mkdir(dir);
  await git(dir, 'init', '-q', '-b', 'main');
  const write = async (files: Readonly<Record<string, string>>) => {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  };
  const commit = async (files: Readonly<Record<string, string>>, message: string) => {
    await write(files);
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '-m', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  await commit(estate.files, 'estate');
  return { dir, commit, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** The desired state exactly as the controller parses the repository (paths relative to it). */
export async function desiredOf(repo: EstateRepo, estate: Estate): Promise<DesiredState> {
  const files = await Promise.all(
    Object.keys(estate.files).map(async (path) => ({ path, content: await readFile(join(repo.dir, path)) })),
  );
  const revision = await git(repo.dir, 'rev-parse', 'HEAD');
  const parsed = parseManifests(files, { revision });
  if (!parsed.ok) throw new Error(`estate invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  return parsed.desired;
}

/**
 * Brings the emulator to the repository's desired state with the controller's own pipeline (same
 * tags a controller writes), rate limits off on both sides; then lets every rollout finish.
 */
export async function seed(emulator: EmulatorHandle, desired: DesiredState): Promise<void> {
  await emulator.rateLimits(false);
  const clients = createAwsClients(
    { region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 5 },
    undefined,
    { rateLimiter: false },
  );
  try {
    const result = await applyPass(clients, desired, { instance: INSTANCE, concurrency: 16 });
    const failed = result.entries.filter((e) => e.outcome === 'failed');
    if (failed.length > 0) throw new Error(`seeding failed: ${failed[0]?.message}`);
  } finally {
    clients.destroy();
  }
  await emulator.advance(600);
}

export interface ControllerProcess {
  readonly url: string;
  readonly pid: number;
  /** Peak and current resident set size, MB. */
  rss(): Promise<{ currentMb: number; peakMb: number }>;
  /** The V8 heap in use and the memory outside it (buffers, code, the runtime), MB, from /metrics. */
  heap(): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number }>;
  ready(): Promise<boolean>;
  status(): Promise<{ overall: { lastPass?: { startedAt: string; durationMs: number } } }>;
  metrics(): Promise<string>;
  stop(): Promise<void>;
  readonly output: string[];
  /** The controller's 'pass finished' debug lines (with `--log-level debug`): steps and their ms. */
  readonly passes: PassLog[];
}

export interface PassLog {
  /** ISO time the pass finished. */
  readonly time: string;
  readonly reasons: readonly string[];
  readonly durationMs: number;
  readonly ms: Readonly<Record<string, number>>;
  readonly scope?: { readonly targeted: boolean; readonly resources: number };
}

/** `ecs-gitops <command> …` as a child process; resolves once its HTTP server listens (run) or at once. */
export async function startRun(
  args: readonly string[],
  endpointUrl: string,
  options: { readonly nodeArgs?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<ControllerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ENTRY,
      'run',
      '--endpoint-url',
      endpointUrl,
      '--listen',
      '127.0.0.1:0',
      '--log-format',
      'json',
      '--no-status-write',
      // The estate's images are not in the emulator's ECR: preflight would refuse every commit.
      '--no-preflight',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, env: { ...process.env, ...options.env } },
  );
  const output: string[] = [];
  const passes: PassLog[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('"msg":"pass finished"')) passes.push(JSON.parse(line) as PassLog);
        else if (output.length < 2000) output.push(line);
        const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (match?.[1] && line.includes('controller started')) resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`controller exited with ${code}: ${output.slice(-5).join('\n')}`)),
    );
  });
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    output,
    passes,
    rss: () => rssOf(pid),
    async heap() {
      const text = await (await fetch(`${url}/metrics`)).text();
      const mb = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
      return {
        heapUsedMb: mb('nodejs_heap_size_used_bytes'),
        heapTotalMb: mb('nodejs_heap_size_total_bytes'),
        externalMb: mb('nodejs_external_memory_bytes'),
      };
    },
    async ready() {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      return response?.status === 200;
    },
    async status() {
      // Once more on a reset connection: at 2,344 resources a kept-alive socket is sometimes
      // closed by the server just as it is reused (ECONNRESET; a fresh connection is answered).
      const get = () => fetch(`${url}/api/status`);
      const response = await get().catch((error: unknown) => {
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
        process.stderr.write('bench: /api/status connection reset; asking again\n');
        return get();
      });
      return (await response.json()) as Awaited<ReturnType<ControllerProcess['status']>>;
    },
    async metrics() {
      return (await fetch(`${url}/metrics`)).text();
    },
    stop: () => stopChild(child),
  };
}

/** `ecs-gitops <args>` to completion: exit code, wall time, peak RSS. */
export async function runCli(
  args: readonly string[],
): Promise<{ code: number; ms: number; peakMb: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [ENTRY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  let stdout = '';
  let peakMb = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < 1_000_000) stdout += chunk.toString();
  });
  child.stderr?.resume();
  const sampler = setInterval(() => {
    void rssOf(child.pid ?? 0)
      .then((r) => {
        peakMb = Math.max(peakMb, r.peakMb);
      })
      .catch(() => undefined);
  }, 100);
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  return { code, ms: performance.now() - started, peakMb, stdout };
}

async function rssOf(pid: number): Promise<{ currentMb: number; peakMb: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { currentMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** DescribeClusters + DescribeServices + scalable targets + policies (50 per page) + scheduled actions. */
export function inSyncLowerBound(estate: Estate): number {
  const perCluster = new Map<string, number>();
  for (const s of estate.services) perCluster.set(s.cluster, (perCluster.get(s.cluster) ?? 0) + 1);
  const services = [...perCluster.values()].reduce((n, count) => n + Math.ceil(count / 10), 0);
  const targets = Math.ceil(estate.scalingPolicies / 50);
  // Few targets: one call per target; many: one paginated namespace listing (as live/ reads them).
  const many = estate.scalingPolicies > PER_TARGET_LIMIT;
  const policies = many ? targets : estate.scalingPolicies;
  const actions = many ? 1 : estate.scalingPolicies;
  return Math.ceil(estate.clusters.length / 100) + services + targets + policies + actions;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** Rows of a result table, each also printed to stderr as soon as it is measured. */
export class Rows {
  readonly rows: string[][] = [];
  push(...rows: string[][]): void {
    for (const row of rows) {
      this.rows.push(row);
      process.stderr.write(`measured: ${row.filter(Boolean).join(' | ')}\n`);
    }
  }
}

export function table(headers: readonly string[], input: Rows | readonly (readonly string[])[]): string {
  const rows = input instanceof Rows ? input.rows : input;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), Node ${process.version}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
