// Keep-alive connections across an idle window. A load balancer (an ALB keeps idle connections
// 60 s) or a polling client reuses a connection it believes open; if the server closed it meanwhile
// (Node's default keep-alive is 5 s), a request sent as the close arrives gets ECONNRESET, which an
// ALB turns into a 502. A raw TCP client here plays that client: one request, an idle pause, the
// next request on the same connection — it must be answered, not dropped.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../controller/server/index.js';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.destroy();
  await harness?.close();
  harness = undefined;
});

/** Status line and headers of each response on one connection, or how the connection ended. */
function client(url: string) {
  const { hostname, port, host } = new URL(url);
  const s = connect(Number(port), hostname);
  socket = s;
  let buffer = '';
  let ended: string | undefined;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  s.setEncoding('utf8');
  s.on('data', (chunk: string) => {
    buffer += chunk;
    wake();
  });
  s.on('end', () => {
    ended ??= 'closed by the server';
    wake();
  });
  s.on('error', (error: NodeJS.ErrnoException) => {
    ended ??= error.code ?? error.message;
    wake();
  });
  return {
    /** Sends GET path on this connection; resolves with the response head, or how it failed. */
    async get(
      path: string,
    ): Promise<{ status: string; headers: Record<string, string> } | { failed: string }> {
      if (ended || s.destroyed) return { failed: ended ?? 'closed' };
      buffer = '';
      s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        const head = end >= 0 ? buffer.slice(0, end).split('\r\n') : undefined;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffer)?.[1] ?? Number.NaN);
        if (head && end + 4 + length <= buffer.length) {
          const headers = Object.fromEntries(
            head.slice(1).map((line) => {
              const colon = line.indexOf(':');
              return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
            }),
          );
          return { status: head[0] ?? '', headers };
        }
        if (ended) return { failed: ended };
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keep-alive connections', () => {
  it("given a client that reuses its connection, when it idles longer than Node's default keep-alive (5 s), then its next /api/status is answered on the same connection", async () => {
    // given the server with its defaults and a connection that served one request
    harness = await startHarness();
    const c = client(harness.url);
    const first = await c.get('/api/status');
    expect(first).toMatchObject({ status: 'HTTP/1.1 200 OK' });
    // when the client idles past Node's default window and asks again on that connection
    await idle(7000);
    // then it is answered, not reset
    expect(await c.get('/api/status')).toMatchObject({ status: 'HTTP/1.1 200 OK' });
    // and the server said how long it keeps an idle connection (clients that honour it close first)
    expect(first).toMatchObject({
      headers: { connection: 'keep-alive', 'keep-alive': `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}` },
    });
  }, 20_000);

  it('given short header and request timeouts (the slowloris defence), when a kept connection idles past both, then it is still reused', async () => {
    // given timeouts far below the idle pause: they bound a request being sent, not the idle time between requests
    harness = await startHarness({ headersTimeoutMs: 400, requestTimeoutMs: 800 });
    const c = client(harness.url);
    expect(await c.get('/api/status')).toMatchObject({ status: 'HTTP/1.1 200 OK' });
    // when the connection idles longer than both
    await idle(2000);
    // then the next request on it is answered
    expect(await c.get('/api/status')).toMatchObject({ status: 'HTTP/1.1 200 OK' });
  }, 20_000);
});
