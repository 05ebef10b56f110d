// A stable content hash of a task definition: same content (after normalization) → same hash,
// whatever key order, unit spelling or default-filling the manifest used.
import { createHash } from 'node:crypto';
import { normalizeTaskDefinition } from './normalize/task-definition.js';
import { type PlainObject, stableStringify } from './normalize/values.js';

export function taskDefinitionFingerprint(family: string, spec: PlainObject): string {
  const content = { family, ...normalizeTaskDefinition(spec) };
  return createHash('sha256').update(stableStringify(content)).digest('hex');
}
