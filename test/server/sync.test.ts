import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function post(path: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
  return fetch(`${harness!.url}${path}`, {
    method: 'POST',
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

describe('POST /api/sync without a token configured', () => {
  it('accepts a same-origin browser request and a plain client', async () => {
    harness = await startHarness();
    const origin = harness.url;
    // when the dashboard posts from its own origin
    const fromPage = await post(
      '/api/sync',
      { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      JSON.stringify({ reason: 'dashboard' }),
    );
    // and curl posts with neither Origin nor Sec-Fetch-Site
    const fromCurl = await post('/api/sync');
    // then both are accepted and each triggers one sync
    expect(fromPage.status).toBe(202);
    expect(await fromPage.json()).toEqual({ accepted: true, reason: 'api: dashboard' });
    expect(fromCurl.status).toBe(202);
    expect(harness.syncs).toEqual(['api: dashboard', 'api']);
  });

  it('refuses cross-site requests with 403 and triggers nothing', async () => {
    harness = await startHarness();
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: harness.url.replace('127.0.0.1', 'localhost') },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: harness.url },
    ];
    for (const headers of cases) {
      const response = await post('/api/sync', headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'Forbidden' });
    }
    expect(harness.syncs).toEqual([]);
  });

  it('rejects a malformed body with 400 and triggers nothing', async () => {
    harness = await startHarness();
    const response = await post('/api/sync', { 'content-type': 'application/json' }, '{not json');
    expect(response.status).toBe(400);
    expect(harness.syncs).toEqual([]);
  });

  it('keeps the logged reason short and printable', async () => {
    harness = await startHarness();
    await post('/api/sync', {}, JSON.stringify({ reason: `deploy\n<script>${'x'.repeat(200)}` }));
    expect(harness.syncs).toHaveLength(1);
    expect(harness.syncs[0]).toMatch(/^api: deployscript/);
    expect(harness.syncs[0]!.length).toBeLessThanOrEqual(65);
  });
});

describe('POST /api/sync with an API token configured', () => {
  it('requires the bearer token: 401 without or with a wrong one, 202 with it', async () => {
    harness = await startHarness({ apiToken: 's3cret-token' });
    // when no token is sent
    const missing = await post('/api/sync');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    // when a wrong token or another scheme is sent
    expect((await post('/api/sync', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post('/api/sync', { authorization: 'Basic czNjcmV0LXRva2Vu' })).status).toBe(401);
    expect((await post('/api/sync', { authorization: 'Bearer s3cret-token-and-more' })).status).toBe(401);
    expect(harness.syncs).toEqual([]);
    // when the right token comes from the dashboard's origin
    const ok = await post('/api/sync', { authorization: 'Bearer s3cret-token', origin: harness.url });
    expect(ok.status).toBe(202);
    expect(harness.syncs).toEqual(['api']);
  });

  it('refuses a cross-site request even with the right token (403 before 401)', async () => {
    harness = await startHarness({ apiToken: 's3cret-token' });
    const response = await post('/api/sync', {
      authorization: 'Bearer s3cret-token',
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(response.status).toBe(403);
    // a forged request without token learns nothing about the token either
    expect((await post('/api/sync', { origin: 'https://evil.example' })).status).toBe(403);
    expect(harness.syncs).toEqual([]);
  });
});
