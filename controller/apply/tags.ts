// Keeping a resource's tags in line with its manifest, plus the controller's ownership tags.
import type { FieldChange } from '../diff/model.js';

function isTagPath(path: string): boolean {
  return path === 'tags' || path.startsWith('tags.') || path.startsWith('tags[');
}

/** The tag keys the diff says must go (`tags.team` / `tags[team]` removed, or the whole map). */
export function removedTagKeys(changes: readonly FieldChange[], keep: ReadonlySet<string>): string[] {
  const removed = new Set<string>();
  for (const change of changes) {
    if (!isTagPath(change.path)) continue;
    if (change.path === 'tags') {
      const live = (change.live ?? {}) as Record<string, unknown>;
      const desired = (change.desired ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(live)) if (!(key in desired)) removed.add(key);
      continue;
    }
    if (change.op !== 'remove') continue;
    const key = change.path.startsWith('tags.')
      ? change.path.slice('tags.'.length)
      : change.path.slice('tags['.length).replace(/\]$/, '');
    removed.add(key);
  }
  for (const key of keep) removed.delete(key);
  return [...removed].sort();
}

export function hasTagChanges(changes: readonly FieldChange[]): boolean {
  return changes.some((change) => isTagPath(change.path));
}

/** `containerDefinitions[web].image` → `containerDefinitions`. */
export function topLevelField(path: string): string {
  const match = /^[^.[]+/.exec(path);
  return match ? match[0] : path;
}

export function changedTopLevelFields(changes: readonly FieldChange[]): Set<string> {
  return new Set(changes.map((change) => topLevelField(change.path)));
}
