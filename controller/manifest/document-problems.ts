// Turns "this JSON pointer in this document is wrong" into a ManifestProblem with file:line:col.
import type { ManifestProblem } from '../errors.js';
import { locate } from './positions.js';
import { pointerToPath, type YamlDocument } from './yaml-documents.js';

function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/**
 * Offset of the node at `pointer`. Falls back to the key (for empty values) and then to the nearest
 * ancestor, because nodes inside aliases or merged content have no position of their own.
 */
export function offsetOf(document: YamlDocument, pointer: string, at: 'key' | 'value' = 'value'): number {
  let current: string | undefined = pointer;
  while (current !== undefined) {
    const key = document.positions.key.get(current);
    const value = document.positions.value.get(current);
    if (at === 'key' && key !== undefined) return key;
    if (value !== undefined && value >= 0) return value;
    if (key !== undefined) return key;
    current = parentPointer(current);
  }
  return document.offset;
}

export function problemAt(
  document: YamlDocument,
  pointer: string,
  message: string,
  options: { resource?: string | undefined; at?: 'key' | 'value' } = {},
): ManifestProblem {
  const offset = offsetOf(document, pointer, options.at);
  const path = pointerToPath(pointer);
  return {
    location: { file: document.file, ...locate(document.lines, offset) },
    ...(options.resource ? { resource: options.resource } : {}),
    ...(path ? { path } : {}),
    message,
  };
}
