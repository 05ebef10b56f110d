// Turns "this JSON pointer in this document is wrong" into a ManifestProblem with file:line:col.
import type { ManifestProblem } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { locate } from './positions.js';
import { type NodeOrigins, pointerToPath, type YamlDocument } from './yaml-documents.js';

function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/**
 * Offset of the node at `pointer`. Falls back to the key (for empty values) and then to the nearest
 * ancestor, because nodes inside aliases or merged content have no position of their own.
 */
export function offsetOf(document: YamlDocument, pointer: string, at: 'key' | 'value' = 'value'): number {
  // The document itself (every resource's source line): known without its node positions.
  if (pointer === '' && !document.origins) return document.offset;
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

/** Like offsetOf, for rendered documents whose nodes were written in several files. */
export function originOf(
  origins: NodeOrigins,
  pointer: string,
  at: 'key' | 'value' = 'value',
): SourceLocation {
  let current: string | undefined = pointer;
  while (current !== undefined) {
    const key = origins.key.get(current);
    const value = origins.value.get(current);
    if (at === 'key' && key) return key;
    if (value) return value;
    if (key) return key;
    current = parentPointer(current);
  }
  return origins.value.get('') ?? { file: '?', line: 1, column: 1 };
}

export function locationOf(
  document: YamlDocument,
  pointer: string,
  at: 'key' | 'value' = 'value',
): SourceLocation {
  if (document.origins) return originOf(document.origins, pointer, at);
  if (pointer === '' && document.start) return { file: document.file, ...document.start };
  return { file: document.file, ...locate(document.lines, offsetOf(document, pointer, at)) };
}

export function problemAt(
  document: YamlDocument,
  pointer: string,
  message: string,
  options: { resource?: string | undefined; at?: 'key' | 'value' } = {},
): ManifestProblem {
  const path = pointerToPath(pointer);
  return {
    location: locationOf(document, pointer, options.at),
    ...(options.resource ? { resource: options.resource } : {}),
    ...(path ? { path } : {}),
    message,
  };
}
