// Serves the dashboard: a handful of static files read once at start-up and kept in memory.
// Only files found in the folder at start-up can be served, so no request path ever reaches the
// file system (no traversal to worry about).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_HEADERS, headerValue } from './http-util.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The dashboard builds its DOM with textContent only and talks to its own origin only.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

export interface DashboardAssets {
  /** Folder the assets came from; undefined when none was found. */
  readonly dir: string | undefined;
  has(name: string): boolean;
  serve(name: string, req: IncomingMessage, res: ServerResponse): boolean;
}

/** Source checkout (controller/server/dashboard) and compiled package (dist/ → the source folder). */
export function defaultDashboardDirs(): string[] {
  return [
    fileURLToPath(new URL('./dashboard/', import.meta.url)),
    fileURLToPath(new URL('../../../controller/server/dashboard/', import.meta.url)),
  ];
}

export function loadDashboardAssets(dirs: readonly string[] = defaultDashboardDirs()): DashboardAssets {
  const dir = dirs.find((d) => existsSync(join(d, 'index.html')));
  const assets = new Map<string, Asset>();
  if (dir) {
    for (const name of readdirSync(dir)) {
      const type = CONTENT_TYPES[extname(name)];
      const path = join(dir, name);
      if (!type || !statSync(path).isFile()) continue;
      const body = readFileSync(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(name, { body, type, etag });
    }
  }
  return {
    dir,
    has: (name) => assets.has(name),
    serve(name, req, res) {
      const asset = assets.get(name);
      if (!asset) return false;
      const headers: Record<string, string | number> = {
        ...BASE_HEADERS,
        'content-type': asset.type,
        // Revalidate every time: cheap (304) and never stale after an upgrade.
        'cache-control': 'no-cache',
        etag: asset.etag,
      };
      if (asset.type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      if (headerValue(req, 'if-none-match') === asset.etag) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      res.writeHead(200, { ...headers, 'content-length': asset.body.length });
      res.end(asset.body);
      return true;
    },
  };
}
