// Origins bookkeeping for documents being rendered: every transform (merge, JSON patch, images, vars)
// moves values around, and the file:line:col of each value has to move with it.
import type { SourceLocation } from '../../types.js';
import { locate } from '../positions.js';
import { escapePointer, type YamlDocument } from '../yaml-documents.js';
import type { Origins, Sourced } from './model.js';

export function emptyOrigins(): Origins {
  return { value: new Map(), key: new Map() };
}

/** Origins of a parsed YAML document: its offsets turned into locations in its file. */
export function originsOf(document: YamlDocument): Origins {
  if (document.origins) {
    return { value: new Map(document.origins.value), key: new Map(document.origins.key) };
  }
  const origins = emptyOrigins();
  const lines = document.lines; // built on demand: once for all of the document's nodes
  const at = (offset: number): SourceLocation => ({ file: document.file, ...locate(lines, offset) });
  for (const [pointer, offset] of document.positions.value)
    if (offset >= 0) origins.value.set(pointer, at(offset));
  for (const [pointer, offset] of document.positions.key)
    if (offset >= 0) origins.key.set(pointer, at(offset));
  if (!origins.value.has('')) origins.value.set('', at(document.offset));
  return origins;
}

export function sourcedOf(document: YamlDocument): Sourced {
  return { value: document.value, origins: originsOf(document), file: document.file, index: document.index };
}

const inside = (pointer: string, root: string) => pointer === root || pointer.startsWith(`${root}/`);

/** Removes the origins of the node at `root` and everything below it. */
export function prune(origins: Origins, root: string): void {
  for (const map of [origins.value, origins.key])
    for (const pointer of [...map.keys()]) if (inside(pointer, root)) map.delete(pointer);
}

/** The origins of the subtree at `root`, re-rooted at ''. */
export function extract(origins: Origins, root: string): Origins {
  const out = emptyOrigins();
  for (const [name, map] of [
    ['value', origins.value],
    ['key', origins.key],
  ] as const) {
    for (const [pointer, location] of map)
      if (inside(pointer, root)) out[name].set(pointer.slice(root.length), location);
  }
  return out;
}

/** Copies the origins of `from`'s subtree at `fromRoot` to `to` at `toRoot` (key origin of the root too). */
export function graft(to: Origins, toRoot: string, from: Origins, fromRoot: string): void {
  for (const [name, map] of [
    ['value', from.value],
    ['key', from.key],
  ] as const) {
    for (const [pointer, location] of map)
      if (inside(pointer, fromRoot)) to[name].set(toRoot + pointer.slice(fromRoot.length), location);
  }
}

/** Renumbers the items of the list at `list` from index `start` on by `delta` (an insertion or removal). */
export function shift(origins: Origins, list: string, start: number, delta: number): void {
  const prefix = `${list}/`;
  for (const map of [origins.value, origins.key]) {
    const moved: [string, SourceLocation][] = [];
    for (const [pointer, location] of map) {
      if (!pointer.startsWith(prefix)) continue;
      const rest = pointer.slice(prefix.length);
      const slash = rest.indexOf('/');
      const index = Number(slash < 0 ? rest : rest.slice(0, slash));
      if (!Number.isInteger(index) || index < start) continue;
      map.delete(pointer);
      moved.push([`${prefix}${index + delta}${slash < 0 ? '' : rest.slice(slash)}`, location]);
    }
    for (const [pointer, location] of moved) map.set(pointer, location);
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pointerOf(...segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointer(String(segment))}`).join('');
}

/** Where a node is, falling back to its nearest ancestor. */
export function originAt(origins: Origins, pointer: string): SourceLocation | undefined {
  let current = pointer;
  for (;;) {
    const found = origins.value.get(current) ?? origins.key.get(current);
    if (found) return found;
    if (current === '') return undefined;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}

/** Plain data, deep-copied: documents are shared between targets and levels, never mutated in place. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
