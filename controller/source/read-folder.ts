// Reads every *.yaml / *.yml under a folder (recursively, sorted) for the pure manifest loader. The only
// file I/O of the manifest path. Symlinks are followed only while they stay inside the folder; hidden
// entries (.git, .github, …) are skipped; oversized or unreadable files, LFS pointers and manifest
// names that are not regular files are reported as problems (they reject the revision), not skipped.

import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { errorMessage, type ManifestProblem } from '../errors.js';
import { firstProblems, LIMITS, parseManifests } from '../manifest/index.js';
import type { ManifestFile, ManifestResult } from '../manifest/model.js';
import { contentRevision } from './content-hash.js';

export type { ManifestFile } from '../manifest/model.js';

const MANIFEST_FILE = /\.ya?ml$/i;

/** The first line of a Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
const LFS_POINTER = Buffer.from('version https://git-lfs.github.com/spec/');

export interface FolderContents {
  readonly files: ManifestFile[];
  readonly problems: ManifestProblem[];
}

export interface ReadFolderOptions {
  /**
   * The files of the previous read: a file whose text is the same is given back as that very
   * string, so unchanged files are held once (by the snapshot and by the parse cache alike) however
   * many revisions are read.
   */
  readonly previous?: readonly ManifestFile[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file as text when it is valid UTF-8, so the bytes are not kept next to the text the parser
 * reads (the parse reuses this very string); otherwise the bytes, for the parser to report.
 */
function asText(content: Buffer): Buffer | string {
  try {
    return UTF8.decode(content);
  } catch {
    return content;
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function problem(file: string, message: string): ManifestProblem {
  return { location: { file, line: 1, column: 1 }, message };
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

function fileType(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}

function sizeText(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function readManifestFolder(
  dir: string,
  options: ReadFolderOptions = {},
): Promise<FolderContents> {
  const files: ManifestFile[] = [];
  const previous = new Map<string, Buffer | string>();
  for (const file of options.previous ?? [])
    if (typeof file.content === 'string') previous.set(file.path, file.content);
  const problems: ManifestProblem[] = [];
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) return { files, problems: [problem(dir, 'not a folder')] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      files,
      problems: [
        problem(dir, code === 'ENOENT' ? 'no such folder' : `cannot read folder: ${errorMessage(error)}`),
      ],
    };
  }
  const visited = new Set<string>([root]);

  async function readManifest(path: string, real: string, size: number): Promise<void> {
    const rel = toPosix(relative(root, path));
    if (size > LIMITS.maxFileBytes) {
      problems.push(
        problem(
          rel,
          `file is too large (${sizeText(size)}; the limit is ${sizeText(LIMITS.maxFileBytes)} per manifest file)`,
        ),
      );
      return;
    }
    let content: Buffer;
    try {
      content = await readFile(real);
    } catch (error) {
      problems.push(problem(rel, `cannot read file: ${errorMessage(error)}`));
      return;
    }
    // The manifest itself lives in LFS storage, which the controller does not fetch: reading the
    // pointer as YAML would lose the resources it holds.
    if (content.subarray(0, LFS_POINTER.length).equals(LFS_POINTER)) {
      problems.push(
        problem(
          rel,
          'is a Git LFS pointer, not the manifest (its content is stored in LFS, which is not fetched); commit the YAML itself, without LFS',
        ),
      );
      return;
    }
    const text = asText(content);
    const known = previous.get(rel);
    files.push({ path: rel, content: known !== undefined && known === text ? known : text });
  }

  async function walk(folder: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      problems.push(
        problem(toPosix(relative(root, folder)) || '.', `cannot read folder: ${errorMessage(error)}`),
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const rel = toPosix(relative(root, path));
      let real = path;
      if (entry.isSymbolicLink()) {
        try {
          real = await realpath(path);
        } catch {
          if (MANIFEST_FILE.test(entry.name)) problems.push(problem(rel, 'broken symlink'));
          continue;
        }
        if (!isInside(root, real)) {
          problems.push(problem(rel, `symlink points outside the manifest folder (to ${real}); refused`));
          continue;
        }
      }
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(real);
      } catch (error) {
        problems.push(problem(rel, `cannot read: ${errorMessage(error)}`));
        continue;
      }
      if (info.isDirectory()) {
        if (visited.has(real)) continue; // a symlink loop or a second link to the same folder
        visited.add(real);
        await walk(path);
      } else if (MANIFEST_FILE.test(entry.name)) {
        if (info.isFile()) await readManifest(path, real, info.size);
        // A FIFO, socket or device named like a manifest cannot be read safely: not "no resources".
        else problems.push(problem(rel, `is not a regular file (${fileType(info)}); refused`));
      }
    }
  }

  await walk(root);
  return { files, problems };
}

export { contentRevision };

/** Reads and loads a folder in one step. Read problems (symlinks, sizes, permissions) fail the revision. */
export async function loadManifestFolder(dir: string, revision?: string): Promise<ManifestResult> {
  const { files, problems } = await readManifestFolder(dir);
  const result = parseManifests(files, { revision: revision ?? contentRevision(files) });
  if (problems.length === 0) return result;
  const all = [...problems, ...(result.ok ? [] : result.problems)];
  const counted = problems.length + (result.ok ? 0 : result.problemCount);
  return { ok: false, ...firstProblems(all, counted), warnings: result.warnings };
}
