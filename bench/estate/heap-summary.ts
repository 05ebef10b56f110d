// Where a V8 heap snapshot's memory goes: self size summed by what each node is (its constructor
// for objects, its type for strings, arrays, code, …), largest first. Enough to tell parsed
// documents from raw responses from caches without opening DevTools.
import { readFile } from 'node:fs/promises';

interface HeapSnapshotFile {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly [readonly string[], ...unknown[]];
    };
  };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
}

export interface HeapGroup {
  readonly what: string;
  readonly count: number;
  readonly bytes: number;
}

export async function summarizeHeapSnapshot(
  path: string,
  top = 25,
): Promise<{ total: number; groups: HeapGroup[] }> {
  const file = JSON.parse(await readFile(path, 'utf8')) as HeapSnapshotFile;
  const fields = file.snapshot.meta.node_fields;
  const types = file.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < file.nodes.length; i += width) {
    const type = types[file.nodes[i + typeAt] ?? 0] ?? 'unknown';
    const bytes = file.nodes[i + sizeAt] ?? 0;
    total += bytes;
    const name = file.strings[file.nodes[i + nameAt] ?? 0] ?? '';
    const what = type === 'object' || type === 'closure' ? `${type} ${name}` : type;
    const group = groups.get(what) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += bytes;
    groups.set(what, group);
  }
  return {
    total,
    groups: [...groups]
      .map(([what, g]) => ({ what, ...g }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top),
  };
}
