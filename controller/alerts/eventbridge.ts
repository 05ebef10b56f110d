// Alerts as EventBridge events (PutEvents), so teams route deploy and drift events with rules like
// any AWS event: source `ecs-gitops`, detail-type the event name, detail the webhook's JSON. This is
// a notification sink, not a change to the fleet: it writes only to the event bus.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type AwsCallCounter, countCalls } from '../aws/clients.js';
import { requestHandlerOptions } from '../aws/http-options.js';
import { Backoff } from '../backoff.js';
import type { AwsConfig } from '../config.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Alert, Notifier } from './types.js';
import { webhookPayload } from './webhook.js';

export const EVENT_SOURCE = 'ecs-gitops';
// Entry-level codes PutEvents documents as retryable; the SDK retries whole-call failures itself.
const RETRYABLE_ENTRY = new Set(['InternalFailure', 'ThrottlingException']);

export interface EventBridgeOptions {
  readonly aws: AwsConfig;
  /** Bus name or ARN (default bus: `default`). */
  readonly eventBus: string;
  readonly logger: Logger;
  /** Tries per alert on retryable entry failures (default 5). */
  readonly maxAttempts?: number;
  readonly initialDelayMs?: number;
  readonly maxQueue?: number;
  /** For tests: a client of their own. */
  readonly client?: EventBridgeClient;
  /** The controller's call counter: PutEvents shows in ecs_gitops_aws_requests_total{service="events"}. */
  readonly counter?: AwsCallCounter;
}

/** The PutEvents entry for an alert. */
export function eventBridgeEntry(alert: Alert, eventBus: string) {
  const { event } = alert;
  return {
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(webhookPayload(alert)),
    EventBusName: eventBus,
    Time: new Date(event.time),
    Resources: [],
  };
}

export class EventBridgeNotifier implements Notifier {
  readonly name = 'eventbridge';
  readonly stats = { delivered: 0, failed: 0, dropped: 0 };
  private readonly client: EventBridgeClient;
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: EventBridgeOptions) {
    this.client =
      options.client ??
      new EventBridgeClient({
        region: options.aws.region,
        maxAttempts: options.aws.maxAttempts,
        requestHandler: requestHandlerOptions(options.aws),
        ...(options.aws.endpointUrl ? { endpoint: options.aws.endpointUrl } : {}),
      });
    if (options.counter) countCalls(this.client, 'events', options.counter);
  }

  notify(alert: Alert): void {
    if (this.closed) return;
    const max = this.options.maxQueue ?? 100;
    while (this.queue.length >= max) {
      this.queue.shift();
      this.stats.dropped += 1;
      this.options.logger.warn(`alert: eventbridge queue full (${max}); dropped the oldest alert`);
    }
    this.queue.push(alert);
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
    if (!this.options.client) this.client.destroy();
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.put(next);
  }

  private async put(alert: Alert): Promise<void> {
    const log = {
      notifier: this.name,
      id: alert.id,
      event: alert.event.type,
      resource: alert.event.resource,
    };
    const backoff = new Backoff({ baseMs: this.options.initialDelayMs ?? 500, maxMs: 30_000 });
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const out = await this.client.send(
          new PutEventsCommand({ Entries: [eventBridgeEntry(alert, this.options.eventBus)] }),
        );
        const entry = out.Entries?.[0];
        if (!out.FailedEntryCount && entry?.EventId) {
          this.stats.delivered += 1;
          this.options.logger.debug({ ...log, eventId: entry.EventId }, 'alert: put on the event bus');
          return;
        }
        const problem = `${entry?.ErrorCode ?? 'UnknownError'}: ${entry?.ErrorMessage ?? 'no event id'}`;
        if (!RETRYABLE_ENTRY.has(entry?.ErrorCode ?? '') || attempt === attempts) {
          this.stats.failed += 1;
          this.options.logger.error({ ...log, problem }, `alert: EventBridge refused the event (${problem})`);
          return;
        }
      } catch (error) {
        // The SDK already retried throttling and 5xx; what reaches here is final for this alert.
        this.stats.failed += 1;
        this.options.logger.error({ ...log, err: errorMessage(error) }, 'alert: PutEvents failed');
        return;
      }
      await new Promise((done) => setTimeout(done, backoff.fail()));
    }
  }
}

export function createEventBridgeNotifier(options: EventBridgeOptions): EventBridgeNotifier {
  return new EventBridgeNotifier(options);
}
