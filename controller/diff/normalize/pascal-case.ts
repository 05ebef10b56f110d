// Application Auto Scaling speaks PascalCase; manifests use camelCase. Convert live objects once.
import { isPlainObject } from './values.js';

/** `TargetValue` → `targetValue`, `RoleARN` → `roleARN`. */
export function camelCaseKey(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/** Deeply converts object keys from PascalCase to camelCase. Values are untouched. */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[camelCaseKey(key)] = camelCaseKeys(field);
    return out;
  }
  return value;
}
