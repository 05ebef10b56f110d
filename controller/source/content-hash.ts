// The revision of a plain folder: a hash over every manifest's path and bytes, so the same content
// always has the same revision and any edit, rename or deletion changes it.
import { createHash } from 'node:crypto';

export interface HashableFile {
  readonly path: string;
  readonly content: Buffer | string;
}

export function contentRevision(files: readonly HashableFile[]): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    // Length-prefixed so ("a", "bc") and ("ab", "c") can never collide.
    hash.update(`${file.path.length}:${file.path}:${bytes.length}:`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex').slice(0, 12)}`;
}
