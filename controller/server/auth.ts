// Guards for the one state-changing API (POST /api/sync): same-origin (CSRF) and a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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
