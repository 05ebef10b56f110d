// `ecs-gitops render --dir envs/prod`: print the manifests an overlay folder renders to (YAML, or JSON
// with --output json), after the same validation `run` applies. Exit 0 valid, 1 problems (nothing printed
// on stdout then, so `render > out.yaml` never writes half a result).
import { isAbsolute, join, relative } from 'node:path';
import { type Command, Option } from 'commander';
import { addSourceOptions, resolveConfig } from '../config.js';
import { formatProblem } from '../errors.js';
import { printRendered } from '../manifest/overlay/index.js';
import { type CliContext, writeLine } from './context.js';
import { loadDesired } from './load-desired.js';

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('render')
    .description(
      'print the manifests a folder renders to (an overlay with its bases, patches, images and vars)',
    );
  addSourceOptions(command);
  command.addOption(
    new Option('--output <format>', 'yaml or json')
      .choices(['yaml', 'json'])
      .default('yaml')
      .env('ECS_GITOPS_RENDER_OUTPUT'),
  );
  command.action(async (raw: Record<string, unknown>) => {
    const format = raw.output as 'yaml' | 'json';
    const { output: _output, ...rest } = raw;
    const config = resolveConfig(rest, ctx.env);
    const { result, root, rendered } = await loadDesired(config, ctx.cwd, ctx.env);
    if (!result.ok) {
      for (const problem of result.problems) {
        const file = problem.location.file;
        const display = root ? relative(ctx.cwd, isAbsolute(file) ? file : join(root, file)) || file : file;
        writeLine(
          ctx.stderr,
          formatProblem({ ...problem, location: { ...problem.location, file: display } }),
        );
      }
      writeLine(ctx.stderr, `${result.problems.length} problem(s) found; nothing rendered`);
      ctx.setExitCode(1);
      return;
    }
    if (!rendered) {
      writeLine(
        ctx.stderr,
        `error: ${config.source.path ?? config.source.dir} holds no ecs-gitops.yaml: render prints what an overlay builds (validate checks a plain folder)`,
      );
      ctx.setExitCode(2);
      return;
    }
    ctx.stdout.write(printRendered(rendered, format));
  });
}
