// `--targets FILE` / ECS_GITOPS_TARGETS: the targets one controller reconciles, each
// `{name, dir, region, roleArn?, externalId?}`. Bad input is a ConfigError naming file:line:col.
import { ConfigError, formatProblem, type ManifestProblem } from '../errors.js';
import { problemAt } from '../manifest/document-problems.js';
import { sortProblems } from '../manifest/index.js';
import { parseYamlFile } from '../manifest/yaml-documents.js';

export interface Target {
  /** Names the target in status (`status/<name>/…`), metrics (`target="<name>"`) and alerts. */
  readonly name: string;
  /** Manifest folder (plain or overlay) inside the watched repository. */
  readonly dir: string;
  readonly region: string;
  /** Assumed for this target's AWS calls (credentials refreshed before they expire). */
  readonly roleArn?: string;
  readonly externalId?: string;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const FIELDS = ['name', 'dir', 'region', 'roleArn', 'externalId'];

/** Parses the targets file: a YAML (or JSON) list, or `{targets: [...]}`. */
export function parseTargets(file: string, content: string | Buffer): Target[] {
  const parsed = parseYamlFile(file, content);
  const problems: ManifestProblem[] = [...parsed.problems];
  const document = parsed.documents[0];
  const targets: Target[] = [];
  if (document) {
    const root = document.value as unknown;
    const list = Array.isArray(root) ? root : (root as { targets?: unknown } | null)?.targets;
    const base = Array.isArray(root) ? '' : '/targets';
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(
        problemAt(
          document,
          base,
          'expected a non-empty list of targets ({name, dir, region, roleArn?, externalId?})',
        ),
      );
    } else {
      const seen = new Map<string, number>();
      for (const [index, item] of list.entries()) {
        const at = `${base}/${index}`;
        const report = (field: string, message: string, where: 'key' | 'value' = 'value'): void => {
          problems.push(problemAt(document, field ? `${at}/${field}` : at, message, { at: where }));
        };
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          report('', 'a target is a mapping {name, dir, region, roleArn?, externalId?}');
          continue;
        }
        const record = item as Record<string, unknown>;
        for (const key of Object.keys(record))
          if (!FIELDS.includes(key))
            report(key, `unknown field "${key}" (fields: ${FIELDS.join(', ')})`, 'key');
        const text = (field: string) =>
          typeof record[field] === 'string' ? (record[field] as string) : undefined;
        const name = text('name');
        const dir = text('dir');
        const region = text('region');
        if (!name || !NAME.test(name))
          report(
            'name',
            'name must be lowercase letters, digits and "-" (at most 63), as it names status folders and metric labels',
          );
        if (!dir) report('dir', 'dir (the manifest folder in the repository) is required');
        if (!region || !REGION.test(region))
          report('region', 'region must be an AWS region such as eu-west-1');
        const roleArn = text('roleArn');
        if (record.roleArn !== undefined && (!roleArn || !ROLE_ARN.test(roleArn)))
          report('roleArn', 'roleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME)');
        const externalId = text('externalId');
        if (record.externalId !== undefined && (!externalId || externalId.length < 2))
          report('externalId', 'externalId must be a string of at least 2 characters');
        if (name && seen.has(name)) report('name', `duplicate target name "${name}"`);
        if (name) seen.set(name, index);
        if (name && dir && region)
          targets.push({
            name,
            dir,
            region,
            ...(roleArn ? { roleArn } : {}),
            ...(externalId ? { externalId } : {}),
          });
      }
    }
  } else if (problems.length === 0) {
    problems.push({ location: { file, line: 1, column: 1 }, message: 'the targets file is empty' });
  }
  if (problems.length > 0)
    throw new ConfigError(`invalid targets file:\n${sortProblems(problems).map(formatProblem).join('\n')}`);
  return targets;
}
