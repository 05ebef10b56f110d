// Which Git host a remote lives on, and the API request that sets a commit status there. GitHub:
// `POST /repos/{owner}/{repo}/statuses/{sha}`; GitLab: `POST /projects/{id}/statuses/{sha}`.
import { ConfigError } from '../errors.js';
import type { CommitState } from './summary.js';

export type GitHost = 'github' | 'gitlab';

export interface CommitStatusTarget {
  readonly host: GitHost;
  /** API base: https://api.github.com, https://gitlab.example.com/api/v4, … */
  readonly apiUrl: string;
  /** `owner/repo` (GitHub) or `group/subgroup/project` (GitLab). */
  readonly project: string;
}

/** `https://github.com/acme/app.git`, `git@gitlab.com:acme/app.git`, `ssh://git@host/acme/app` → host + path. */
export function parseRemote(remote: string): { hostname: string; path: string } | undefined {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote);
  if (scp) return { hostname: scp[1] ?? '', path: (scp[2] ?? '').replace(/\.git$/, '').replace(/^\/+/, '') };
  try {
    const url = new URL(remote);
    if (!url.hostname) return undefined;
    return { hostname: url.hostname, path: url.pathname.replace(/\.git$/, '').replace(/^\/+|\/+$/g, '') };
  } catch {
    return undefined;
  }
}

export interface TargetOptions {
  readonly remote?: string;
  readonly host?: GitHost;
  readonly apiUrl?: string;
  readonly project?: string;
}

/** The host from the remote URL (github.com, gitlab.com or a host named gitlab…), or as configured. */
export function resolveTarget(options: TargetOptions): CommitStatusTarget | undefined {
  const parsed = options.remote ? parseRemote(options.remote) : undefined;
  const host: GitHost | undefined =
    options.host ??
    (parsed?.hostname === 'github.com'
      ? 'github'
      : parsed?.hostname && /(^|\.)gitlab\./.test(`.${parsed.hostname}`)
        ? 'gitlab'
        : undefined);
  if (!host) return undefined;
  const project = options.project ?? parsed?.path;
  if (!project)
    throw new ConfigError(
      'commit statuses: cannot tell the repository from the remote; set --commit-status-repo',
    );
  const apiUrl =
    options.apiUrl ??
    (host === 'github'
      ? parsed?.hostname === 'github.com' || !parsed
        ? 'https://api.github.com'
        : `https://${parsed.hostname}/api/v3`
      : `https://${parsed?.hostname ?? 'gitlab.com'}/api/v4`);
  return { host, apiUrl: apiUrl.replace(/\/+$/, ''), project };
}

// GitHub's description is at most 140 characters; GitLab accepts more but shows one line.
const MAX_DESCRIPTION = 140;

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

export interface StatusRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function statusRequest(
  target: CommitStatusTarget,
  token: string,
  sha: string,
  status: { state: CommitState; description: string; context: string; targetUrl?: string },
): StatusRequest {
  if (target.host === 'github') {
    const [owner, repo] = target.project.split('/');
    return {
      url: `${target.apiUrl}/repos/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(repo ?? '')}/statuses/${sha}`,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'Content-Type': 'application/json',
        'User-Agent': 'ecs-gitops',
      },
      body: JSON.stringify({
        state: status.state,
        description: clip(status.description),
        context: status.context,
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      }),
    };
  }
  return {
    url: `${target.apiUrl}/projects/${encodeURIComponent(target.project)}/statuses/${sha}`,
    headers: { 'PRIVATE-TOKEN': token, 'Content-Type': 'application/json', 'User-Agent': 'ecs-gitops' },
    body: JSON.stringify({
      // GitLab's states: pending, running, success, failed, canceled.
      state: status.state === 'failure' ? 'failed' : status.state,
      name: status.context,
      description: clip(status.description),
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    }),
  };
}
