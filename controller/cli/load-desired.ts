// Where a command's manifests come from: `--path DIR` (a plain folder), `--dir DIR` alone (the same,
// said the way overlays are named: `render --dir envs/prod`), or `--repo URL|DIR` (a Git clone in the
// cache, at the head of --branch, manifests under --dir). A folder holding an ecs-gitops.yaml is
// rendered first. Returns the validated desired state (or every problem), the folder problems' paths
// are relative to, and the rendered documents of an overlay.
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { ManifestResult } from '../manifest/model.js';
import { loadOverlay } from '../manifest/overlay/index.js';
import { createSource } from '../source/index.js';
import { loadSnapshot } from '../source/load-snapshot.js';
import { contentRevision, loadManifestFolder } from '../source/read-folder.js';
import { findRepositoryRoot, isOverlayFolder, readOverlayFiles } from '../source/read-overlay.js';

export interface LoadedManifests {
  readonly result: ManifestResult;
  /** Problems name files relative to this folder. */
  readonly root: string;
  /** For an overlay: the rendered documents (empty when rendering failed). */
  readonly rendered?: readonly unknown[];
}

/** A local folder: plain manifests, or an overlay rendered within its repository. */
export async function loadFolder(
  folder: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedManifests> {
  if (!(await isOverlayFolder(folder))) return { result: await loadManifestFolder(folder), root: folder };
  const repository = await findRepositoryRoot(folder, cwd);
  const read = await readOverlayFiles(repository, folder);
  const loaded = loadOverlay(read.files, {
    dir: read.dir,
    env,
    revision: contentRevision(read.files),
    readProblems: read.problems,
  });
  return { result: loaded.result, root: repository, rendered: loaded.documents };
}

export async function loadDesired(
  config: Config,
  cwd: string = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<LoadedManifests> {
  const folder = config.source.path ?? (config.source.repo ? undefined : nonDefaultDir(config));
  if (folder) return loadFolder(resolve(cwd, folder), cwd, env);
  if (config.source.repo) {
    // One fetch into the shared clone cache; the revision is the commit sha, as in `run`.
    const source = createSource(config.source, silentLogger(), { cwd });
    try {
      const { snapshot } = await source.fetch();
      // An overlay's problems are repository-relative; a plain folder's are relative to it.
      return { ...loadSnapshot(snapshot, { env }), root: snapshot.overlay ? '' : snapshot.root };
    } finally {
      await source.close();
    }
  }
  throw new ConfigError(
    'no manifests given: pass --path DIR or --dir DIR (a folder of manifests or an overlay), or --repo URL',
  );
}

function nonDefaultDir(config: Config): string | undefined {
  const dir = config.source.dir.replace(/\/$/, '');
  return dir && dir !== '.' ? dir : undefined;
}
