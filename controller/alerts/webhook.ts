// Generic JSON webhook. The body is signed with HMAC-SHA256 (GitHub's scheme, our header names) so a
// receiver can prove the alert came from this controller; the delivery id lets it drop retries.

import { createHmac } from 'node:crypto';
import { systemClock } from '../clock.js';
import type { Logger } from '../log.js';
import { type DeliveryOptions, HttpDelivery } from './http-delivery.js';
import type { Alert } from './types.js';

export const SIGNATURE_HEADER = 'X-Ecs-Gitops-Signature';
export const TIMESTAMP_HEADER = 'X-Ecs-Gitops-Timestamp';
export const DELIVERY_HEADER = 'X-Ecs-Gitops-Delivery';
export const EVENT_HEADER = 'X-Ecs-Gitops-Event';

/** `sha256=<hex>` of the body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The JSON document a webhook receives. */
export function webhookPayload(alert: Alert): Record<string, unknown> {
  const { event } = alert;
  return {
    id: alert.id,
    type: event.type,
    severity: event.severity,
    time: event.time,
    instance: event.instance,
    ...(event.target ? { target: event.target } : {}),
    ...(event.revision ? { revision: event.revision } : {}),
    ...(event.resource ? { resource: event.resource } : {}),
    message: event.message,
    ...(event.fields ? { fields: event.fields } : {}),
    ...(event.problems ? { problems: event.problems } : {}),
    ...(event.problemCount !== undefined ? { problemCount: event.problemCount } : {}),
  };
}

export type WebhookOptions = Omit<DeliveryOptions, 'name' | 'build' | 'logger'> & {
  readonly secret?: string;
  readonly logger: Logger;
};

export function createWebhookNotifier(options: WebhookOptions): HttpDelivery {
  return new HttpDelivery({
    ...options,
    name: 'webhook',
    build(alert) {
      const body = JSON.stringify(webhookPayload(alert));
      return {
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'ecs-gitops',
          [EVENT_HEADER]: alert.event.type,
          [DELIVERY_HEADER]: alert.id,
          [TIMESTAMP_HEADER]: String(Math.floor((options.clock ?? systemClock).now().getTime() / 1000)),
          ...(options.secret ? { [SIGNATURE_HEADER]: signBody(body, options.secret) } : {}),
        },
      };
    },
  });
}
