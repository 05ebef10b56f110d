// Incremental parsing: a file whose content did not change since the last revision is not parsed
// again (YAML with the position of every node is most of a revision's parse time); its documents are
// reused, and validation and the cross-file checks run on them as on fresh ones. Pure memoization
// (no I/O): the controller keeps one cache for its lifetime and passes it to every parse.
import type { ParsedFile } from './yaml-documents.js';

type ParsedManifestFile = ParsedFile;

function sameContent(a: Buffer | string, b: Buffer | string): boolean {
  if (typeof a === 'string' || typeof b === 'string') return String(a) === String(b);
  return a.equals(b);
}

export class ManifestParseCache {
  private entries = new Map<string, { content: Buffer | string; parsed: ParsedManifestFile }>();
  private next = new Map<string, { content: Buffer | string; parsed: ParsedManifestFile }>();
  /** Files parsed (misses) and reused (hits) by the last parse. */
  readonly stats = { parsed: 0, reused: 0 };

  /** The cached result for this exact content, or a fresh one from `parse`. */
  get(path: string, content: Buffer | string, parse: () => ParsedManifestFile): ParsedManifestFile {
    const known = this.entries.get(path);
    const hit = known && sameContent(known.content, content) ? known.parsed : undefined;
    const parsed = hit ?? parse();
    if (hit) this.stats.reused += 1;
    else this.stats.parsed += 1;
    this.next.set(path, { content, parsed });
    return parsed;
  }

  /** Starts a revision: counters reset; files not seen again by `commit` are forgotten. */
  begin(): void {
    this.next = new Map();
    this.stats.parsed = 0;
    this.stats.reused = 0;
  }

  /** Ends a revision: only the files of this revision stay cached (deleted files are dropped). */
  commit(): void {
    this.entries = this.next;
    this.next = new Map();
  }
}
