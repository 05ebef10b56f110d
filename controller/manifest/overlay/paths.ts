// Paths an overlay names: relative to its folder, `/`-separated, and never outside the repository.
import { posix } from 'node:path';

export type Resolved = { readonly path: string } | { readonly error: string };

/** `''` is the repository root. */
export function resolveInRepository(folder: string, entry: string): Resolved {
  if (entry.startsWith('/') || /^[A-Za-z]:/.test(entry) || entry.startsWith('~'))
    return { error: `"${entry}" is absolute; resources are relative to the overlay's folder` };
  if (entry.includes('\\')) return { error: `"${entry}" uses "\\"; write paths with "/"` };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry))
    return { error: `"${entry}" is a URL; an overlay reads only this repository's files` };
  const joined = posix.normalize(posix.join(folder || '.', entry));
  if (joined === '..' || joined.startsWith('../'))
    return { error: `"${entry}" resolves outside the repository (to ${joined}); refused` };
  return { path: joined === '.' ? '' : joined.replace(/\/$/, '') };
}

export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

export function isManifestFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
