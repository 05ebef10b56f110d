// The emulator as a process: `ecs-gitops emulator` (controller/cli/emulator.ts) spawning emulator/main.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { sdkClients } from '../helpers/emulator.js';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-process-'));
  dirs.push(dir);
  return join(dir, name);
}

function waitForUrl(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no URL line within 60 s: ${text}`)), 60_000);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}

/** `ecs-gitops emulator` as a process with a state file, holding one cluster created over the SDK. */
async function startWithCluster(
  clusterName: string,
): Promise<{ child: ChildProcess; url: string; state: string }> {
  const state = tempFile('state.json');
  const child = spawn(
    process.execPath,
    ['bin/ecs-gitops.js', 'emulator', '--port', '0', '--manual-clock', '--state', state],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const url = await waitForUrl(child.stdout!);
  const { ecs } = sdkClients(url);
  await ecs.send(new CreateClusterCommand({ clusterName }));
  ecs.destroy();
  return { child, url, state };
}

function savedClusters(state: string): string[] {
  const saved = JSON.parse(readFileSync(state, 'utf8')) as {
    regions: Record<string, { clusters: object }>;
  };
  return Object.keys(saved.regions['us-east-1']!.clusters);
}

describe('ecs-gitops emulator (child process)', () => {
  it('prints its URL, serves the SDK, and on SIGTERM flushes the state file and exits 0', async () => {
    const { child, state } = await startWithCluster('from-process');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(savedClusters(state)).toEqual(['from-process']);
  }, 90_000);

  it('given its parent is SIGKILLed, when the IPC channel closes, then the emulator saves its state and frees the port', async () => {
    const { child: parent, url, state } = await startWithCluster('orphan-check');
    parent.kill('SIGKILL');
    // The outcome, not a duration: the port stops answering (the orphan would answer forever).
    let answering = true;
    for (let attempt = 0; attempt < 300 && answering; attempt += 1) {
      answering = await fetch(`${url}/_emulator/clock`).then(
        () => true,
        () => false,
      );
      if (answering) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answering).toBe(false);
    expect(savedClusters(state)).toEqual(['orphan-check']);
  }, 90_000);

  it('runs in-process through runCli, forwards output, and stops when the stop signal fires', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stop = new AbortController();
    const urlLine = waitForUrl(stdout);
    const done = runCli(['emulator', '--port', '0', '--manual-clock'], {
      stdout,
      stderr,
      env: process.env,
      cwd: root,
      stopSignal: stop.signal,
    });
    const url = await urlLine;
    const health = (await (await fetch(`${url}/_emulator/clock`)).json()) as { mode: string };
    expect(health.mode).toBe('manual');
    stop.abort('SIGTERM');
    expect(await done).toBe(0);
  }, 30_000);

  it('exits non-zero with a clear message for a corrupt state file', async () => {
    const state = tempFile('state.json');
    writeFileSync(state, 'not json');
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await runCli(['emulator', '--port', '0', '--state', state], {
      stdout: new PassThrough(),
      stderr,
      env: process.env,
      cwd: root,
      stopSignal: new AbortController().signal,
    });
    expect(code).toBe(1);
    expect(text).toMatch(/state\.json cannot be used: it is not valid JSON/);
    expect(readFileSync(state, 'utf8')).toBe('not json');
  }, 30_000);
});
