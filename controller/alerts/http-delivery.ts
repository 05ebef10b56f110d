// Delivery of alerts over HTTP with retries and a bounded queue. Alerts are sent one at a time in
// order; while a receiver is down the queue fills, and past its bound the oldest alert is dropped
// (with a warning) so a dead receiver can never grow the controller's memory.

import { Backoff } from '../backoff.js';
import { type Clock, systemClock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Alert, Notifier } from './types.js';

export interface HttpRequestSpec {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Where this one request goes, when not the sink's URL (a commit status names its commit). */
  readonly url?: string;
}

export interface DeliveryOptions {
  readonly name: string;
  readonly url: string;
  readonly logger: Logger;
  /**
   * Builds the request for one alert (called once per alert: retries resend the same bytes), or
   * undefined when this sink has nothing to send for it.
   */
  readonly build: (alert: Alert) => HttpRequestSpec | undefined;
  /** Alerts waiting beyond the one in flight (default 100). */
  readonly maxQueue?: number;
  /** Tries per alert (default 5). */
  readonly maxAttempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
  /** Wall time for rate-limit reset times and signed timestamps; tests pass a manual one. */
  readonly clock?: Clock;
}

interface Pending {
  /** What the log lines of this delivery name (alert id, event, resource). */
  readonly log: Readonly<Record<string, unknown>>;
  readonly request: HttpRequestSpec;
}

/** Retry on network errors, timeouts, 408, 429 and 5xx; other 4xx mean the request itself is wrong. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * GitHub's primary rate limit answers 403 (or 429) with `x-ratelimit-remaining: 0` and the reset
 * time; its secondary limit answers 403 with `retry-after`. Both say when to try again.
 */
function rateLimitedMs(response: Response, nowMs: number): number | undefined {
  const retryAfter = retryAfterMs(response.headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  if (response.headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - nowMs) : undefined;
}

function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export class HttpDelivery implements Notifier {
  readonly name: string;
  private readonly queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private abort = new AbortController();
  /** Counters for tests and metrics. */
  readonly stats = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  constructor(private readonly options: DeliveryOptions) {
    this.name = options.name;
  }

  notify(alert: Alert): void {
    if (this.closed) return;
    let request: HttpRequestSpec | undefined;
    try {
      request = this.options.build(alert);
    } catch (error) {
      this.options.logger.error({ notifier: this.name, error: String(error) }, 'alert: cannot build request');
      return;
    }
    if (!request) return;
    this.send(request, { id: alert.id, event: alert.event.type, resource: alert.event.resource });
  }

  /** Queues one request that is not an alert (a commit status), with what its log lines name. */
  send(request: HttpRequestSpec, log: Readonly<Record<string, unknown>>): void {
    if (this.closed) return;
    const max = this.options.maxQueue ?? 100;
    while (this.queue.length >= max) {
      const dropped = this.queue.shift();
      this.stats.dropped += 1;
      this.options.logger.warn(
        { notifier: this.name, ...dropped?.log },
        `alert: ${this.name} queue full (${max}); dropped the oldest alert`,
      );
    }
    this.queue.push({ log, request });
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Gives up on everything queued and in flight (shutdown deadline passed). */
  abandon(): void {
    this.closed = true;
    this.queue.length = 0;
    this.abort.abort();
    this.abort = new AbortController();
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.deliver(next);
  }

  private async deliver({ log: label, request }: Pending): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const backoff = new Backoff({
      baseMs: this.options.initialDelayMs ?? 500,
      maxMs: this.options.maxDelayMs ?? 30_000,
    });
    const log = { notifier: this.name, ...label };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      this.stats.attempts += 1;
      let problem: string;
      let wait: number | undefined;
      try {
        const response = await fetch(request.url ?? this.options.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.stats.delivered += 1;
          this.options.logger.debug({ ...log, attempt }, 'alert: delivered');
          return;
        }
        problem = `HTTP ${response.status}`;
        const nowMs = (this.options.clock ?? systemClock).now().getTime();
        const limited = response.status === 403 ? rateLimitedMs(response, nowMs) : undefined;
        if (!retryable(response.status) && limited === undefined) {
          this.stats.failed += 1;
          this.options.logger.error(
            { ...log, status: response.status },
            `alert: ${this.name} refused the alert (${problem})`,
          );
          return;
        }
        wait = limited ?? rateLimitedMs(response, nowMs);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        problem =
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : String(error);
      }
      if (attempt === maxAttempts) break;
      const delay = Math.min(wait ?? backoff.fail(), this.options.maxDelayMs ?? 30_000);
      this.options.logger.warn(
        { ...log, attempt, retryInMs: delay },
        `alert: ${this.name} delivery failed (${problem}); retrying`,
      );
      await new Promise((done) => setTimeout(done, delay));
      if (this.abort.signal.aborted) return;
    }
    this.stats.failed += 1;
    this.options.logger.error(
      { ...log, attempts: maxAttempts },
      `alert: ${this.name} gave up after ${maxAttempts} attempts`,
    );
  }
}
