// Strategic merge: mappings merge key by key, `null` removes a key, lists with an ECS identity
// (merge-keys.ts) merge item by item (`$patch: delete` removes one), other lists and scalars are
// replaced. The patched nodes take the patch's origins, so problems point at the patch.
import { escapePointer } from '../yaml-documents.js';
import { isItem, type MergeKey, mergeKeyOf } from './merge-keys.js';
import type { Origins, Sourced } from './model.js';
import { clone, graft, isMapping, prune, shift } from './sourced.js';

const DIRECTIVE = '$patch';

export interface MergePatch {
  readonly value: Record<string, unknown>;
  readonly origins: Origins;
  /** Pointer of the patch inside its origins (`/spec/patches/0/merge` inline, `` for a file). */
  readonly root: string;
}

export type ProblemAt = (patchPointer: string, message: string) => void;

/** Inserts a patch value (without directives) at `to`, with the patch's origins. */
function place(target: Origins, to: string, patch: MergePatch, from: string, value: unknown): unknown {
  prune(target, to);
  graft(target, to, patch.origins, from);
  return withoutDirectives(clone(value));
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isMapping(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key !== DIRECTIVE) copy[key] = withoutDirectives(item);
  return copy;
}

function mergeMapping(
  target: Record<string, unknown>,
  targetPointer: string,
  patchValue: Record<string, unknown>,
  patchPointer: string,
  path: readonly string[],
  document: Sourced,
  patch: MergePatch,
  problem: ProblemAt,
): void {
  for (const [key, value] of Object.entries(patchValue)) {
    const to = `${targetPointer}/${escapePointer(key)}`;
    const from = `${patchPointer}/${escapePointer(key)}`;
    if (key === DIRECTIVE) {
      problem(from, `"${DIRECTIVE}" is only understood in an item of a merged list (${DIRECTIVE}: delete)`);
      continue;
    }
    const current = target[key];
    if (value === null) {
      delete target[key];
      prune(document.origins, to);
      continue;
    }
    const childPath = [...path, key];
    if (isMapping(value) && isMapping(current)) {
      mergeMapping(current, to, value, from, childPath, document, patch, problem);
      continue;
    }
    const mergeKey = mergeKeyOf(childPath);
    if (mergeKey && Array.isArray(value) && Array.isArray(current)) {
      mergeList(current, to, value, from, childPath, mergeKey, document, patch, problem);
      continue;
    }
    target[key] = place(document.origins, to, patch, from, value);
  }
}

function mergeList(
  target: unknown[],
  targetPointer: string,
  patchItems: readonly unknown[],
  patchPointer: string,
  path: readonly string[],
  key: MergeKey,
  document: Sourced,
  patch: MergePatch,
  problem: ProblemAt,
): void {
  patchItems.forEach((item, index) => {
    const from = `${patchPointer}/${index}`;
    if (!isItem(item) || !key.identifies(item)) {
      problem(
        from,
        `an item of ${path.join('.')} needs ${key.field}, which identifies the item to merge with`,
      );
      return;
    }
    const directive = item[DIRECTIVE];
    if (directive !== undefined && directive !== 'delete') {
      problem(
        `${from}/${DIRECTIVE}`,
        `unknown ${DIRECTIVE} ${JSON.stringify(directive)}; the one directive is "delete"`,
      );
      return;
    }
    const found = target.findIndex((existing) => isItem(existing) && key.same(existing, item));
    if (directive === 'delete') {
      if (found < 0) return; // already absent: deleting is idempotent
      target.splice(found, 1);
      prune(document.origins, `${targetPointer}/${found}`);
      shift(document.origins, targetPointer, found + 1, -1);
      return;
    }
    const existing = target[found];
    if (found >= 0 && isItem(existing)) {
      mergeMapping(existing, `${targetPointer}/${found}`, item, from, path, document, patch, problem);
      return;
    }
    target.push(place(document.origins, `${targetPointer}/${target.length}`, patch, from, item));
  });
}

/** Applies one merge patch to one document, in place. Identity fields (kind, name) are the caller's. */
export function strategicMerge(document: Sourced, patch: MergePatch, problem: ProblemAt): void {
  if (!isMapping(document.value)) return;
  mergeMapping(document.value, '', patch.value, patch.root, [], document, patch, problem);
}
