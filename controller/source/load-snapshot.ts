// One snapshot → its validated desired state (or every problem): a plain folder's manifests, or the
// rendering of the overlay it holds. Shared by the controller and the CLI commands.
import type { ManifestProblem } from '../errors.js';
import { firstProblems, type ManifestParseCache, parseManifests } from '../manifest/index.js';
import type { ManifestResult } from '../manifest/model.js';
import { loadOverlay } from '../manifest/overlay/index.js';
import type { Snapshot } from './types.js';

type Loadable = Pick<Snapshot, 'revision' | 'files' | 'problems' | 'overlay'>;

export interface LoadSnapshotOptions {
  /** Maps a path relative to the snapshot's folder to the path people see (relative to the repository). */
  readonly inRepo?: (file: string) => string;
  /** The environment `{env: NAME}` overlay vars read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Files unchanged since the last revision are not parsed again (the controller keeps one). */
  readonly cache?: ManifestParseCache;
}

export interface LoadedSnapshot {
  readonly result: ManifestResult;
  /** For an overlay: the rendered documents, as `ecs-gitops render` prints them. */
  readonly rendered?: readonly unknown[];
}

export function loadSnapshot(snapshot: Loadable, options: LoadSnapshotOptions): LoadedSnapshot {
  if (snapshot.overlay) {
    const loaded = loadOverlay(snapshot.overlay.files, {
      dir: snapshot.overlay.dir,
      env: options.env,
      revision: snapshot.revision,
      readProblems: snapshot.overlay.problems,
    });
    return { result: loaded.result, rendered: loaded.documents };
  }
  const inRepo = options.inRepo ?? ((file: string) => file);
  const files = snapshot.files.map((file) => ({ ...file, path: inRepo(file.path) }));
  const result = parseManifests(files, {
    revision: snapshot.revision,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  // Unreadable files (symlinks out of the folder, oversized, binary) reject the revision too.
  if (snapshot.problems.length === 0) return { result };
  const unreadable: ManifestProblem[] = snapshot.problems.map((p) => ({
    ...p,
    location: { ...p.location, file: inRepo(p.location.file) },
  }));
  const counted = unreadable.length + (result.ok ? 0 : result.problemCount);
  return {
    result: {
      ok: false,
      ...firstProblems([...unreadable, ...(result.ok ? [] : result.problems)], counted),
      warnings: result.warnings,
    },
  };
}
