// GET /api/events: Server-Sent Events for the dashboard and any other live reader.
//
//   event: snapshot          data: StatusSnapshot  (on connect and whenever the status changes)
//   event: recent-events     data: ControllerEvent[] (on connect: the last events, oldest first)
//   event: controller-event  data: ControllerEvent (as each one is published)
//   : keep-alive            (a comment every keepAliveMs, so proxies keep the connection open)
//
// The status provider is a pull function, so changes are found by comparing serialized snapshots:
// on every controller event, on every `subscribeStatus` notification, and on a timer while
// anybody listens. One serialization per change is shared by all clients.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { EventLog } from '../status/event-log.js';
import type { ControllerEvent, StatusSnapshot } from '../status/model.js';
import { BASE_HEADERS } from './http-util.js';
import { maskEvent, maskSnapshot } from './redact.js';

export interface EventStreamOptions {
  readonly status: () => StatusSnapshot;
  readonly events: EventLog;
  readonly subscribeStatus?: (listener: () => void) => () => void;
  readonly pollMs: number;
  readonly keepAliveMs: number;
  readonly maxClients: number;
  readonly recentEvents: number;
  readonly logger: Logger;
}

// A client that stops reading is dropped rather than buffered without bound.
const MAX_BUFFERED_BYTES = 1 << 20;

export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private lastSnapshot: string | undefined;
  private stopListening: (() => void) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private checkQueued = false;

  constructor(private readonly options: EventStreamOptions) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over the response; false when the client limit is reached (caller answers 503). */
  accept(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.clients.size >= this.options.maxClients) return false;
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);

    if (this.clients.size === 0) this.start();
    // Existing clients learn about a change first; the newcomer then gets the current snapshot.
    this.checkStatus();
    this.clients.add(res);
    res.write('retry: 3000\n\n');
    if (this.lastSnapshot !== undefined) res.write(frame('snapshot', this.lastSnapshot));
    const recent = this.options.events.recent({ limit: this.options.recentEvents }).map(maskEvent);
    res.write(frame('recent-events', JSON.stringify(recent)));

    const remove = () => this.remove(res);
    req.on('close', remove);
    res.on('close', remove);
    res.on('error', remove);
    return true;
  }

  /** Ends every stream (server shutdown): clients see a clean end of stream. */
  close(): void {
    for (const res of [...this.clients]) {
      this.clients.delete(res);
      res.end();
    }
    this.stop();
  }

  private remove(res: ServerResponse): void {
    if (!this.clients.delete(res)) return;
    if (this.clients.size === 0) this.stop();
  }

  private start(): void {
    const offEvents = this.options.events.subscribe((event) => this.onEvent(event));
    const offStatus = this.options.subscribeStatus?.(() => this.queueCheck());
    this.stopListening = () => {
      offEvents();
      offStatus?.();
    };
    this.pollTimer = setInterval(() => this.checkStatus(), this.options.pollMs);
    this.keepAliveTimer = setInterval(() => this.broadcast(': keep-alive\n\n'), this.options.keepAliveMs);
    this.pollTimer.unref();
    this.keepAliveTimer.unref();
  }

  private stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    clearInterval(this.pollTimer);
    clearInterval(this.keepAliveTimer);
    this.pollTimer = undefined;
    this.keepAliveTimer = undefined;
    // A later first client must receive the snapshot as it is then, not a stale comparison base.
    this.lastSnapshot = undefined;
  }

  private onEvent(event: ControllerEvent): void {
    this.broadcast(frame('controller-event', JSON.stringify(maskEvent(event))));
    // The producer usually updates the status right around publishing; look once it settled.
    this.queueCheck();
  }

  private queueCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      if (this.clients.size > 0) this.checkStatus();
    });
  }

  private checkStatus(): void {
    let text: string;
    try {
      text = JSON.stringify(maskSnapshot(this.options.status()));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'status provider failed; live update skipped');
      return;
    }
    if (text === this.lastSnapshot) return;
    this.lastSnapshot = text;
    this.broadcast(frame('snapshot', text));
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.options.logger.warn('dropping a live-update client that stopped reading');
        this.remove(res);
        res.destroy();
        continue;
      }
      res.write(chunk);
    }
  }
}

function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
