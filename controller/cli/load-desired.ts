// Where a command's manifests come from: `--path DIR` (a plain folder) or `--repo URL|DIR` (a Git
// clone in the cache, at the head of --branch, manifests under --dir). Returns the validated desired state (or every problem) and the manifest root.
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { ManifestResult } from '../manifest/model.js';
import { createSource } from '../source/index.js';
import { loadManifestFolder } from '../source/read-folder.js';

export async function loadDesired(
  config: Config,
  cwd: string = process.cwd(),
): Promise<{ result: ManifestResult; root: string }> {
  if (config.source.path) {
    const root = resolve(cwd, config.source.path);
    return { result: await loadManifestFolder(root), root };
  }
  if (config.source.repo) {
    // One fetch into the shared clone cache; the revision is the commit sha, as in `run`.
    const source = createSource(config.source, silentLogger(), { cwd });
    try {
      const { snapshot } = await source.fetch();
      return { result: await loadManifestFolder(snapshot.root, snapshot.revision), root: snapshot.root };
    } finally {
      await source.close();
    }
  }
  throw new ConfigError('no manifests given: pass --path DIR (a folder of manifests)');
}
