// Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
// received"): a `message` whose one attachment is an Adaptive Card. Workflows accept Adaptive Cards
// only (not the retired connectors' MessageCard), and Teams renders schema version 1.5 at most.
import type { Logger } from '../log.js';
import type { ControllerEvent } from '../status/model.js';
import { shortRevision } from '../types.js';
import { formatField, origin } from './format.js';
import { type DeliveryOptions, HttpDelivery } from './http-delivery.js';
import { dashboardLink } from './links.js';
import type { Alert } from './types.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_VERSION = '1.5';

// Adaptive Card TextBlock colours.
const COLORS: Record<ControllerEvent['severity'], string> = {
  info: 'Good',
  warning: 'Warning',
  error: 'Attention',
};

const MAX_LIST = 15;
// Teams refuses cards above ~28 KB; a message and lists this long stay well below.
const MAX_TEXT = 2000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function listBlock(title: string, lines: readonly string[]): Record<string, unknown>[] {
  const shown = lines.slice(0, MAX_LIST).map((line) => clip(line, 300));
  if (lines.length > MAX_LIST) shown.push(`… and ${lines.length - MAX_LIST} more`);
  return [
    { type: 'TextBlock', text: title, weight: 'Bolder', spacing: 'Medium', wrap: true },
    // Monospace keeps `file:line:col` and field paths readable; one TextBlock per line avoids Markdown.
    ...shown.map((line) => ({
      type: 'TextBlock',
      text: line,
      fontType: 'Monospace',
      wrap: true,
      spacing: 'None',
    })),
  ];
}

export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: ReadonlyArray<{
    readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
    readonly contentUrl: null;
    readonly content: Record<string, unknown>;
  }>;
}

export function teamsMessage(alert: Alert, options: { externalUrl?: string } = {}): TeamsMessage {
  const { event } = alert;
  const facts = [
    { title: 'Instance', value: event.instance },
    ...(event.target ? [{ title: 'Target', value: event.target }] : []),
    { title: 'Severity', value: event.severity },
    ...(event.resource ? [{ title: 'Resource', value: event.resource }] : []),
    ...(event.revision ? [{ title: 'Revision', value: shortRevision(event.revision) ?? '' }] : []),
    { title: 'Time', value: event.time },
  ];
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `${event.type}${event.resource ? ` ${event.resource}` : ''}`,
      size: 'Medium',
      weight: 'Bolder',
      color: COLORS[event.severity],
      wrap: true,
      style: 'heading',
    },
    { type: 'TextBlock', text: clip(event.message, MAX_TEXT), wrap: true },
    { type: 'FactSet', facts },
  ];
  if (event.fields && event.fields.length > 0)
    body.push(...listBlock('Fields', event.fields.map(formatField)));
  if (event.problems && event.problems.length > 0) body.push(...listBlock('Problems', event.problems));
  const link = dashboardLink(options.externalUrl, event);
  const content: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    // Shown in notifications and the activity feed.
    fallbackText: `[${origin(event)}] ${event.type}${event.resource ? ` ${event.resource}` : ''}: ${clip(event.message, 300)}`,
    body,
    ...(link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in ecs-gitops', url: link }] } : {}),
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content }],
  };
}

export type TeamsOptions = Omit<DeliveryOptions, 'name' | 'build' | 'logger'> & {
  readonly logger: Logger;
  readonly externalUrl?: string;
};

export function createTeamsNotifier(options: TeamsOptions): HttpDelivery {
  return new HttpDelivery({
    ...options,
    name: 'teams',
    build: (alert) => ({
      body: JSON.stringify(
        teamsMessage(alert, options.externalUrl ? { externalUrl: options.externalUrl } : {}),
      ),
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'ecs-gitops' },
    }),
  });
}
