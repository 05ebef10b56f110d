// Where a command's manifests come from: `--path DIR` today (a plain folder); `--repo` is added by
// the source module. Returns the validated desired state (or every problem) and the manifest root.
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { ManifestResult } from '../manifest/model.js';
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
    throw new ConfigError('--repo is not supported by this command yet; use --path DIR');
  }
  throw new ConfigError('no manifests given: pass --path DIR (a folder of manifests)');
}
