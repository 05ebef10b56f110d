// `ecs-gitops validate [PATH...]`: load and check manifests without touching AWS. Each PATH is a folder
// of manifests, an overlay folder (rendered first) or a single file; `validate envs/*` checks every
// environment in one step. Exit 0 all clean, 1 problems in any.
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { formatProblem, type ManifestProblem } from '../errors.js';
import { describeProblemCount, parseManifests } from '../manifest/index.js';
import type { ManifestResult } from '../manifest/model.js';
import { escapeControl } from '../printable.js';
import { contentRevision } from '../source/read-folder.js';
import { type CliContext, writeLine } from './context.js';
import { loadFolder } from './load-desired.js';

interface Checked {
  readonly target: string;
  readonly result: ManifestResult;
  /** Display form of a problem's file. */
  readonly shown: (problem: ManifestProblem) => ManifestProblem;
}

async function check(target: string, ctx: CliContext): Promise<Checked> {
  const info = await stat(target).catch(() => undefined);
  if (info?.isFile()) {
    // A single file: handy in editors and pre-commit hooks (references must then be in that file).
    const files = [{ path: basename(target), content: await readFile(target) }];
    const result = parseManifests(files, { revision: contentRevision(files) });
    const display = relative(ctx.cwd, target) || '.';
    return { target, result, shown: (p) => ({ ...p, location: { ...p.location, file: display } }) };
  }
  // Problems name files relative to the manifest root (the repository, for an overlay); show them
  // relative to where the user is.
  const { result, root } = await loadFolder(target, ctx.cwd, ctx.env);
  const shown = (problem: ManifestProblem): ManifestProblem => {
    const file = problem.location.file;
    const display = relative(ctx.cwd, isAbsolute(file) ? file : join(root, file)) || '.';
    return { ...problem, location: { ...problem.location, file: display } };
  };
  return { target, result, shown };
}

function asJson(checked: Checked, ctx: CliContext) {
  const { result, shown, target } = checked;
  // Escaped like the text output: JSON encoding alone leaves bidi overrides and C1 controls raw.
  const flat = (problem: ManifestProblem) => ({
    file: escapeControl(problem.location.file),
    line: problem.location.line,
    column: problem.location.column,
    ...(problem.resource ? { resource: escapeControl(problem.resource) } : {}),
    ...(problem.path ? { path: escapeControl(problem.path) } : {}),
    message: escapeControl(problem.message),
  });
  return {
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
    problems: (result.ok ? [] : result.problems).map(shown).map(flat),
    ...(result.ok ? {} : { problemCount: result.problemCount }),
    warnings: result.warnings.map(shown).map(flat),
  };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check manifests (schema, references, ECS rules) without contacting AWS')
    .argument('[paths...]', 'folders (plain or overlays) or single files of manifests', ['manifests'])
    .addOption(
      new Option('--output <format>', 'text or json')
        .choices(['text', 'json'])
        .default('text')
        .env('ECS_GITOPS_OUTPUT'),
    )
    .action(async (paths: string[], options: { output: 'text' | 'json' }) => {
      const checked: Checked[] = [];
      for (const path of paths) checked.push(await check(resolve(ctx.cwd, path), ctx));
      const ok = checked.every((item) => item.result.ok);
      if (options.output === 'json') {
        // One folder keeps the one-object form scripts already read; several come as a list.
        const single = checked.length === 1 ? checked[0] : undefined;
        const output = single
          ? asJson(single, ctx)
          : { ok, folders: checked.map((item) => asJson(item, ctx)) };
        writeLine(ctx.stdout, JSON.stringify(output, null, 2));
      } else {
        for (const { target, result, shown } of checked) {
          for (const problem of result.ok ? [] : result.problems)
            writeLine(ctx.stdout, formatProblem(shown(problem)));
          for (const warning of result.warnings)
            writeLine(ctx.stderr, `warning: ${formatProblem(shown(warning))}`);
          const where = relative(ctx.cwd, target) || '.';
          if (result.ok) {
            const count = result.desired.resources.length;
            writeLine(
              ctx.stdout,
              `${where}: ${count} resource${count === 1 ? '' : 's'} valid (revision ${result.desired.revision})`,
            );
          } else {
            const prefix = checked.length > 1 ? `${where}: ` : '';
            writeLine(
              ctx.stderr,
              `${prefix}${describeProblemCount(result.problems.length, result.problemCount)} found; nothing would be applied`,
            );
          }
        }
      }
      ctx.setExitCode(ok ? 0 : 1);
    });
}
