// `ecs-gitops emulator`: runs the local ECS endpoint as a child process (emulator/main), forwarding
// its flags, output and signals, and exiting with its code. It never imports emulator/ itself.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** The emulator entry: TypeScript via tsx in a checkout, compiled JavaScript in a package. */
export function emulatorCommandLine(): { command: string; args: string[] } {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const source = `${root}emulator/main.ts`;
  if (existsSync(source)) {
    const loader = import.meta.resolve('tsx');
    return { command: process.execPath, args: ['--import', loader, source] };
  }
  return { command: process.execPath, args: [`${root}emulator/main.js`] };
}

interface EmulatorFlags {
  port?: string;
  host?: string;
  state?: string;
  accountId?: string;
  speed?: string;
  manualClock?: boolean;
  failImagePattern?: string;
  provisioningSeconds?: string;
  pendingSeconds?: string;
  stoppingSeconds?: string;
}

function forwardedArgs(flags: EmulatorFlags): string[] {
  const args: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) args.push(`--${name}`, value);
  };
  add('port', flags.port);
  add('host', flags.host);
  add('state', flags.state);
  add('account-id', flags.accountId);
  add('speed', flags.speed);
  if (flags.manualClock) args.push('--manual-clock');
  add('fail-image-pattern', flags.failImagePattern);
  add('provisioning-seconds', flags.provisioningSeconds);
  add('pending-seconds', flags.pendingSeconds);
  add('stopping-seconds', flags.stoppingSeconds);
  return args;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('emulator')
    .description('Run the local ECS + Application Auto Scaling emulator (see emulator/README.md)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4566')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--state <file>', 'persist state to this file (default: in memory)')
    .option('--account-id <id>', 'account id in ARNs', '123456789012')
    .option('--speed <x>', 'emulated seconds per real second', '1')
    .option('--manual-clock', 'time moves only through POST /_emulator/clock/advance')
    .option('--fail-image-pattern <regex>', 'tasks whose image matches never start (trips circuit breakers)')
    .option('--provisioning-seconds <n>', 'task PROVISIONING duration')
    .option('--pending-seconds <n>', 'task PENDING duration')
    .option('--stopping-seconds <n>', 'task stop duration')
    .action(async (flags: EmulatorFlags) => {
      const { command, args } = emulatorCommandLine();
      const child = spawn(command, [...args, ...forwardedArgs(flags)], {
        cwd: ctx.cwd,
        env: { ...ctx.env },
        // The IPC channel is the child's lifeline: when this process dies, even by SIGKILL, the
        // channel closes and the emulator shuts down instead of holding its port as an orphan.
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      child.stdout?.on('data', (chunk: Buffer) => ctx.stdout.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => ctx.stderr.write(chunk));
      const forward = () => {
        const reason = ctx.stopSignal.reason;
        child.kill(reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
      };
      if (ctx.stopSignal.aborted) forward();
      else ctx.stopSignal.addEventListener('abort', forward, { once: true });
      const code = await new Promise<number>((resolve) => {
        child.once('error', (error) => {
          ctx.stderr.write(`error: cannot start the emulator: ${error.message}\n`);
          resolve(2);
        });
        child.once('close', (exitCode, signal) =>
          resolve(exitCode ?? (signal ? 128 + signalNumber(signal) : 1)),
        );
      });
      ctx.stopSignal.removeEventListener('abort', forward);
      ctx.setExitCode(code);
    });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : signal === 'SIGKILL' ? 9 : 1;
}
