// Runs the CLI in-process (runCli) with captured stdout/stderr, the way the bin runs it.
import { PassThrough } from 'node:stream';
import { runCli } from '../../controller/cli/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCliCaptured(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  // The SDK's credential chain reads the process environment, not the CLI's.
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const code = await runCli(args, {
    stdout,
    stderr,
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      ...process.env,
      NO_COLOR: '1',
      ...options.env,
    },
    cwd: options.cwd ?? process.cwd(),
    stopSignal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}
