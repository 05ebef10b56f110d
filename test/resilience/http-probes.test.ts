// HTTP probes (issue 11, resilience suite), from outside over real sockets: forged and oversized
// webhooks, cross-origin POSTs from a real browser page on another origin, and slow clients
// (slowloris: headers or a body trickling in) cut off by the server's timeouts.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signGitHub } from '../../controller/server/index.js';
import { chromiumAvailable, launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { waitFor } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { type Harness, startHarness } from '../server/harness.js';

const SECRET = 'probe-webhook-secret';
const PUSH = JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40) });

let current: Harness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await current?.close();
  current = undefined;
});

async function server(overrides: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  current = await startHarness(overrides);
  return current;
}

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** A raw connection; resolves with what the server sent once it closed the connection. */
function rawConnection(url: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(hostPort(url));
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

/** Writes `text` one character per `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[i++] ?? '');
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

function hook(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/hooks/git`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
    body,
  });
}

describe('HTTP probes: webhooks', () => {
  it('given forged signatures (none, wrong secret, another body, not hex, GitLab token), then 401 each and no push reaches the controller', async () => {
    const h = await server({ gitWebhookSecret: SECRET });
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-hub-signature-256': signGitHub(PUSH, 'wrong-secret') },
      { 'x-hub-signature-256': signGitHub(`${PUSH} `, SECRET) },
      { 'x-hub-signature-256': 'sha256=zz' },
      { 'x-hub-signature-256': signGitHub(PUSH, SECRET).toUpperCase() },
      { 'x-hub-signature': 'sha1=0000000000000000000000000000000000000000' },
    ];
    for (const headers of attempts) expect((await hook(h.url, PUSH, headers)).status).toBe(401);
    const gitlab = await fetch(`${h.url}/hooks/git`, {
      method: 'POST',
      headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'guess' },
      body: PUSH,
    });
    expect(gitlab.status).toBe(401);
    expect(h.pushes).toEqual([]);
    // the genuine one still works
    expect((await hook(h.url, PUSH, { 'x-hub-signature-256': signGitHub(PUSH, SECRET) })).status).toBe(202);
    expect(h.pushes).toHaveLength(1);
  });

  it('given an oversized body (declared, or chunked without a length), then 413, the connection is closed, and nothing is triggered', async () => {
    const h = await server({ gitWebhookSecret: SECRET, maxWebhookBytes: 64 * 1024 });
    const big = JSON.stringify({ ref: 'refs/heads/main', padding: 'x'.repeat(200 * 1024) });
    const declared = await hook(h.url, big, { 'x-hub-signature-256': signGitHub(big, SECRET) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');

    const { socket, closed } = rawConnection(h.url);
    socket.write(
      'POST /hooks/git HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = 'y'.repeat(16 * 1024);
    for (let i = 0; i < 8 && !socket.destroyed; i++)
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 413/);

    const sync = await fetch(`${h.url}/api/sync`, { method: 'POST', body: 'z'.repeat(100 * 1024) });
    expect(sync.status).toBe(413);
    expect(h.pushes).toEqual([]);
    expect(h.syncs).toEqual([]);
  });

  it('given a page on another origin, when it POSTs a push to /hooks/git of a controller without a webhook secret, then it is refused (Git hosts send no Origin)', async () => {
    const h = await server({});
    const forged = await fetch(`${h.url}/hooks/git`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: PUSH,
    });
    expect(forged.status).toBe(403);
    expect(h.pushes).toEqual([]);
    // a Git host's delivery (no Origin, no Sec-Fetch-Site) is still accepted unsigned
    expect((await hook(h.url, PUSH, {})).status).toBe(202);
    expect(h.pushes).toHaveLength(1);
  });
});

describe('HTTP probes: cross-origin requests from a real browser', () => {
  it.skipIf(!chromiumAvailable())(
    'given a page served from another origin, when its script POSTs Sync now and a push (no-cors, the forms a CSRF uses), then both are refused and nothing is triggered',
    async () => {
      const { logger, lines } = captureLogger('warn');
      const h = await server({ logger });
      // the "attacker" page: the same server under another origin (localhost vs 127.0.0.1)
      const browser = await launchBrowser();
      if (!browser) throw new Error(SKIP_REASON);
      try {
        const page = await browser.newPage();
        const target = h.url;
        const other = target.replace('127.0.0.1', 'localhost');
        await page.goto(`${other}/healthz`);
        // fetch without CORS (what a forged request can do) and a plain form post
        await page.evaluate(`(async () => {
          await fetch('${target}/api/sync', { method: 'POST', mode: 'no-cors', body: '{"reason":"csrf"}' });
          await fetch('${target}/hooks/git', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"ref":"refs/heads/main"}' });
          const form = document.createElement('form');
          form.method = 'POST';
          form.action = '${target}/api/sync';
          document.body.append(form);
          form.submit();
        })()`);
        await page.waitForLoadState('load');
        // the requests did arrive, and were refused
        await waitFor(() => lines.filter((l) => /refused/.test(String(l.msg))).length >= 3, 10_000);
        expect(lines.map((l) => l.msg)).toEqual([
          'sync request refused',
          'git webhook refused',
          'sync request refused',
        ]);
        expect(h.syncs).toEqual([]);
        expect(h.pushes).toEqual([]);
        // the dashboard's own Sync now (same origin) still works
        const own = await browser.newPage();
        await own.goto(`${target}/healthz`);
        const status = await own.evaluate(
          async (url: string) => (await fetch(`${url}/api/sync`, { method: 'POST' })).status,
          target,
        );
        expect(status).toBe(202);
        expect(h.syncs).toHaveLength(1);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});

describe('HTTP probes: slow clients', () => {
  it('given a client that sends its headers one byte at a time (slowloris), then the server answers 408 and closes the connection after the headers timeout', async () => {
    const h = await server({ headersTimeoutMs: 500 });
    const { socket, closed } = rawConnection(h.url);
    trickle(socket, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}\r\n\r\n`, 50);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('given hundreds of slowloris connections, then the server still answers others, and cuts them all off', async () => {
    const h = await server({ headersTimeoutMs: 1000 });
    const slow = Array.from({ length: 300 }, () => rawConnection(h.url));
    for (const { socket } of slow)
      trickle(socket, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-${'a'.repeat(10_000)}`, 100);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const answers = await Promise.all(slow.map((s) => s.closed));
    expect(answers.every((a) => a.startsWith('HTTP/1.1 408'))).toBe(true);
  });

  it('given a webhook whose body trickles in, then the request timeout cuts it off and nothing is triggered', async () => {
    const h = await server({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const { socket, closed } = rawConnection(h.url);
    socket.write(
      `POST /hooks/git HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${PUSH.length + 10_000}\r\n\r\n`,
    );
    trickle(socket, `${PUSH}${' '.repeat(10_000)}`, 50);
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    expect(h.pushes).toEqual([]);
  });
});
