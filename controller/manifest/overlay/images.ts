// Kustomize's images transformer for ECS: every `image` of a document's containerDefinitions whose
// name (the reference without tag or digest) matches an entry gets the entry's new name, tag or digest.
// Promoting a release is then one line of an overlay: `newTag: "1.28"`.
import type { SourceLocation } from '../../types.js';
import type { ImageSpec, Sourced } from './model.js';
import { isMapping } from './sourced.js';

export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry:5000/team/app:1.2@sha256:…` → name, tag, digest (a ':' after the last '/' starts the tag). */
export function parseImage(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const rest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const name = tag === undefined ? rest : rest.slice(0, colon);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export function formatImage(image: ImageReference): string {
  return `${image.name}${image.tag !== undefined ? `:${image.tag}` : ''}${image.digest !== undefined ? `@${image.digest}` : ''}`;
}

function transform(image: ImageReference, entry: ImageSpec): ImageReference {
  const name = entry.newName ?? image.name;
  if (entry.digest !== undefined) return { name, digest: entry.digest };
  if (entry.newTag !== undefined) return { name, tag: entry.newTag };
  return { ...image, name };
}

export interface ImageEntry {
  readonly spec: ImageSpec;
  /** Where the entry's new value was written: problems about the resulting image point there. */
  readonly at: SourceLocation;
}

/** Rewrites matching images in place; returns the indices of entries that matched nothing. */
export function applyImages(documents: readonly Sourced[], entries: readonly ImageEntry[]): number[] {
  const matched = new Set<number>();
  for (const document of documents) {
    const spec = isMapping(document.value) ? document.value.spec : undefined;
    const containers = isMapping(spec) ? spec.containerDefinitions : undefined;
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (!isMapping(container) || typeof container.image !== 'string') return;
      const image = parseImage(container.image);
      const entryIndex = entries.findIndex((entry) => entry.spec.name === image.name);
      const entry = entries[entryIndex];
      if (!entry) return;
      matched.add(entryIndex);
      container.image = formatImage(transform(image, entry.spec));
      document.origins.value.set(`/spec/containerDefinitions/${index}/image`, entry.at);
    });
  }
  return entries.flatMap((_, index) => (matched.has(index) ? [] : [index]));
}
