// Guards for the state-changing API (POST /api/sync, the gate routes): same-origin (CSRF) and a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { headerValue, sendJson } from './http-util.js';

export type GuardResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403 | 421; readonly reason: string };

/**
 * Browsers attach `Sec-Fetch-Site` and/or `Origin` to every cross-site POST, so a request
 * carrying either must say it comes from this very origin. Clients that send neither (curl,
 * scripts, other controllers) are not browsers and cannot be driven by another site; they are
 * left to the token check.
 */
export function checkSameOrigin(req: IncomingMessage): GuardResult {
  const site = headerValue(req, 'sec-fetch-site');
  // `none` is a user-initiated request (typed URL, bookmark): not forgeable by another site.
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  }
  const origin = headerValue(req, 'origin');
  if (origin === undefined) return { ok: true };
  const host = headerValue(req, 'host');
  let originHost: string | undefined;
  try {
    const parsed = new URL(origin);
    originHost = parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : undefined;
  } catch {
    originHost = undefined;
  }
  if (!host || originHost?.toLowerCase() !== host.toLowerCase()) {
    return { ok: false, status: 403, reason: `cross-origin request refused (Origin: ${origin})` };
  }
  return { ok: true };
}

/** `Authorization: Bearer <token>` must match when a token is configured. */
export function checkBearer(req: IncomingMessage, token: string | undefined): GuardResult {
  if (!token) return { ok: true };
  const header = headerValue(req, 'authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return { ok: false, status: 401, reason: 'missing bearer token' };
  if (!safeEqual(match[1]!, token)) return { ok: false, status: 401, reason: 'invalid bearer token' };
  return { ok: true };
}

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A listen address on the loopback interface: only this machine can connect, so browsers are the threat. */
export function isLoopbackListen(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '::ffff:127.0.0.1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

// host = IP-literal / IPv4 / reg-name, then an optional port (RFC 9110 section 7.2). Anything else
// (userinfo, paths, spaces, several colons outside brackets) is not a Host a browser sends.
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([^\s:@/\\[\]?#]+))(?::(\d{1,5}))?$/i;

/** The name in a Host header, lowercased and without brackets or port; undefined when malformed. */
export function hostHeaderName(header: string): string | undefined {
  const match = HOST_HEADER.exec(header.trim());
  if (!match) return undefined;
  if (match[1] !== undefined) return isIP(match[1]) === 6 ? match[1].toLowerCase() : undefined;
  return match[2]?.toLowerCase();
}

/**
 * DNS rebinding defence: a page on `evil.example` whose name is re-pointed at 127.0.0.1 would be
 * "same-origin" with a controller listening on loopback. Only names that cannot be rebound are
 * served: IP literals (no DNS involved), exactly `localhost`, and the names in `allowedHosts`
 * (`--allowed-hosts`). A prefix test is not enough: `127.attacker.example` is an ordinary DNS
 * name. A controller listening on all interfaces (a container) accepts any name unless
 * `allowedHosts` is given. Refusals are 421 Misdirected Request: this server does not answer for
 * that authority.
 */
export function checkHost(
  req: IncomingMessage,
  listenHost: string,
  allowedHosts: readonly string[] | undefined,
): GuardResult {
  const restricted = allowedHosts !== undefined && allowedHosts.length > 0;
  if (!restricted && !isLoopbackListen(listenHost)) return { ok: true };
  const header = headerValue(req, 'host');
  if (header === undefined || header.trim() === '') {
    return { ok: false, status: 421, reason: 'missing Host header' };
  }
  const hostname = hostHeaderName(header);
  if (hostname === undefined) {
    return { ok: false, status: 421, reason: `invalid Host header "${printable(header)}"` };
  }
  if (isIP(hostname) !== 0 || hostname === 'localhost') return { ok: true };
  if (allowedHosts?.some((allowed) => allowed.toLowerCase() === hostname)) return { ok: true };
  return {
    ok: false,
    status: 421,
    reason: `host "${printable(hostname)}" is not served here: use localhost or an IP address, or add the name with --allowed-hosts`,
  };
}

/** Header text echoed in a refusal: printable ASCII only, and short. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/**
 * The write guards in order (cross-site first: a forged request learns nothing about whether a token
 * is configured); answers the refusal itself and returns it, or returns undefined when allowed.
 */
export function refuseWrite(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
): Extract<GuardResult, { ok: false }> | undefined {
  for (const guard of [checkSameOrigin(req), checkBearer(req, token)]) {
    if (guard.ok) continue;
    const headers: Record<string, string> = guard.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    sendJson(
      res,
      guard.status,
      { error: guard.status === 401 ? 'Unauthorized' : 'Forbidden', message: guard.reason },
      headers,
    );
    return guard;
  }
  return undefined;
}
