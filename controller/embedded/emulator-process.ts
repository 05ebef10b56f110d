// Starts the bundled emulator as a separate process (the controller never imports emulator/):
// `ecs-gitops emulator` in a child, whose first URL line tells where it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { emulatorCommandLine } from '../cli/emulator.js';
import { StartupError } from '../errors.js';

export interface EmulatorProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(options: {
  readonly stateFile: string;
  readonly port?: number;
  readonly speed?: number;
  /** Images matching this regex fail to start (the demo's failed rollout). */
  readonly failImagePattern?: string;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}): Promise<EmulatorProcess> {
  const { command, args } = emulatorCommandLine();
  args.push('--port', String(options.port ?? 0), '--state', options.stateFile);
  if (options.speed) args.push('--speed', String(options.speed));
  if (options.failImagePattern) args.push('--fail-image-pattern', options.failImagePattern);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new StartupError(
          `the emulator did not start within ${options.timeoutMs ?? 30_000} ms: ${errors.trim()}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /(https?:\/\/[^\s"']+)/.exec(buffered);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new StartupError(`the emulator exited with code ${code}: ${errors.trim()}`));
    });
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.log?.(line.trim());
  });
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
