// A real HTTP server that records the alerts it receives and answers with scripted status codes.
import type { IncomingHttpHeaders } from 'node:http';
import { startHttpReceiver } from '../helpers/http-receiver.js';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export async function startReceiver(script: number[] = []): Promise<{
  url: string;
  received: Received[];
  /** Status codes to answer, in order; 200 once they run out. */
  script: number[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const receiver = await startHttpReceiver<number>((request, scripted) => {
    received.push({ headers: request.headers, body: request.body, at: Date.now() });
    const status = scripted ?? 200;
    return { status, text: status === 200 ? 'ok' : 'nope' };
  });
  receiver.script = [...script];
  return {
    url: `${receiver.origin}/hook`,
    received,
    get script() {
      return receiver.script;
    },
    set script(value) {
      receiver.script = value;
    },
    close: () => receiver.close(),
  };
}
