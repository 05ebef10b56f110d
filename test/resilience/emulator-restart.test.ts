// Fault probe (issue 11, resilience suite): ECS itself goes away in the middle of an apply pass.
// The emulator runs as its own process with a state file; it is SIGKILLed after the pass registered
// a task definition and before it finished, then started again on the same port from its state.
// The controller reports the outage, never deletes anything because live state could not be read,
// and converges once ECS is back: `diff` is empty and nothing is duplicated.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkClients } from '../helpers/emulator.js';
import { tempDir, waitFor } from '../helpers/git.js';
import { counterSum, expectFleetMatchesGit } from './fleet-check.js';
import {
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

// emulator/main.ts itself (not `ecs-gitops emulator`, which runs it as a child): SIGKILL must hit ECS.
const MAIN = join(import.meta.dirname, '..', '..', 'emulator', 'main.ts');
const start = useConvergedHarness();
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
});

interface EmulatorProcess {
  readonly url: string;
  readonly child: ChildProcess;
  admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  kill(): Promise<void>;
}

async function startEmulatorProcess(port: number, stateFile: string): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--port', String(port), '--speed', '20', '--state', stateFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(() => /listening on http:\/\/\S+/.test(output) || child.exitCode !== null, 30_000);
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`emulator did not start: ${output}`);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    child,
    async admin(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.json();
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the emulator killed and restarted mid-pass', () => {
  it('given ECS dies after the pass registered a task definition, when it comes back from its state, then the controller reported the outage, deleted nothing and converges with nothing duplicated', async () => {
    const tmp = await tempDir('ecs-gitops-emulator-restart-');
    cleanups.push(() => tmp.cleanup());
    const stateFile = join(tmp.path, 'ecs-state.json');
    let ecs = await startEmulatorProcess(0, stateFile);
    const port = Number(new URL(ecs.url).port);
    // a controller with prune on, against the emulator process (the harness's own one stays unused)
    const h = await start({ endpointUrl: ecs.url, prune: true });

    // writes take a while, so the kill lands between the registration and the service updates
    for (const operation of ['ecs:UpdateService', 'ecs:TagResource'])
      await ecs.admin('POST', '/_emulator/faults', { operation, kind: 'latency', latencyMs: 400 });
    const files = await exampleFiles();
    const revision = await commitAndSync(
      h,
      {
        'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28'),
        'manifests/worker.yaml': (files['manifests/worker.yaml'] ?? '').replace(
          '{name: LOG_LEVEL, value: info}',
          '{name: LOG_LEVEL, value: debug}',
        ),
      },
      'new image and env',
    );
    await waitFor(
      async () =>
        Number(
          ((await ecs.admin('GET', '/_emulator/calls')) as Record<string, number>)['ecs:UpdateService'] ?? 0,
        ) >= 1,
      30_000,
    );
    await ecs.kill();

    // while ECS is down: passes fail and say so in status, metrics and the log; nothing is applied
    await waitForStatus(h.app, (s) => s.overall.lastPass?.result === 'failure', 60_000);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(counterSum(metrics, 'ecs_gitops_reconcile_total', { result: 'failure' })).toBeGreaterThan(0);
    expect(h.logs.some((l) => Number(l.level) >= 50 && /ECONNREFUSED|connect/i.test(JSON.stringify(l)))).toBe(
      true,
    );
    expect(h.app.store.snapshot().overall.lastAppliedRevision).not.toBe(revision);

    // when ECS comes back on the same port from its state file
    ecs = await startEmulatorProcess(port, stateFile);
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      90_000,
    );
    const clients = sdkClients(ecs.url);
    try {
      await expectFleetMatchesGit({ ...clients, endpoint: ecs.url, remote: h.repo.remote, dir: h.dir });
    } finally {
      clients.ecs.destroy();
      clients.autoscaling.destroy();
    }
  }, 240_000);
});
