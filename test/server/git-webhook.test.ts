import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyHubSignature } from '../../controller/server/git-webhook.js';
import { type Harness, SHA2, startHarness } from './harness.js';

const SECRET = 'webhook-secret-value';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// Computed here with node:crypto, independently of the code under test.
function hmac(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

// The shape of a real GitHub push delivery (abridged).
const githubPush = JSON.stringify({
  ref: 'refs/heads/main',
  before: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  after: SHA2,
  repository: { full_name: 'example/fleet', clone_url: 'https://github.com/example/fleet.git' },
  pusher: { name: 'octocat' },
  head_commit: { id: SHA2, message: 'web: nginx 1.28', timestamp: '2025-01-01T12:00:00Z' },
});

// The shape of a real GitLab push delivery (abridged).
const gitlabPush = JSON.stringify({
  object_kind: 'push',
  event_name: 'push',
  ref: 'refs/heads/main',
  before: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  after: SHA2,
  checkout_sha: SHA2,
  project: { path_with_namespace: 'example/fleet' },
});

function hook(headers: Record<string, string>, body: string): Promise<Response> {
  return fetch(`${harness!.url}/hooks/git`, { method: 'POST', headers, body });
}

describe('signature check', () => {
  it('matches the example from GitHub documentation', () => {
    const body = Buffer.from('Hello, World!');
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyHubSignature(body, "It's a Secret to Everybody", signature)).toBe(true);
    expect(verifyHubSignature(body, "It's a Secret to Everybody", signature.replace('757', '758'))).toBe(
      false,
    );
    expect(verifyHubSignature(body, "It's a Secret to Everybody", 'sha1=757107ea')).toBe(false);
  });
});

describe('GitHub webhooks', () => {
  it('a correctly signed push triggers one fetch with ref and sha', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const response = await hook(
      {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'x-hub-signature-256': hmac(githubPush),
      },
      githubPush,
    );
    expect(response.status).toBe(202);
    expect(harness.pushes).toEqual([{ ref: 'refs/heads/main', after: SHA2, provider: 'github' }]);
  });

  it('a form-encoded push (payload=...) is verified over the raw body', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const body = new URLSearchParams({ payload: githubPush }).toString();
    const response = await hook(
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-github-event': 'push',
        'x-hub-signature-256': hmac(body),
      },
      body,
    );
    expect(response.status).toBe(202);
    expect(harness.pushes).toEqual([{ ref: 'refs/heads/main', after: SHA2, provider: 'github' }]);
  });

  it('bad, missing or mismatched signatures get 401 and trigger nothing', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const cases: [string, Record<string, string>, string][] = [
      ['wrong secret', { 'x-hub-signature-256': hmac(githubPush, 'not-the-secret') }, githubPush],
      ['missing', {}, githubPush],
      ['signature of another body', { 'x-hub-signature-256': hmac(githubPush) }, `${githubPush} `],
      ['garbage', { 'x-hub-signature-256': 'sha256=zz' }, githubPush],
      ['sha1 only', { 'x-hub-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' }, githubPush],
    ];
    for (const [name, headers, body] of cases) {
      const response = await hook(
        { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
        body,
      );
      expect(response.status, name).toBe(401);
    }
    expect(harness.pushes).toEqual([]);
  });

  it('ping answers 200 without triggering; other events are ignored', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const pong = await hook({ 'x-github-event': 'ping', 'x-hub-signature-256': hmac(ping) }, ping);
    expect(pong.status).toBe(200);
    expect(await pong.json()).toEqual({ ok: true, event: 'ping' });
    const issue = JSON.stringify({ action: 'opened' });
    const ignored = await hook({ 'x-github-event': 'issues', 'x-hub-signature-256': hmac(issue) }, issue);
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ ok: true, ignored: 'issues' });
    // an unsigned ping is still refused
    expect((await hook({ 'x-github-event': 'ping' }, ping)).status).toBe(401);
    expect(harness.pushes).toEqual([]);
  });

  it('a signed body that is not JSON gets 400 and triggers nothing', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const response = await hook({ 'x-github-event': 'push', 'x-hub-signature-256': hmac('{oops') }, '{oops');
    expect(response.status).toBe(400);
    expect(harness.pushes).toEqual([]);
  });

  it('a branch deletion carries no sha', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const body = JSON.stringify({ ref: 'refs/heads/old', after: '0'.repeat(40), deleted: true });
    expect((await hook({ 'x-github-event': 'push', 'x-hub-signature-256': hmac(body) }, body)).status).toBe(
      202,
    );
    expect(harness.pushes).toEqual([{ ref: 'refs/heads/old', provider: 'github' }]);
  });

  it('bodies over the limit get 413 and trigger nothing, even when signed', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET, maxWebhookBytes: 1024 });
    const big = JSON.stringify({ ref: 'refs/heads/main', after: SHA2, padding: 'x'.repeat(4096) });
    const response = await hook({ 'x-github-event': 'push', 'x-hub-signature-256': hmac(big) }, big);
    expect(response.status).toBe(413);
    expect(harness.pushes).toEqual([]);
    // and the server keeps serving
    expect((await fetch(`${harness.url}/healthz`)).status).toBe(200);
  });

  it('a chunked body without Content-Length is cut off at the limit too', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET, maxWebhookBytes: 1024 });
    const chunk = new TextEncoder().encode('x'.repeat(512));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${harness.url}/hooks/git`, {
      method: 'POST',
      headers: { 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(harness.pushes).toEqual([]);
  });

  it('without a configured secret, pushes are accepted unverified', async () => {
    harness = await startHarness();
    expect((await hook({ 'x-github-event': 'push' }, githubPush)).status).toBe(202);
    expect(harness.pushes).toHaveLength(1);
  });
});

describe('GitLab webhooks', () => {
  it('the right X-Gitlab-Token triggers a fetch; a wrong or missing one gets 401', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const headers = { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook' };
    expect((await hook({ ...headers, 'x-gitlab-token': 'wrong' }, gitlabPush)).status).toBe(401);
    expect((await hook(headers, gitlabPush)).status).toBe(401);
    // GitLab sends the secret itself, not an HMAC: a GitHub-style signature is not enough
    expect((await hook({ ...headers, 'x-hub-signature-256': hmac(gitlabPush) }, gitlabPush)).status).toBe(
      401,
    );
    expect(harness.pushes).toEqual([]);

    const ok = await hook({ ...headers, 'x-gitlab-token': SECRET }, gitlabPush);
    expect(ok.status).toBe(202);
    expect(harness.pushes).toEqual([{ ref: 'refs/heads/main', after: SHA2, provider: 'gitlab' }]);
  });

  it('non-push events are acknowledged and ignored', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const body = JSON.stringify({ object_kind: 'merge_request' });
    const response = await hook({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': SECRET }, body);
    expect(response.status).toBe(200);
    expect(harness.pushes).toEqual([]);
  });
});

describe('generic webhooks', () => {
  it('accept an HMAC-signed {ref, after} and refuse an unsigned one', async () => {
    harness = await startHarness({ gitWebhookSecret: SECRET });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: SHA2 });
    expect((await hook({ 'content-type': 'application/json' }, body)).status).toBe(401);
    const ok = await hook({ 'content-type': 'application/json', 'x-hub-signature-256': hmac(body) }, body);
    expect(ok.status).toBe(202);
    expect(harness.pushes).toEqual([{ ref: 'refs/heads/main', after: SHA2, provider: 'generic' }]);
  });
});
