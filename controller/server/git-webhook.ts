// Git push webhooks: verify who sent them, then reduce them to "ref X moved to Y".
// Pure over (headers, raw body, secret): the route only reads the body and acts on the outcome.
// A webhook only ever enqueues a fetch; the controller reads the revision from Git itself, so a
// payload can never inject content — verification stops strangers from forcing fetch storms.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from './auth.js';

export type GitProvider = 'github' | 'gitlab' | 'generic';

export interface GitPush {
  readonly ref: string;
  readonly after?: string;
  readonly provider: GitProvider;
}

export type WebhookOutcome =
  | { readonly kind: 'push'; readonly push: GitPush }
  | { readonly kind: 'ping'; readonly provider: GitProvider }
  | { readonly kind: 'ignored'; readonly provider: GitProvider; readonly event: string }
  | { readonly kind: 'rejected'; readonly status: 400 | 401; readonly message: string };

const ZERO_SHA = /^0+$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function detectProvider(headers: IncomingHttpHeaders): GitProvider {
  if (header(headers, 'x-github-event')) return 'github';
  if (header(headers, 'x-gitlab-event')) return 'gitlab';
  return 'generic';
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body), as GitHub sends in X-Hub-Signature-256. */
export function signGitHub(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyHubSignature(body: Buffer, secret: string, signature: string | undefined): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function verify(
  provider: GitProvider,
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string | undefined,
): WebhookOutcome | undefined {
  if (!secret) return undefined;
  if (provider === 'gitlab') {
    const token = header(headers, 'x-gitlab-token');
    if (token === undefined) return { kind: 'rejected', status: 401, message: 'missing X-Gitlab-Token' };
    return safeEqual(token, secret)
      ? undefined
      : { kind: 'rejected', status: 401, message: 'invalid X-Gitlab-Token' };
  }
  const signature = header(headers, 'x-hub-signature-256');
  if (signature === undefined)
    return { kind: 'rejected', status: 401, message: 'missing X-Hub-Signature-256' };
  return verifyHubSignature(body, secret, signature)
    ? undefined
    : { kind: 'rejected', status: 401, message: 'invalid X-Hub-Signature-256' };
}

function parsePayload(headers: IncomingHttpHeaders, body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  const type = header(headers, 'content-type') ?? '';
  // GitHub can deliver as a form with the JSON in the `payload` field.
  const json = type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(text).get('payload')
    : text;
  if (json === null) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function pushFrom(payload: Record<string, unknown>, provider: GitProvider): GitPush {
  const ref = typeof payload.ref === 'string' ? payload.ref : '';
  const after =
    typeof payload.after === 'string' && !ZERO_SHA.test(payload.after) ? payload.after : undefined;
  return after ? { ref, after, provider } : { ref, provider };
}

export function handleGitWebhook(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string | undefined,
): WebhookOutcome {
  const provider = detectProvider(headers);
  const refused = verify(provider, headers, body, secret);
  if (refused) return refused;

  const payload = parsePayload(headers, body);
  if (!payload) return { kind: 'rejected', status: 400, message: 'body is not a JSON object' };

  switch (provider) {
    case 'github': {
      const event = header(headers, 'x-github-event') ?? '';
      if (event === 'ping') return { kind: 'ping', provider };
      if (event !== 'push') return { kind: 'ignored', provider, event };
      return { kind: 'push', push: pushFrom(payload, provider) };
    }
    case 'gitlab': {
      const event = header(headers, 'x-gitlab-event') ?? '';
      // System hooks carry pushes too; they say so in the payload.
      const isPush =
        event === 'Push Hook' ||
        event === 'Tag Push Hook' ||
        (event === 'System Hook' && (payload.event_name === 'push' || payload.event_name === 'tag_push'));
      if (!isPush) return { kind: 'ignored', provider, event };
      return { kind: 'push', push: pushFrom(payload, provider) };
    }
    case 'generic':
      return { kind: 'push', push: pushFrom(payload, provider) };
  }
}
