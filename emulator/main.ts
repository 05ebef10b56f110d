// Standalone emulator process: `tsx emulator/main.ts --port 4566 --state FILE ...`.
// Prints one line with its URL when ready; SIGINT/SIGTERM (or the death of the `ecs-gitops
// emulator` parent, through its IPC channel) flush the state and exit 0.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_TIMINGS } from './options.js';
import { StateFileError } from './persistence/state-file.js';

const USAGE = `Usage: emulator [options]

Local ECS + Application Auto Scaling endpoint (AWS JSON 1.1).

Options:
  --port N                  port to listen on (default 4566; 0 = any free port)
  --host HOST               interface to bind (default 127.0.0.1)
  --state FILE              persist state to FILE (atomic writes); default: in memory
  --account-id ID           account id in ARNs (default ${DEFAULT_ACCOUNT_ID})
  --speed X                 emulated seconds per real second (default 1)
  --manual-clock            time moves only through POST /_emulator/clock/advance
  --fail-image-pattern RE   tasks whose image matches RE fail to start
  --provisioning-seconds N  task PROVISIONING duration (default ${DEFAULT_TIMINGS.provisioningSeconds})
  --pending-seconds N       task PENDING duration (default ${DEFAULT_TIMINGS.pendingSeconds})
  --stopping-seconds N      task stop duration (default ${DEFAULT_TIMINGS.stoppingSeconds})
  -h, --help                show this help
`;

function number(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min) {
    throw new RangeError(`--${name} must be a number >= ${min}, got "${value}"`);
  }
  return parsed;
}

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  function parse(args: string[]) {
    return parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        state: { type: 'string' },
        'account-id': { type: 'string' },
        speed: { type: 'string' },
        'manual-clock': { type: 'boolean' },
        'fail-image-pattern': { type: 'string' },
        'provisioning-seconds': { type: 'string' },
        'pending-seconds': { type: 'string' },
        'stopping-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  }
  try {
    values = parse(argv).values;
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    const port = number('port', values.port, 0) ?? 4566;
    const speed = number('speed', values.speed, Number.MIN_VALUE);
    const provisioningSeconds = number('provisioning-seconds', values['provisioning-seconds'], 0);
    const pendingSeconds = number('pending-seconds', values['pending-seconds'], 0);
    const stoppingSeconds = number('stopping-seconds', values['stopping-seconds'], 0);
    const accountId = values['account-id'];
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
      throw new RangeError(`--account-id must be 12 digits, got "${accountId}"`);
    }
    emulator = await startEmulator({
      port,
      host: values.host ?? '127.0.0.1',
      ...(values.state ? { stateFile: values.state } : {}),
      ...(accountId ? { accountId } : {}),
      clock: values['manual-clock'] ? { mode: 'manual' } : { mode: 'real', speed: speed ?? 1 },
      ...(values['fail-image-pattern'] ? { failImagePattern: values['fail-image-pattern'] } : {}),
      timings: {
        ...(provisioningSeconds !== undefined ? { provisioningSeconds } : {}),
        ...(pendingSeconds !== undefined ? { pendingSeconds } : {}),
        ...(stoppingSeconds !== undefined ? { stoppingSeconds } : {}),
      },
    });
  } catch (error) {
    const message =
      error instanceof StateFileError || error instanceof RangeError ? error.message : String(error);
    process.stderr.write(`emulator: ${message}\n`);
    return error instanceof RangeError ? 2 : 1;
  }
  process.stdout.write(`ECS emulator listening on ${emulator.url}\n`);
  const signal = await new Promise<NodeJS.Signals | 'parent gone'>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    // Started by `ecs-gitops emulator` with an IPC channel: the channel closes when that parent
    // dies (even by SIGKILL, which it cannot forward), and an orphan would hold the port.
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', () => resolve('parent gone'));
    }
  });
  await emulator.close();
  process.stderr.write(
    `emulator: stopped (${signal})${values.state ? `, state saved to ${values.state}` : ''}\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
