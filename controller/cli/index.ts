// The command table and the in-process CLI runner (main.ts wires it to the real process).
import { Command, CommanderError } from 'commander';
import { EcsGitopsError, errorMessage } from '../errors.js';
import type { CliContext, CliIo } from './context.js';

/** Each command module registers itself on the program. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

// One line per command; each module owns its flags, output and exit codes.
const commands: Array<() => Promise<{ register: RegisterCommand }>> = [
  () => import('./validate.js'),
  () => import('./render.js'),
  () => import('./diff.js'),
  () => import('./verify.js'),
  () => import('./apply.js'),
  () => import('./emulator.js'),
  () => import('./status.js'),
  () => import('./run.js'),
  () => import('./import.js'),
  () => import('./run-task.js'),
  () => import('./gate.js'),
];

/** The whole command tree (also read by docs/tools to write docs/cli.md). */
export async function buildProgram(ctx: CliContext): Promise<Command> {
  const program = new Command('ecs-gitops')
    .description('Declarative GitOps reconciler for AWS ECS')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .showHelpAfterError();
  for (const load of commands) (await load()).register(program, ctx);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    ...io,
    setExitCode(code) {
      exitCode = Math.max(exitCode, code);
    },
  };
  const program = await buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr.write(`error: ${errorMessage(error)}\n`);
    if (!(error instanceof EcsGitopsError) && io.env.ECS_GITOPS_DEBUG)
      io.stderr.write(`${String((error as Error).stack)}\n`);
    return 2;
  }
  return exitCode;
}
