// docs/cli.md's reference is generated from the CLI itself; this keeps the committed file current.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { renderCliReference } from '../../controller/cli/reference.js';
import { CLI_DOC, currentReference, withReference } from '../../docs/tools/cli-reference.js';

describe('CLI reference (docs/cli.md)', () => {
  it('given a command with arguments and options, when rendered, then usage, variables and defaults appear', () => {
    const program = new Command('ecs-gitops');
    program
      .command('diff')
      .description('show what apply would change')
      .argument('[paths...]')
      .addOption(new Option('--output <format>', 'text | json').env('ECS_GITOPS_OUTPUT').default('text'))
      .addOption(new Option('--no-preflight', 'skip checks').env('ECS_GITOPS_PREFLIGHT'));
    expect(renderCliReference(program)).toBe(
      [
        '### `diff`',
        '',
        'show what apply would change',
        '',
        '```',
        'ecs-gitops diff [options] [paths...]',
        '```',
        '',
        '| flag | environment | meaning | default |',
        '|---|---|---|---|',
        '| `--output <format>` | `ECS_GITOPS_OUTPUT` | text \\| json | `text` |',
        '| `--no-preflight` | `ECS_GITOPS_PREFLIGHT` | skip checks |  |',
        '',
      ].join('\n'),
    );
  });

  it('given the CLI as built, when docs/cli.md is read, then its reference section is current (else run `npm run gen:cli-docs`)', async () => {
    const doc = await readFile(CLI_DOC, 'utf8');
    expect(doc, 'docs/cli.md is out of date: run `npm run gen:cli-docs`').toBe(
      withReference(doc, await currentReference()),
    );
  });
});
