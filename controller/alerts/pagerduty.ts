// PagerDuty Events API v2 (POST /v2/enqueue): a problem event triggers an alert, its recovery
// resolves it. The dedup_key names the resource and the kind of problem, so one episode is one
// PagerDuty alert (a RolloutFailed and the HealthDegraded of the same rollout land on the same one),
// the recovery resolves exactly that alert, and a later episode opens a new one.
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ControllerEvent, EventType } from '../status/model.js';
import { origin } from './format.js';
import { type DeliveryOptions, HttpDelivery } from './http-delivery.js';
import { dashboardLink } from './links.js';
import type { Alert } from './types.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

type Episode = 'health' | 'sync' | 'drift';

/** Problem events PagerDuty can trigger on, each with the episode its recovery resolves. */
const TRIGGERS: Partial<Record<EventType, Episode>> = {
  HealthDegraded: 'health',
  RolloutFailed: 'health',
  SyncFailed: 'sync',
  DriftDetected: 'drift',
};

export const PAGERDUTY_TRIGGER_TYPES: ReadonlySet<EventType> = new Set(Object.keys(TRIGGERS) as EventType[]);

const RESOLVES: Partial<Record<EventType, Episode>> = {
  HealthRecovered: 'health',
  SyncSucceeded: 'sync',
  DriftResolved: 'drift',
};

export const DEFAULT_PAGERDUTY_EVENTS: ReadonlySet<EventType> = new Set([
  'RolloutFailed',
  'SyncFailed',
  'HealthDegraded',
]);

const SEVERITY: Partial<Record<EventType, 'critical' | 'error' | 'warning'>> = {
  HealthDegraded: 'critical',
  RolloutFailed: 'critical',
  SyncFailed: 'error',
  DriftDetected: 'warning',
};

// Limits of the Events API v2: summary 1024 characters, dedup_key 255.
const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;

/** The trigger events of --pagerduty-events; only problems with a recovery can trigger. */
export function pagerDutyTriggers(events: ReadonlySet<EventType> | undefined): ReadonlySet<EventType> {
  if (!events) return DEFAULT_PAGERDUTY_EVENTS;
  const triggers = new Set<EventType>();
  for (const type of events) {
    if (TRIGGERS[type]) triggers.add(type);
    else if (!RESOLVES[type]) {
      throw new ConfigError(
        `--pagerduty-events: ${type} cannot trigger a PagerDuty alert (it has no recovery to resolve it); use ${Object.keys(TRIGGERS).join(', ')}`,
      );
    }
  }
  return triggers;
}

export function dedupKey(sender: string, resource: string, episode: Episode): string {
  const key = `ecs-gitops/${sender}/${resource}/${episode}`;
  if (key.length <= MAX_DEDUP_KEY) return key;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${key.slice(0, MAX_DEDUP_KEY - 17)}~${hash}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface PagerDutyEventOptions {
  readonly routingKey: string;
  readonly triggers: ReadonlySet<EventType>;
  readonly externalUrl?: string;
}

/** The Events API v2 body for an alert, or undefined when it neither triggers nor resolves. */
export function pagerDutyEvent(
  alert: Alert,
  options: PagerDutyEventOptions,
): Record<string, unknown> | undefined {
  const { event } = alert;
  if (!event.resource) return undefined;
  const triggerEpisode = options.triggers.has(event.type) ? TRIGGERS[event.type] : undefined;
  if (triggerEpisode) return trigger(event, triggerEpisode, alert.id, options);
  const resolveEpisode = RESOLVES[event.type];
  if (!resolveEpisode) return undefined;
  const armed = [...options.triggers].some((type) => TRIGGERS[type] === resolveEpisode);
  if (!armed) return undefined;
  return {
    routing_key: options.routingKey,
    event_action: 'resolve',
    dedup_key: dedupKey(origin(event), event.resource, resolveEpisode),
  };
}

function trigger(
  event: ControllerEvent,
  episode: Episode,
  id: string,
  options: PagerDutyEventOptions,
): Record<string, unknown> {
  const resource = event.resource ?? '';
  const link = dashboardLink(options.externalUrl, event);
  return {
    routing_key: options.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(origin(event), resource, episode),
    payload: {
      summary: clip(`[${origin(event)}] ${event.type} ${resource}: ${event.message}`, MAX_SUMMARY),
      source: `ecs-gitops/${origin(event)}`,
      severity: SEVERITY[event.type] ?? 'error',
      timestamp: event.time,
      component: resource,
      group: resource.split('/')[0] ?? resource,
      class: event.type,
      custom_details: {
        message: event.message,
        alert_id: id,
        ...(event.revision ? { revision: event.revision } : {}),
        ...(event.fields ? { fields: event.fields } : {}),
      },
    },
    client: 'ecs-gitops',
    ...(link ? { client_url: link, links: [{ href: link, text: `${resource} in ecs-gitops` }] } : {}),
  };
}

export type PagerDutyOptions = Omit<DeliveryOptions, 'name' | 'build' | 'logger' | 'url'> & {
  readonly logger: Logger;
  readonly routingKey: string;
  /** Default: PagerDuty's global endpoint (events.eu.pagerduty.com for EU accounts). */
  readonly url?: string;
  /** Events that trigger (default RolloutFailed, SyncFailed, HealthDegraded); recoveries resolve. */
  readonly events?: ReadonlySet<EventType>;
  readonly externalUrl?: string;
};

export function createPagerDutyNotifier(options: PagerDutyOptions): HttpDelivery {
  const eventOptions: PagerDutyEventOptions = {
    routingKey: options.routingKey,
    triggers: pagerDutyTriggers(options.events),
    ...(options.externalUrl ? { externalUrl: options.externalUrl } : {}),
  };
  // One trigger per open episode: a RolloutFailed after the HealthDegraded of the same rollout adds
  // nothing to the alert PagerDuty already has.
  const open = new Set<string>();
  return new HttpDelivery({
    ...options,
    url: options.url ?? PAGERDUTY_EVENTS_URL,
    name: 'pagerduty',
    build(alert) {
      const body = pagerDutyEvent(alert, eventOptions);
      if (!body) return undefined;
      const key = String(body.dedup_key);
      if (body.event_action === 'trigger') {
        if (open.has(key)) return undefined;
        open.add(key);
      } else open.delete(key);
      return {
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'ecs-gitops' },
      };
    },
  });
}
