// `ecs-gitops validate [PATH]`: load and check manifests without touching AWS. Exit 0 clean, 1 problems.
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { formatProblem, type ManifestProblem } from '../errors.js';
import { parseManifests } from '../manifest/index.js';
import type { ManifestResult } from '../manifest/model.js';
import { contentRevision, loadManifestFolder } from '../source/read-folder.js';
import { type CliContext, writeLine } from './context.js';

async function load(target: string): Promise<ManifestResult> {
  const info = await stat(target).catch(() => undefined);
  if (info?.isFile()) {
    // A single file: handy in editors and pre-commit hooks (references must then be in that file).
    const files = [{ path: basename(target), content: await readFile(target) }];
    return parseManifests(files, { revision: contentRevision(files) });
  }
  return loadManifestFolder(target);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check manifests (schema, references, ECS rules) without contacting AWS')
    .argument('[path]', 'folder (or single file) of manifests', 'manifests')
    .addOption(
      new Option('--output <format>', 'text or json')
        .choices(['text', 'json'])
        .default('text')
        .env('ECS_GITOPS_OUTPUT'),
    )
    .action(async (path: string, options: { output: 'text' | 'json' }) => {
      const target = resolve(ctx.cwd, path);
      const isFile = (await stat(target).catch(() => undefined))?.isFile() ?? false;
      const result = await load(target);
      // Problems name files relative to the manifest root; show them relative to where the user is.
      const shown = (problem: ManifestProblem): ManifestProblem => {
        const file = problem.location.file;
        const full = isFile ? target : isAbsolute(file) ? file : join(target, file);
        const display = relative(ctx.cwd, full) || '.';
        return { ...problem, location: { ...problem.location, file: display } };
      };
      const problems = result.ok ? [] : result.problems.map(shown);
      const warnings = result.warnings.map(shown);
      if (options.output === 'json') {
        const flat = (problem: ManifestProblem) => ({
          file: problem.location.file,
          line: problem.location.line,
          column: problem.location.column,
          ...(problem.resource ? { resource: problem.resource } : {}),
          ...(problem.path ? { path: problem.path } : {}),
          message: problem.message,
        });
        const output = {
          ok: result.ok,
          path: relative(ctx.cwd, target) || '.',
          ...(result.ok
            ? {
                revision: result.desired.revision,
                resources: result.desired.resources.map((resource) => ({
                  kind: resource.kind,
                  name: resource.name,
                  file: shown({ location: resource.source, message: '' }).location.file,
                  line: resource.source.line,
                })),
              }
            : {}),
          problems: problems.map(flat),
          warnings: warnings.map(flat),
        };
        writeLine(ctx.stdout, JSON.stringify(output, null, 2));
      } else {
        for (const problem of problems) writeLine(ctx.stdout, formatProblem(problem));
        for (const warning of warnings) writeLine(ctx.stderr, `warning: ${formatProblem(warning)}`);
        if (result.ok) {
          const count = result.desired.resources.length;
          writeLine(
            ctx.stdout,
            `${relative(ctx.cwd, target) || '.'}: ${count} resource${count === 1 ? '' : 's'} valid (revision ${result.desired.revision})`,
          );
        } else {
          writeLine(
            ctx.stderr,
            `${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing would be applied`,
          );
        }
      }
      ctx.setExitCode(result.ok ? 0 : 1);
    });
}
