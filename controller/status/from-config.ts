// The status branch writer the configuration asks for: none for plain folders or --no-status-write.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { fetchUrlFor, redactUrl } from '../git/command.js';
import type { Logger } from '../log.js';
import { createStatusBranchWriter, type StatusBranchWriter } from './status-branch.js';

export function statusWriterFromConfig(
  config: Pick<Config, 'source' | 'statusWrite' | 'statusBranch' | 'instance'>,
  logger: Logger,
  cwd: string = process.cwd(),
  options: { readonly section?: string } = {},
): StatusBranchWriter | undefined {
  const { source } = config;
  if (!config.statusWrite || !source.repo) return undefined;
  const key = createHash('sha256')
    .update(`${redactUrl(fetchUrlFor(source.repo, cwd))}\n${config.statusBranch}`)
    .digest('hex')
    .slice(0, 16);
  return createStatusBranchWriter({
    repoUrl: source.repo,
    branch: config.statusBranch,
    instance: config.instance,
    logger,
    cwd,
    // Next to the source's clones, so one cache folder holds everything the controller keeps.
    workDir: resolve(cwd, source.cacheDir, `status-${key}${options.section ? `-${options.section}` : ''}`),
    ...(options.section ? { section: options.section } : {}),
    ...(source.gitToken ? { gitToken: source.gitToken } : {}),
    ...(source.sshKeyFile ? { sshKeyFile: source.sshKeyFile } : {}),
    ...(source.knownHostsFile ? { knownHostsFile: source.knownHostsFile } : {}),
  });
}
