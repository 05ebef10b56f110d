// Crash consistency: SIGKILL the real `ecs-gitops run` process in the middle of an apply, start it
// again, and it converges with no duplicate resources.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ListServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { createRepo, tempDir, waitFor } from '../helpers/git.js';
import { exampleFiles } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ecs-gitops.js');

function startRun(args: string[]): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ECS_GITOPS_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /dashboard: (http:\/\/[^\s/]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`run exited early (${code}): ${output}`)));
  });
  return { child, output: () => output, url };
}

async function servicesIn(emulator: TestEmulator, cluster: string): Promise<string[]> {
  const out = await emulator.ecs.send(new ListServicesCommand({ cluster }));
  return out.serviceArns ?? [];
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('crash mid-apply', () => {
  it('given the controller is SIGKILLed while CreateService calls are in flight, when it starts again, then it converges with exactly one of each service', async () => {
    const tmp = await tempDir('ecs-gitops-crash-');
    cleanup.push(() => tmp.cleanup());
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    cleanup.push(() => emulator.close());
    const repo = await createRepo(tmp.path);
    await repo.commit(await exampleFiles(), 'example fleet');
    // The first CreateService is applied but its answer never arrives; the next one hangs.
    await emulator.fault({ operation: 'ecs:CreateService', kind: 'drop-after-commit', count: 1 });
    await emulator.fault({ operation: 'ecs:CreateService', kind: 'latency', latencyMs: 1500 });
    const args = [
      '--repo',
      repo.remote,
      '--dir',
      'manifests',
      '--endpoint-url',
      emulator.url,
      '--region',
      'us-east-1',
      '--listen',
      '127.0.0.1:0',
      '--cache-dir',
      join(tmp.path, 'cache'),
      '--poll',
      '300ms',
      '--resync',
      '1s',
      // The examples' secrets and log groups do not exist in the emulator's account (npm start runs
      // them the same way); preflight has its own end-to-end test.
      '--no-preflight',
    ];

    const first = startRun(args);
    cleanup.push(() => void first.child.kill('SIGKILL'));
    await waitFor(() => (emulator.calls()['ecs:CreateService'] ?? 0) >= 2, 60_000, 10);
    first.child.kill('SIGKILL');
    await new Promise((done) => first.child.once('exit', done));
    await emulator.admin('DELETE', '/_emulator/faults');

    const second = startRun(args);
    cleanup.push(async () => {
      second.child.kill('SIGTERM');
      await new Promise((done) => second.child.once('exit', done));
    });
    const url = await second.url;
    await waitFor(
      async () => {
        const status = (await (await fetch(`${url}/api/status`)).json()) as {
          resources: Array<{ sync: string; health: string }>;
        };
        return (
          status.resources.length === EXAMPLE_RESOURCES &&
          status.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy')
        );
      },
      // Generous: this waits for convergence, it does not measure it (a loaded CI machine is slow).
      60_000,
      100,
    );
    expect((await servicesIn(emulator, 'prod')).map((arn) => arn.split('/').pop()).sort()).toEqual([
      'api',
      'web',
    ]);
    expect(await servicesIn(emulator, 'batch-prod')).toHaveLength(1);
  }, 150_000);
});
