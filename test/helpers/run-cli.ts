// The CLI in-process against AWS endpoints: test credentials for the SDK's chain (it reads the
// process environment, not the CLI's), the caller's environment, no colors.
import { type CliRun, runCommand } from './cli.js';

export function runCliCaptured(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  return runCommand(args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
}
