// The Debian `aws` CLI (botocore), an independent client of the emulator's wire protocols.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `aws ARGS --endpoint-url URL --output json`; a failing call rejects with its stderr. */
export async function awsCli(
  endpoint: string,
  region: string,
  ...args: string[]
): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(
      'aws',
      [...args, '--endpoint-url', endpoint, '--region', region, '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
          AWS_SECRET_ACCESS_KEY: 'emulator-secret',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
      },
    );
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error((e.stderr ?? e.message ?? String(error)).trim());
  }
}
