// Guards for the one state-changing API (POST /api/sync): same-origin (CSRF) and a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { headerValue } from './http-util.js';

export type GuardResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_HOSTS.has(h) || h.endsWith('.localhost') || h.startsWith('127.');
}

/**
 * DNS rebinding defence: a page on `evil.example` whose name is re-pointed at 127.0.0.1 would be
 * "same-origin" with a controller listening on loopback. Names other than IP literals and
 * localhost are therefore refused unless listed in `allowedHosts`. A controller listening on
 * all interfaces (a container) accepts any name unless `allowedHosts` is given.
 */
export function checkHost(
  req: IncomingMessage,
  listenHost: string,
  allowedHosts: readonly string[] | undefined,
): GuardResult {
  if (!allowedHosts && !isLoopbackHost(listenHost)) return { ok: true };
  const header = headerValue(req, 'host') ?? '';
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return { ok: false, status: 403, reason: 'invalid Host header' };
  }
  if (hostname === '') return { ok: false, status: 403, reason: 'missing Host header' };
  if (isIP(hostname) !== 0 || isLoopbackHost(hostname)) return { ok: true };
  if (allowedHosts?.some((allowed) => allowed.toLowerCase() === hostname)) return { ok: true };
  return { ok: false, status: 403, reason: `host "${hostname}" is not allowed (see allowedHosts)` };
}
