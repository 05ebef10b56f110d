// The source facade: a Git repository (--repo) or a plain folder (--path).
import type { SourceConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { FolderSource } from './folder-source.js';
import { GitSource } from './git-source.js';
import type { Source, SourceOptions } from './types.js';

export { type GitAuth, redactUrl, runGit, sshCommandFor } from '../git/command.js';
export { classifyGitError, type SourceFailureReason } from '../git/errors.js';
export { FolderSource } from './folder-source.js';
export { GitSource } from './git-source.js';
export { contentRevision, readManifestFolder } from './read-folder.js';
export { SourceFetchError } from './source-error.js';
export type {
  CommitInfo,
  ManifestFile,
  Snapshot,
  Source,
  SourceCheckResult,
  SourceDescription,
  SourceOptions,
} from './types.js';

export function createSource(config: SourceConfig, logger: Logger, options: SourceOptions = {}): Source {
  if (config.repo) return new GitSource({ ...config, repo: config.repo }, logger, options);
  if (config.path) return new FolderSource({ ...config, path: config.path }, logger, options);
  throw new ConfigError('no source: give --path DIR or --repo URL|DIR');
}
