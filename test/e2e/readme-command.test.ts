// The README's run command, exactly as written, in a fresh clone: it installs, starts the emulator
// and the controller, the dashboard answers, the example fleet gets Synced, and Ctrl-C stops it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { git, tempDir, waitFor } from '../helpers/git.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The first command of the README's "Two commands" block: the one that runs the main job. */
function readmeRunCommand(readme: string): string {
  const block = /## Two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = block.split('\n');
  const index = lines.findIndex((line) => /^#.*run the main job/i.test(line));
  const command = lines[index + 1]?.trim();
  if (index < 0 || !command) throw new Error('README has no "Run the main job" command');
  return command;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `command` in `cwd` like a terminal would, waits for the fleet to be Synced, then presses Ctrl-C. */
async function runUntilSynced(
  command: string,
  cwd: string,
  whileRunning?: (emulatorUrl: string) => Promise<void>,
): Promise<{ output: string }> {
  const port = await freePort();
  // Like a terminal: the command is its own process group, and Ctrl-C signals the whole group.
  const child = spawn('bash', ['-c', command], {
    cwd,
    detached: true,
    env: { ...process.env, ECS_GITOPS_LISTEN: `127.0.0.1:${port}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  let emulatorUrl: string | undefined;
  try {
    await waitFor(() => output.includes(`dashboard: http://127.0.0.1:${port}/`), 240_000, 200);
    emulatorUrl = /"endpoint":"(http:[^"]+)"/.exec(output)?.[1];
    expect(emulatorUrl).toBeDefined();
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ecs-gitops');
    await waitFor(
      async () => {
        const status = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as {
          resources: Array<{ sync: string }>;
        };
        return (
          status.resources.length === EXAMPLE_RESOURCES && status.resources.every((r) => r.sync === 'Synced')
        );
      },
      60_000,
      250,
    );
    await whileRunning?.(emulatorUrl!);
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGINT');
  }
  const how = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000)),
  ]);
  // npm re-raises the Ctrl-C it received once its child is done, as a shell would show it.
  expect(['0', 'SIGINT'], output.slice(-2000)).toContain(how);
  expect(output).toMatch(/"msg":"stopped"/);
  // Both components are gone: the dashboard and the emulator no longer answer.
  await expect(fetch(`${emulatorUrl}/_emulator/health`)).rejects.toThrow();
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  return { output };
}

describe('the README run command', () => {
  it('given a fresh clone, when the command runs, then the dashboard answers, all resources get Synced, Ctrl-C stops it cleanly, and a second start makes zero writes', async () => {
    const command = readmeRunCommand(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(command).toBe('npm install && npm start');
    const tmp = await tempDir('ecs-gitops-readme-');
    try {
      const clone = join(tmp.path, 'ecs-gitops');
      await git(tmp.path, 'clone', '--quiet', ROOT, clone);
      const first = await runUntilSynced(command, clone);
      expect(first.output).toMatch(/"outcome":"created"/);
      // A second start finds the state persisted in .ecs-gitops/ and everything in sync: zero writes.
      const second = await runUntilSynced('npm start', clone, async (emulatorUrl) => {
        const calls = (await (await fetch(`${emulatorUrl}/_emulator/calls`)).json()) as Record<
          string,
          number
        >;
        const writes = Object.keys(calls).filter((op) =>
          /:(Create|Update|Register|Put|Delete|Deregister|Tag|Untag)/.test(op),
        );
        expect(writes).toEqual([]);
      });
      expect(second.output).not.toMatch(/"outcome":"created"/);
    } finally {
      await tmp.cleanup();
    }
  }, 360_000);
});
