// Plain environment values whose names look secret: written as they are (the round trip must hold),
// but named in a warning so they can move to `secrets` (SSM Parameter Store / Secrets Manager).
import { isSecretName } from '../diff/normalize/sensitive.js';
import { asArray, isPlainObject } from '../diff/normalize/values.js';

/** The diff's masking rule, plus a bare KEY word (ENCRYPTION_KEY, STRIPE_KEY) that import warns about. */
export function looksSecret(name: string): boolean {
  return isSecretName(name) || /(^|[_.-])key($|[_.-])/i.test(name);
}

/** `[container, variable]` pairs of secret-looking plain environment variables, in container order. */
export function secretLookingEnvironment(containers: unknown): [string, string][] {
  const out: [string, string][] = [];
  for (const container of asArray(containers)) {
    if (!isPlainObject(container)) continue;
    for (const variable of asArray(container.environment)) {
      if (isPlainObject(variable) && typeof variable.name === 'string' && looksSecret(variable.name))
        out.push([String(container.name), variable.name]);
    }
  }
  return out;
}
