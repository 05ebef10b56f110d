// A local HTTP server for stand-ins of third-party APIs (Git hosts, chat and paging services, analysis
// endpoints): collects each request whole, answers with what the stand-in decides, and lets a test
// script the next answers (rate limits, outages) before the stand-in's own checks run.
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** `body` is sent as JSON; `text` (instead) as text/plain. */
export type Reply = {
  readonly status: number;
  readonly headers?: Record<string, string>;
} & ({ readonly body: unknown } | { readonly text: string });

export interface HttpReceiver<S> {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** Answers to give first, in order, whatever the request; each stand-in defines what an entry means. */
  script: S[];
  close(): Promise<void>;
}

/** `answer` gets the next scripted entry (undefined once the script is used up). */
export async function startHttpReceiver<S>(
  answer: (request: ReceivedRequest, scripted: S | undefined) => Reply,
): Promise<HttpReceiver<S>> {
  const state = { script: [] as S[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = answer(
        {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        },
        state.script.shift(),
      );
      const text = 'text' in reply;
      res.writeHead(reply.status, {
        'Content-Type': text ? 'text/plain' : 'application/json',
        ...reply.headers,
      });
      res.end(text ? reply.text : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    get script() {
      return state.script;
    },
    set script(value) {
      state.script = value;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
