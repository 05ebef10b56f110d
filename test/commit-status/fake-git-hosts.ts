// Local stand-ins for GitHub's and GitLab's commit status APIs that check requests as the real ones
// define them (paths, auth headers, states, description length) and answer like them (201 with the
// status; 401/404/422 otherwise), with scriptable rate limiting.
import type { IncomingHttpHeaders } from 'node:http';
import { type Reply, startHttpReceiver } from '../helpers/http-receiver.js';

export interface PostedStatus {
  readonly sha: string;
  readonly project: string;
  readonly state: string;
  readonly description: string;
  readonly context: string;
  readonly targetUrl?: string;
}

export interface FakeGitHost {
  readonly url: string;
  readonly statuses: PostedStatus[];
  readonly refused: Array<{ status: number; message: string }>;
  /** Responses to give first: `rate-limit` (GitHub primary limit: 403, remaining 0, reset now+1s), `secondary` (403 + retry-after), or a status code. */
  script: Scripted[];
  close(): Promise<void>;
}

type Scripted = 'rate-limit' | 'secondary' | number;

export async function startFakeGitHost(kind: 'github' | 'gitlab', token: string): Promise<FakeGitHost> {
  const statuses: PostedStatus[] = [];
  const refused: Array<{ status: number; message: string }> = [];
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => {
    if (status >= 400) refused.push({ status, message: JSON.stringify(body) });
    return { status, body, headers };
  };
  const receiver = await startHttpReceiver<Scripted>((request, scripted) => {
    if (scripted === 'rate-limit') {
      return reply(
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000)),
        },
      );
    }
    if (scripted === 'secondary')
      return reply(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '0' });
    if (typeof scripted === 'number') return reply(scripted, { message: 'scripted' });
    const { method, url, headers, body } = request;
    const result =
      kind === 'github'
        ? checkGitHub(method, url, headers, body, token)
        : checkGitLab(method, url, headers, body, token);
    if ('error' in result) return reply(result.error, { message: result.message });
    statuses.push(result.status);
    return reply(201, { id: statuses.length, state: result.status.state, context: result.status.context });
  });
  return {
    url: kind === 'github' ? receiver.origin : `${receiver.origin}/api/v4`,
    statuses,
    refused,
    get script() {
      return receiver.script;
    },
    set script(value) {
      receiver.script = value;
    },
    close: () => receiver.close(),
  };
}

type Checked = { status: PostedStatus } | { error: number; message: string };

function parse(raw: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// docs.github.com/rest/commits/statuses#create-a-commit-status
function checkGitHub(
  method: string | undefined,
  url: string,
  headers: IncomingHttpHeaders,
  raw: string,
  token: string,
): Checked {
  const match = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(url);
  if (method !== 'POST' || !match) return { error: 404, message: 'Not Found' };
  const auth = String(headers.authorization ?? '');
  if (auth !== `Bearer ${token}` && auth !== `token ${token}`)
    return { error: 401, message: 'Bad credentials' };
  if (!headers['user-agent'])
    return {
      error: 403,
      message:
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
    };
  const body = parse(raw);
  if (!body) return { error: 400, message: 'Problems parsing JSON' };
  if (!['error', 'failure', 'pending', 'success'].includes(String(body.state)))
    return { error: 422, message: 'Validation Failed: state' };
  if (typeof body.description === 'string' && body.description.length > 140)
    return { error: 422, message: 'Validation Failed: description is too long (maximum is 140 characters)' };
  if (body.target_url !== undefined && !/^https?:\/\//.test(String(body.target_url)))
    return { error: 422, message: 'Validation Failed: target_url' };
  return {
    status: {
      sha: match[3] ?? '',
      project: `${match[1]}/${match[2]}`,
      state: String(body.state),
      description: String(body.description ?? ''),
      context: String(body.context ?? 'default'),
      ...(body.target_url ? { targetUrl: String(body.target_url) } : {}),
    },
  };
}

// docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit
function checkGitLab(
  method: string | undefined,
  url: string,
  headers: IncomingHttpHeaders,
  raw: string,
  token: string,
): Checked {
  const match = /^\/api\/v4\/projects\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(url);
  if (method !== 'POST' || !match) return { error: 404, message: '404 Not Found' };
  if (headers['private-token'] !== token) return { error: 401, message: '401 Unauthorized' };
  const body = parse(raw);
  if (!body) return { error: 400, message: 'Problems parsing JSON' };
  if (!['pending', 'running', 'success', 'failed', 'canceled', 'skipped'].includes(String(body.state)))
    return { error: 400, message: 'state does not have a valid value' };
  return {
    status: {
      sha: match[2] ?? '',
      project: decodeURIComponent(match[1] ?? ''),
      state: String(body.state),
      description: String(body.description ?? ''),
      context: String(body.name ?? 'default'),
      ...(body.target_url ? { targetUrl: String(body.target_url) } : {}),
    },
  };
}
