// RFC 6902 patches for what a strategic merge cannot say (an item of a list without an ECS identity,
// an index, a test). Applied by fast-json-patch; this module keeps each value's origin in step
// (an insertion into a list renumbers the items after it) so problems still point where values were written.
import jsonPatch from 'fast-json-patch';
import type { SourceLocation } from '../../types.js';
import type { JsonPatchOperation, Origins, Sourced } from './model.js';
import { extract, graft, prune, shift } from './sourced.js';

/** Fields that say which resource a document is: changed by namePrefix/nameSuffix, never by a patch. */
const IDENTITY = new Set(['', '/apiVersion', '/kind', '/metadata', '/metadata/name']);

const MESSAGES: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist in the document',
  OPERATION_FROM_UNRESOLVABLE: '"from" does not exist in the document',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'a list index must be a number or "-"',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the index is past the end of the list',
  OPERATION_PATH_CANNOT_ADD: 'cannot add at this path: its parent does not exist',
  TEST_OPERATION_FAILED: 'test failed: the document holds a different value',
  OPERATION_VALUE_REQUIRED: '"value" is required for add, replace and test',
  OPERATION_FROM_REQUIRED: '"from" is required for move and copy',
  OPERATION_PATH_INVALID: 'the path must be a JSON pointer starting with "/"',
};

export interface OperationSource {
  readonly operation: JsonPatchOperation;
  /** Origins of the patch file and the pointer of this operation in it. */
  readonly origins: Origins;
  readonly pointer: string;
}

export type OperationProblem = (field: 'path' | 'from' | 'value' | 'op', message: string) => void;

function split(pointer: string): { parent: string; token: string } {
  const slash = pointer.lastIndexOf('/');
  return { parent: pointer.slice(0, slash), token: pointer.slice(slash + 1) };
}

function valueAt(document: unknown, pointer: string): unknown {
  try {
    return jsonPatch.getValueByPointer(document, pointer);
  } catch {
    return undefined;
  }
}

/** Where an inserted value lands, and makes room for it in the origins. Mirrors RFC 6902 "add". */
function insert(document: unknown, origins: Origins, path: string, added: Origins): void {
  const { parent, token } = split(path);
  const container = valueAt(document, parent);
  let at = path;
  if (Array.isArray(container)) {
    const index = token === '-' ? container.length : Number(token);
    shift(origins, parent, index, 1);
    at = `${parent}/${index}`;
  }
  prune(origins, at);
  graft(origins, at, added, '');
}

function removeAt(document: unknown, origins: Origins, path: string): void {
  const { parent, token } = split(path);
  prune(origins, path);
  if (Array.isArray(valueAt(document, parent))) shift(origins, parent, Number(token) + 1, -1);
}

/** Applies one operation to one document in place; on failure the document and its origins are unchanged. */
export function applyOperation(document: Sourced, source: OperationSource, problem: OperationProblem): void {
  const { operation } = source;
  for (const field of ['path', 'from'] as const) {
    const pointer = operation[field];
    if (pointer !== undefined && IDENTITY.has(pointer) && (field === 'path' || operation.op === 'move')) {
      problem(
        field,
        `${pointer || '(the whole document)'} is the resource's identity; patch its spec, or use namePrefix / nameSuffix`,
      );
      return;
    }
  }
  const origins: Origins = { value: new Map(document.origins.value), key: new Map(document.origins.key) };
  const own = extract(source.origins, `${source.pointer}/value`);
  const where: SourceLocation | undefined = source.origins.value.get(source.pointer);
  if (where && !own.value.has('')) own.value.set('', where);
  const before = document.value;
  switch (operation.op) {
    case 'add':
      insert(before, origins, operation.path, own);
      break;
    case 'replace':
      prune(origins, operation.path);
      graft(origins, operation.path, own, '');
      break;
    case 'remove':
      removeAt(before, origins, operation.path);
      break;
    case 'move': {
      const moved = extract(origins, operation.from ?? '');
      removeAt(before, origins, operation.from ?? '');
      insert(before, origins, operation.path, moved);
      break;
    }
    case 'copy':
      insert(before, origins, operation.path, extract(origins, operation.from ?? ''));
      break;
    case 'test':
      break;
  }
  try {
    const copy = structuredClone(operation) as jsonPatch.Operation;
    jsonPatch.applyOperation(before, copy, true, true, true);
  } catch (error) {
    const name = error instanceof jsonPatch.JsonPatchError ? error.name : '';
    const field = name.startsWith('OPERATION_FROM')
      ? 'from'
      : name === 'OPERATION_VALUE_REQUIRED'
        ? 'value'
        : 'path';
    problem(field, MESSAGES[name] ?? (error instanceof Error ? error.message : String(error)));
    return;
  }
  for (const name of ['value', 'key'] as const) {
    document.origins[name].clear();
    for (const [pointer, location] of origins[name]) document.origins[name].set(pointer, location);
  }
}
