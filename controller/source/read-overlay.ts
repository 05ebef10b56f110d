// Reads what an overlay folder needs from its repository: its ecs-gitops.yaml, and then, following
// its resources and patch files (and theirs, for stacked overlays), every folder and file they name.
// Only those, so a repository with code, node_modules or other teams' folders is not read at all.
// The pure renderer (manifest/overlay) then decides what is valid; paths outside the repository are
// not read here and are reported there.
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { errorMessage, type ManifestProblem } from '../errors.js';
import { LIMITS } from '../manifest/index.js';
import type { ManifestFile } from '../manifest/model.js';
import { OVERLAY_FILE, overlayReferences } from '../manifest/overlay/index.js';
import { readManifestFolder } from './read-folder.js';

export interface OverlayFiles {
  /** Repository-relative folder of the overlay. */
  readonly dir: string;
  /** Repository-relative, `/`-separated paths. */
  readonly files: readonly ManifestFile[];
  readonly problems: readonly ManifestProblem[];
  /** Absolute folders read: what a folder source watches. */
  readonly folders: readonly string[];
}

const toPosix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}

async function kindOf(path: string): Promise<'folder' | 'file' | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? 'folder' : info?.isFile() ? 'file' : undefined;
}

export async function isOverlayFolder(folder: string): Promise<boolean> {
  return (await kindOf(join(folder, OVERLAY_FILE))) === 'file';
}

/**
 * The repository a local folder belongs to: the nearest ancestor holding `.git`; without one, `cwd`
 * when the folder is inside it, else the folder itself. Overlays may not reach above it.
 */
export async function findRepositoryRoot(folder: string, cwd: string): Promise<string> {
  let current = resolve(folder);
  for (;;) {
    if ((await kindOf(join(current, '.git'))) !== undefined) return current;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  const base = resolve(cwd);
  return isInside(base, resolve(folder)) ? base : resolve(folder);
}

export async function readOverlayFiles(repository: string, dir: string): Promise<OverlayFiles> {
  const root = await realpath(repository);
  const target = await realpath(resolve(repository, dir)).catch(() => resolve(root, dir));
  const start = toPosix(relative(root, target)) || '';
  const files = new Map<string, Buffer | string>();
  const problems: ManifestProblem[] = [];
  const folders: string[] = [];
  const seen = new Set<string>();
  const queue = [start];
  const problem = (file: string, message: string) =>
    problems.push({ location: { file, line: 1, column: 1 }, message });

  async function readOne(path: string, absolute: string): Promise<Buffer | undefined> {
    const info = await stat(absolute);
    if (info.size > LIMITS.maxFileBytes) {
      problem(
        path,
        `file is too large (${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${LIMITS.maxFileBytes / 1024 / 1024} MB per manifest file)`,
      );
      return undefined;
    }
    return readFile(absolute);
  }

  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path) || path.startsWith('..')) continue;
    seen.add(path);
    const absolute = join(root, path);
    const real = await realpath(absolute).catch(() => undefined);
    if (real === undefined) continue; // missing: the renderer names the entry that wanted it
    if (!isInside(root, real)) {
      problem(path, `points outside the repository (to ${real}); refused`);
      continue;
    }
    try {
      const kind = await kindOf(real);
      if (kind === 'file') {
        const content = await readOne(path, real);
        if (content) files.set(path, content);
      } else if (kind === 'folder') {
        folders.push(real);
        const overlay = join(path, OVERLAY_FILE).split(sep).join('/');
        if ((await kindOf(join(real, OVERLAY_FILE))) === 'file') {
          const content = await readOne(overlay, join(real, OVERLAY_FILE));
          if (!content) continue;
          files.set(overlay, content);
          queue.push(...overlayReferences(path, content));
        } else {
          const contents = await readManifestFolder(real);
          const prefix = path ? `${path}/` : '';
          for (const file of contents.files) files.set(`${prefix}${file.path}`, file.content);
          for (const found of contents.problems)
            problems.push({
              ...found,
              location: { ...found.location, file: `${prefix}${found.location.file}` },
            });
        }
      }
    } catch (error) {
      problem(path, `cannot read: ${errorMessage(error)}`);
    }
  }
  return {
    dir: start,
    files: [...files]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, content]) => ({ path, content })),
    problems,
    folders,
  };
}
