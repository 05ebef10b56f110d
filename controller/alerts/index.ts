// Alerts: the loop emits every event it sees; episodes are filtered, secrets masked, and each
// remaining alert fans out to every notifier (log always, webhook and Slack when configured).

import { randomUUID } from 'node:crypto';
import type { AwsCallCounter } from '../aws/clients.js';
import type { AlertSink, Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ControllerEvent, EventType } from '../status/model.js';
import { EpisodeFilter } from './episodes.js';
import { filterEvents } from './event-filter.js';
import { createEventBridgeNotifier } from './eventbridge.js';
import { maskEvent } from './format.js';
import type { DeliveryOptions } from './http-delivery.js';
import { createLogNotifier } from './log-notifier.js';
import { createPagerDutyNotifier, PAGERDUTY_TRIGGER_TYPES } from './pagerduty.js';
import { createSlackNotifier } from './slack.js';
import { createTeamsNotifier } from './teams.js';
import type { Alert, Notifier } from './types.js';
import { createWebhookNotifier } from './webhook.js';

export { EpisodeFilter } from './episodes.js';
export { EVENT_TYPES, filterEvents, parseEventList } from './event-filter.js';
export {
  createEventBridgeNotifier,
  EVENT_SOURCE,
  EventBridgeNotifier,
  eventBridgeEntry,
} from './eventbridge.js';
export { formatField, headline, MASK, maskEvent, maskFields } from './format.js';
export { HttpDelivery } from './http-delivery.js';
export { createLogNotifier } from './log-notifier.js';
export {
  createPagerDutyNotifier,
  DEFAULT_PAGERDUTY_EVENTS,
  dedupKey,
  PAGERDUTY_EVENTS_URL,
  pagerDutyEvent,
  pagerDutyTriggers,
} from './pagerduty.js';
export { createSlackNotifier, escapeMrkdwn, type SlackMessage, slackMessage } from './slack.js';
export { ADAPTIVE_CARD_CONTENT_TYPE, createTeamsNotifier, type TeamsMessage, teamsMessage } from './teams.js';
export type { Alert, Notifier } from './types.js';
export {
  createWebhookNotifier,
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  webhookPayload,
} from './webhook.js';

export interface Alerts {
  /** Offers an event; sends it only when it opens or closes an episode. Never throws. */
  emit(event: ControllerEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createAlerts(options: { notifiers: readonly Notifier[]; logger: Logger }): Alerts {
  const episodes = new EpisodeFilter();
  return {
    emit(event) {
      try {
        if (!episodes.admit(event)) return;
        const alert: Alert = { id: randomUUID(), event: maskEvent(event) };
        for (const notifier of options.notifiers) notifier.notify(alert);
      } catch (error) {
        options.logger.error({ error: String(error), event: event.type }, 'alert: cannot dispatch');
      }
    },
    async flush() {
      await Promise.all(options.notifiers.map((n) => n.flush()));
    },
    async close() {
      await Promise.all(options.notifiers.map((n) => n.close()));
    },
  };
}

/** The log notifier always (every alert); each configured sink with its event filter. */
export function notifiersFromConfig(
  config: Pick<
    Config,
    | 'webhookUrl'
    | 'webhookSecret'
    | 'slackWebhookUrl'
    | 'teamsWebhookUrl'
    | 'pagerdutyRoutingKey'
    | 'pagerdutyUrl'
    | 'externalUrl'
    | 'eventBus'
  > &
    Partial<Pick<Config, 'aws'>> &
    Partial<Pick<Config, 'alertEvents'>>,
  logger: Logger,
  delivery: Partial<
    Pick<DeliveryOptions, 'maxQueue' | 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'timeoutMs'>
  > = {},
  awsCalls?: AwsCallCounter,
): Notifier[] {
  const filters = config.alertEvents ?? {};
  const eventsOf = (sink: AlertSink) => filters[sink] ?? filters.all;
  const external = config.externalUrl ? { externalUrl: config.externalUrl } : {};
  const notifiers: Notifier[] = [createLogNotifier(logger)];
  if (config.webhookUrl) {
    if (!config.webhookSecret) {
      logger.warn('alert: --webhook-url without ECS_GITOPS_WEBHOOK_SECRET: alerts are sent unsigned');
    }
    const webhook = createWebhookNotifier({
      ...delivery,
      url: config.webhookUrl,
      logger,
      ...(config.webhookSecret ? { secret: config.webhookSecret } : {}),
    });
    notifiers.push(filterEvents(webhook, eventsOf('webhook')));
  }
  if (config.slackWebhookUrl) {
    const slack = createSlackNotifier({ ...delivery, url: config.slackWebhookUrl, logger });
    notifiers.push(filterEvents(slack, eventsOf('slack')));
  }
  if (config.teamsWebhookUrl) {
    const teams = createTeamsNotifier({ ...delivery, url: config.teamsWebhookUrl, logger, ...external });
    notifiers.push(filterEvents(teams, eventsOf('teams')));
  }
  if (config.pagerdutyRoutingKey) {
    // Its list names the events that trigger; recoveries resolve what they triggered.
    const events = filters.pagerduty ?? (filters.all ? pagerDutyTriggersOf(filters.all) : undefined);
    notifiers.push(
      createPagerDutyNotifier({
        ...delivery,
        logger,
        routingKey: config.pagerdutyRoutingKey,
        ...(config.pagerdutyUrl ? { url: config.pagerdutyUrl } : {}),
        ...(events ? { events } : {}),
        ...external,
      }),
    );
  }
  if (config.eventBus && config.aws) {
    const bus = createEventBridgeNotifier({
      aws: config.aws,
      eventBus: config.eventBus,
      logger,
      ...(awsCalls ? { counter: awsCalls } : {}),
    });
    notifiers.push(filterEvents(bus, eventsOf('eventbridge')));
  }
  return notifiers;
}

/** From the all-sinks list, the events PagerDuty can trigger on (the others are for other sinks). */
function pagerDutyTriggersOf(events: ReadonlySet<EventType>): ReadonlySet<EventType> {
  return new Set([...events].filter((type) => PAGERDUTY_TRIGGER_TYPES.has(type)));
}
