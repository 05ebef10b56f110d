import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// fetch() does not let a caller choose the Host header; node:http does, like a rebinding attacker.
function send(url: string, method: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host header check (DNS rebinding)', () => {
  it('a loopback controller answers only to localhost and IP literals', async () => {
    // given the default: listening on 127.0.0.1
    harness = await startHarness();
    const port = new URL(harness.url).port;
    // when a rebound name reaches it, even "same-origin"
    const rebound = await send(harness.url, 'POST', '/api/sync', {
      host: `evil.example:${port}`,
      origin: `http://evil.example:${port}`,
    });
    const statusRead = await send(harness.url, 'GET', '/api/status', { host: `evil.example:${port}` });
    // then it is refused and nothing is triggered
    expect(rebound).toBe(403);
    expect(statusRead).toBe(403);
    expect(harness.syncs).toEqual([]);
    // while the names a local user types work
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      expect(await send(harness.url, 'GET', '/healthz', { host }), host).toBe(200);
    }
  });

  it('allowedHosts adds names (e.g. behind a proxy)', async () => {
    harness = await startHarness({ allowedHosts: ['gitops.internal.example'] });
    expect(await send(harness.url, 'GET', '/api/status', { host: 'gitops.internal.example' })).toBe(200);
    expect(await send(harness.url, 'GET', '/api/status', { host: 'other.example' })).toBe(403);
  });

  it('a controller on all interfaces accepts any name unless allowedHosts is given', async () => {
    harness = await startHarness({ listen: { host: '0.0.0.0', port: 0 } });
    expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await send(harness.url, 'GET', '/healthz', { host: 'web.prod.internal' })).toBe(200);
  });
});
