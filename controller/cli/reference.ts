// The CLI reference in Markdown, read from the command tree itself (every command, argument, flag,
// its ECS_GITOPS_* variable and default), so docs/cli.md cannot drift from what the CLI accepts. Pure.
import type { Argument, Command, Option } from 'commander';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function usage(command: Command): string {
  const args = command.registeredArguments.map((arg: Argument) => {
    const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
    return arg.required ? `<${name}>` : `[${name}]`;
  });
  return ['ecs-gitops', command.name(), '[options]', ...args].join(' ');
}

function defaultOf(option: Option): string {
  if (option.defaultValue === undefined || option.negate) return '';
  return `\`${typeof option.defaultValue === 'string' ? option.defaultValue : JSON.stringify(option.defaultValue)}\``;
}

function optionRow(option: Option): string {
  const env = option.envVar ? `\`${option.envVar}\`` : '';
  return `| \`${cell(option.flags)}\` | ${env} | ${cell(option.description)} | ${defaultOf(option)} |`;
}

function commandSection(command: Command): string[] {
  const lines = [
    `### \`${command.name()}\``,
    '',
    command.description(),
    '',
    '```',
    usage(command),
    '```',
    '',
  ];
  const options = command.options.filter((option) => !option.hidden);
  if (options.length > 0) {
    lines.push('| flag | environment | meaning | default |', '|---|---|---|---|');
    for (const option of options) lines.push(optionRow(option));
    lines.push('');
  }
  return lines;
}

/** Markdown for every command of the program, in the order they are registered. */
export function renderCliReference(program: Command): string {
  const lines: string[] = [];
  for (const command of program.commands) lines.push(...commandSection(command));
  return `${lines.join('\n').trimEnd()}\n`;
}
