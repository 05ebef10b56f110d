// Alerts: the loop emits every event it sees; episodes are filtered, secrets masked, and each
// remaining alert fans out to every notifier (log always, webhook and Slack when configured).
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ControllerEvent } from '../status/model.js';
import { EpisodeFilter } from './episodes.js';
import { maskEvent } from './format.js';
import type { DeliveryOptions } from './http-delivery.js';
import { createLogNotifier } from './log-notifier.js';
import { createSlackNotifier } from './slack.js';
import type { Alert, Notifier } from './types.js';
import { createWebhookNotifier } from './webhook.js';

export { EpisodeFilter } from './episodes.js';
export { formatField, headline, MASK, maskEvent, maskFields } from './format.js';
export { HttpDelivery } from './http-delivery.js';
export { createLogNotifier } from './log-notifier.js';
export { createSlackNotifier, escapeMrkdwn, type SlackMessage, slackMessage } from './slack.js';
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

/** The log notifier always; a webhook and Slack when their URLs are configured. */
export function notifiersFromConfig(
  config: Pick<Config, 'webhookUrl' | 'webhookSecret' | 'slackWebhookUrl'>,
  logger: Logger,
  delivery: Partial<
    Pick<DeliveryOptions, 'maxQueue' | 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'timeoutMs'>
  > = {},
): Notifier[] {
  const notifiers: Notifier[] = [createLogNotifier(logger)];
  if (config.webhookUrl) {
    if (!config.webhookSecret) {
      logger.warn('alert: --webhook-url without ECS_GITOPS_WEBHOOK_SECRET: alerts are sent unsigned');
    }
    notifiers.push(
      createWebhookNotifier({
        ...delivery,
        url: config.webhookUrl,
        logger,
        ...(config.webhookSecret ? { secret: config.webhookSecret } : {}),
      }),
    );
  }
  if (config.slackWebhookUrl)
    notifiers.push(createSlackNotifier({ ...delivery, url: config.slackWebhookUrl, logger }));
  return notifiers;
}
