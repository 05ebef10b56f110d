// Strict `${NAME}` substitution in string values: every reference must be a declared var (a value in
// an overlay, or a name of the controller's environment the overlay declares), `$${` writes a literal
// `${`. A value that is one reference keeps the var's type (`desiredCount: ${REPLICAS}` → 3).
import type { SourceLocation } from '../../types.js';
import type { Origins, Sourced } from './model.js';
import { isMapping, originAt } from './sourced.js';

export interface VarDefinition {
  /** Undefined when it comes from an environment variable that is not set. */
  readonly value: string | number | boolean | undefined;
  /** Where the var was declared (the overlay's `vars.NAME`). */
  readonly at: SourceLocation;
  /** `env: NAME` form: the environment variable it reads. */
  readonly env?: string;
}

export type Vars = ReadonlyMap<string, VarDefinition>;

export interface VarProblem {
  readonly location: SourceLocation;
  readonly message: string;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Outcome = { readonly value: unknown; readonly from?: SourceLocation } | { readonly error: string };

function substitute(
  text: string,
  vars: Vars,
  unset: (name: string, definition: VarDefinition) => string,
): Outcome {
  if (!text.includes('${')) return { value: text };
  const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
  if (whole?.[1]) {
    const definition = vars.get(whole[1]);
    if (!definition) return { error: undefinedMessage(whole[1], vars) };
    if (definition.value === undefined) return { error: unset(whole[1], definition) };
    return { value: definition.value, from: definition.at };
  }
  let error: string | undefined;
  const value = text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (error) return match;
    if (!match.endsWith('}')) {
      error = `unterminated "\${" (write "$\${" for a literal "\${")`;
      return match;
    }
    if (name === undefined || !NAME.test(name)) {
      error = `"\${${name ?? ''}}" is not a variable reference (names are letters, digits and _; write "$\${" for a literal "\${")`;
      return match;
    }
    const definition = vars.get(name);
    if (!definition) {
      error = undefinedMessage(name, vars);
      return match;
    }
    if (definition.value === undefined) {
      error = unset(name, definition);
      return match;
    }
    return String(definition.value);
  });
  return error !== undefined ? { error } : { value };
}

function undefinedMessage(name: string, vars: Vars): string {
  const known = [...vars.keys()].sort();
  return `undefined variable \${${name}}${known.length ? ` (declared: ${known.join(', ')})` : ' (no vars declared)'}; declare it under spec.vars of an overlay, or write "$\${${name}}" for a literal`;
}

/** Substitutes in every string value of the documents, in place. Problems name the value's own location. */
export function substituteVars(documents: readonly Sourced[], vars: Vars): VarProblem[] {
  const problems: VarProblem[] = [];
  const reported = new Set<string>();
  const unset = (name: string, definition: VarDefinition): string => {
    const id = `${definition.at.file}:${definition.at.line}:${definition.at.column}`;
    if (!reported.has(id)) {
      reported.add(id);
      problems.push({
        location: definition.at,
        message: `variable ${name} reads the environment variable ${definition.env}, which is not set (give it a default)`,
      });
    }
    return ''; // reported once, where the var is declared
  };
  for (const document of documents) {
    const visit = (node: unknown, pointer: string, origins: Origins): unknown => {
      if (typeof node === 'string') {
        const outcome = substitute(node, vars, unset);
        if ('error' in outcome) {
          if (outcome.error)
            problems.push({
              location: originAt(origins, pointer) ?? { file: document.file, line: 1, column: 1 },
              message: outcome.error,
            });
          return node;
        }
        if (outcome.from) origins.value.set(pointer, outcome.from);
        return outcome.value;
      }
      if (Array.isArray(node)) {
        for (let index = 0; index < node.length; index++)
          node[index] = visit(node[index], `${pointer}/${index}`, origins);
        return node;
      }
      if (isMapping(node)) {
        for (const key of Object.keys(node)) {
          const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
          node[key] = visit(node[key], `${pointer}/${escaped}`, origins);
        }
      }
      return node;
    };
    document.value = visit(document.value, '', document.origins);
  }
  return problems;
}
