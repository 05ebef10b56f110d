import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllowedHosts, resolveConfig } from '../../controller/config.js';
import { ConfigError } from '../../controller/errors.js';
import { hostHeaderName } from '../../controller/server/auth.js';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

// fetch() does not let a caller choose the Host header; node:http does, like a rebinding attacker.
function send(url: string, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
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
    // then it is refused as misdirected, with a body saying what to do, and nothing is triggered
    expect(rebound.status).toBe(421);
    expect(statusRead.status).toBe(421);
    expect(JSON.parse(statusRead.body)).toEqual({
      error: 'MisdirectedRequest',
      message:
        'host "evil.example" is not served here: use localhost or an IP address, or add the name with --allowed-hosts',
    });
    expect(harness.syncs).toEqual([]);
    // while the names a local user types work
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect((await send(harness.url, 'GET', '/healthz', { host })).status, host).toBe(200);
    }
  });

  it('names that merely look like loopback are DNS names and are refused', async () => {
    // given a loopback controller with no API token (the case where a rebound page could sync)
    harness = await startHarness();
    const port = new URL(harness.url).port;
    // when the Host is a name an attacker can point at 127.0.0.1
    const hosts = [
      `127.attacker.example:${port}`,
      '127.0.0.1.attacker.example',
      'localhost.attacker.example',
      'app.localhost',
      'localhost.',
      '127.1',
      `evil.example@127.0.0.1:${port}`,
      `[::1`,
    ];
    for (const host of hosts) {
      for (const path of ['/api/status', '/api/events', '/metrics']) {
        const answer = await send(harness.url, 'GET', path, { host });
        expect(answer.status, `${host} ${path}`).toBe(421);
        expect(answer.body).not.toContain('"resources"');
      }
      const sync = await send(harness.url, 'POST', '/api/sync', { host });
      expect(sync.status, `${host} sync`).toBe(421);
    }
    // then no sync was triggered
    expect(harness.syncs).toEqual([]);
  });

  it('allowedHosts adds exact names (e.g. behind a proxy)', async () => {
    harness = await startHarness({ allowedHosts: ['gitops.internal.example'] });
    expect((await send(harness.url, 'GET', '/api/status', { host: 'gitops.internal.example' })).status).toBe(
      200,
    );
    expect(
      (await send(harness.url, 'GET', '/api/status', { host: 'GITOPS.internal.example:80' })).status,
    ).toBe(200);
    expect(
      (await send(harness.url, 'GET', '/api/status', { host: 'x.gitops.internal.example' })).status,
    ).toBe(421);
    expect((await send(harness.url, 'GET', '/api/status', { host: 'other.example' })).status).toBe(421);
  });

  it('a controller on all interfaces accepts any name unless allowedHosts is given', async () => {
    harness = await startHarness({ listen: { host: '0.0.0.0', port: 0 } });
    expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(harness.url, 'GET', '/healthz', { host: 'web.prod.internal' })).status).toBe(200);
    await harness.close();
    harness = await startHarness({ listen: { host: '0.0.0.0', port: 0 }, allowedHosts: ['gitops.example'] });
    expect((await send(harness.url, 'GET', '/healthz', { host: 'web.prod.internal' })).status).toBe(421);
    expect((await send(harness.url, 'GET', '/healthz', { host: '10.0.3.7:8080' })).status).toBe(200);
  });
});

describe('Host header parsing', () => {
  it('returns the bare lowercased name, or undefined for what no browser sends', () => {
    expect(hostHeaderName('Example.COM:8080')).toBe('example.com');
    expect(hostHeaderName('[::1]:80')).toBe('::1');
    expect(hostHeaderName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostHeaderName('[not-ip]')).toBeUndefined();
    expect(hostHeaderName('a@b')).toBeUndefined();
    expect(hostHeaderName('a b')).toBeUndefined();
    expect(hostHeaderName('a:b:c')).toBeUndefined();
  });
});

describe('--allowed-hosts / ECS_GITOPS_ALLOWED_HOSTS', () => {
  it('takes exact comma-separated names and refuses wildcards and ports', () => {
    expect(resolveConfig({ allowedHosts: 'gitops.example.com, Ecs-Gitops.local' }, {}).allowedHosts).toEqual([
      'gitops.example.com',
      'ecs-gitops.local',
    ]);
    expect(resolveConfig({}, {}).allowedHosts).toBeUndefined();
    expect(() => parseAllowedHosts('*.example.com')).toThrow(ConfigError);
    expect(() => parseAllowedHosts('gitops.example.com:8080')).toThrow(/invalid --allowed-hosts name/);
  });
});
