// Slack incoming-webhook messages: `text` for notifications and clients without blocks, plus an
// attachment (for the severity colour bar) holding Block Kit blocks with the details.

import type { Logger } from '../log.js';
import type { ControllerEvent } from '../status/model.js';
import { shortRevision } from '../types.js';
import { formatField, headline } from './format.js';
import { type DeliveryOptions, HttpDelivery } from './http-delivery.js';
import type { Alert } from './types.js';

const COLORS: Record<ControllerEvent['severity'], string> = {
  info: '#2eb67d',
  warning: '#ecb22e',
  error: '#e01e5a',
};

const EMOJI: Record<ControllerEvent['severity'], string> = {
  info: ':white_check_mark:',
  warning: ':warning:',
  error: ':rotating_light:',
};

// Block Kit limits: section text 3000 characters, header 150, at most 10 fields per section.
const MAX_SECTION = 2900;
const MAX_LIST = 15;

/** Slack's mrkdwn needs only &, < and > escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function codeList(lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_LIST);
  const more = lines.length > MAX_LIST ? `\n… and ${lines.length - MAX_LIST} more` : '';
  return clip(`\`\`\`${escapeMrkdwn(shown.join('\n'))}${more}\`\`\``, MAX_SECTION);
}

export interface SlackMessage {
  readonly text: string;
  readonly attachments: ReadonlyArray<{
    readonly color: string;
    readonly fallback: string;
    readonly blocks: ReadonlyArray<Record<string, unknown>>;
  }>;
}

export function slackMessage(alert: Alert): SlackMessage {
  const { event } = alert;
  const text = `${EMOJI[event.severity]} ${escapeMrkdwn(headline(event))}`;
  const facts = [
    ['Instance', event.instance],
    ...(event.target ? [['Target', event.target]] : []),
    ['Severity', event.severity],
    ...(event.resource ? [['Resource', event.resource]] : []),
    ...(event.revision ? [['Revision', shortRevision(event.revision)]] : []),
  ];
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: clip(`${event.type}${event.resource ? ` ${event.resource}` : ''}`, 150),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(event.message), MAX_SECTION) } },
    {
      type: 'section',
      fields: facts.map(([name, value]) => ({
        type: 'mrkdwn',
        text: `*${name}*\n${escapeMrkdwn(value ?? '')}`,
      })),
    },
  ];
  if (event.fields && event.fields.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Fields*\n${codeList(event.fields.map(formatField))}` },
    });
  }
  if (event.problems && event.problems.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Problems*\n${codeList(event.problems)}` },
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `ecs-gitops · ${event.time} · ${alert.id}` }],
  });
  return { text, attachments: [{ color: COLORS[event.severity], fallback: text, blocks }] };
}

export type SlackOptions = Omit<DeliveryOptions, 'name' | 'build' | 'logger'> & { readonly logger: Logger };

export function createSlackNotifier(options: SlackOptions): HttpDelivery {
  return new HttpDelivery({
    ...options,
    name: 'slack',
    build: (alert) => ({
      body: JSON.stringify(slackMessage(alert)),
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'ecs-gitops' },
    }),
  });
}
