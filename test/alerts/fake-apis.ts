// Local stand-ins for Microsoft Teams Workflows webhooks and PagerDuty's Events API v2 that check
// each request the way the real services define it, and answer like them (Workflows: 202 Accepted;
// Events API: 202 `{status: "success", message: "Event processed", dedup_key}` or 400 with errors).
import type { IncomingHttpHeaders } from 'node:http';
import { type Reply, startHttpReceiver } from '../helpers/http-receiver.js';

export interface FakeApi<T> {
  readonly url: string;
  /** Accepted requests, parsed. */
  readonly accepted: T[];
  /** Requests refused as invalid, with the reasons. */
  readonly refused: Array<{ body: string; errors: string[] }>;
  /** Status codes to answer before checking (e.g. 429), in order. */
  script: number[];
  close(): Promise<void>;
}

async function serve<T>(
  check: (headers: IncomingHttpHeaders, body: string) => { errors: string[]; parsed?: T },
  ok: (parsed: T) => { status: number; body: unknown },
  invalid: (errors: string[]) => { status: number; body: unknown },
): Promise<FakeApi<T>> {
  const accepted: T[] = [];
  const refused: Array<{ body: string; errors: string[] }> = [];
  const receiver = await startHttpReceiver<number>((request, scripted): Reply => {
    if (scripted) {
      return {
        status: scripted,
        body: { message: 'scripted' },
        ...(scripted === 429 ? { headers: { 'Retry-After': '0' } } : {}),
      };
    }
    if (request.method !== 'POST') return { status: 405, body: { message: 'method not allowed' } };
    const { errors, parsed } = check(request.headers, request.body);
    if (errors.length > 0 || parsed === undefined) {
      refused.push({ body: request.body, errors });
      return invalid(errors);
    }
    accepted.push(parsed);
    return ok(parsed);
  });
  return {
    url: `${receiver.origin}/`,
    accepted,
    refused,
    get script() {
      return receiver.script;
    },
    set script(value) {
      receiver.script = value;
    },
    close: () => receiver.close(),
  };
}

function json(headers: IncomingHttpHeaders, body: string, errors: string[]): unknown {
  if (!String(headers['content-type'] ?? '').startsWith('application/json')) {
    errors.push('Content-Type must be application/json');
  }
  try {
    return JSON.parse(body);
  } catch {
    errors.push('body is not JSON');
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Adaptive Card elements and actions this check knows (schema 1.5), with their required members.
function checkElement(element: unknown, path: string, errors: string[]): void {
  if (!isObject(element)) return void errors.push(`${path} must be an object`);
  switch (element.type) {
    case 'TextBlock':
      if (typeof element.text !== 'string' || element.text === '') errors.push(`${path}.text is required`);
      if (
        element.color !== undefined &&
        !['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'].includes(
          String(element.color),
        )
      )
        errors.push(`${path}.color is not a Colors value`);
      if (element.fontType !== undefined && !['Default', 'Monospace'].includes(String(element.fontType)))
        errors.push(`${path}.fontType is not a FontType value`);
      return;
    case 'FactSet':
      if (!Array.isArray(element.facts) || element.facts.length === 0)
        return void errors.push(`${path}.facts is required`);
      element.facts.forEach((fact, i) => {
        if (!isObject(fact) || typeof fact.title !== 'string' || typeof fact.value !== 'string')
          errors.push(`${path}.facts[${i}] needs string title and value`);
      });
      return;
    default:
      errors.push(`${path}.type ${String(element.type)} is not an element this card may use`);
  }
}

export interface TeamsPost {
  readonly card: Record<string, unknown>;
  readonly body: Array<Record<string, unknown>>;
  readonly actions: Array<Record<string, unknown>>;
}

/** A Teams Workflows "when a webhook request is received" trigger posting Adaptive Cards. */
export function startTeamsWorkflow(): Promise<FakeApi<TeamsPost>> {
  return serve<TeamsPost>(
    (headers, raw) => {
      const errors: string[] = [];
      const body = json(headers, raw, errors);
      // Teams drops cards bigger than about 28 KB.
      if (Buffer.byteLength(raw) > 28 * 1024) errors.push('message larger than 28 KB');
      if (!isObject(body)) return { errors: [...errors, 'body must be an object'] };
      if (body.type !== 'message') errors.push('type must be "message"');
      const attachments = body.attachments;
      if (!Array.isArray(attachments) || attachments.length === 0)
        return { errors: [...errors, 'attachments is required'] };
      const attachment = attachments[0] as Record<string, unknown>;
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive')
        errors.push('attachments[0].contentType must be application/vnd.microsoft.card.adaptive');
      const card = attachment.content;
      if (!isObject(card)) return { errors: [...errors, 'attachments[0].content must be an Adaptive Card'] };
      if (card.type !== 'AdaptiveCard') errors.push('content.type must be AdaptiveCard');
      const version = Number(card.version);
      if (typeof card.version !== 'string' || !(version >= 1.0 && version <= 1.5))
        errors.push('content.version must be a string from "1.0" to "1.5" (what Teams renders)');
      const elements = Array.isArray(card.body) ? card.body : [];
      if (elements.length === 0) errors.push('content.body must have elements');
      for (const [i, element] of elements.entries()) checkElement(element, `body[${i}]`, errors);
      const actions = Array.isArray(card.actions) ? card.actions : [];
      actions.forEach((action, i) => {
        if (!isObject(action) || action.type !== 'Action.OpenUrl')
          errors.push(`actions[${i}] must be Action.OpenUrl`);
        else if (!/^https?:\/\//.test(String(action.url))) errors.push(`actions[${i}].url must be absolute`);
      });
      return {
        errors,
        parsed: {
          card,
          body: elements as Array<Record<string, unknown>>,
          actions: actions as Array<Record<string, unknown>>,
        },
      };
    },
    () => ({ status: 202, body: {} }),
    (errors) => ({
      status: 400,
      body: { error: { code: 'InvalidRequestContent', message: errors.join('; ') } },
    }),
  );
}

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: Record<string, unknown>;
  readonly links?: Array<{ href: string; text?: string }>;
  readonly client?: string;
  readonly client_url?: string;
}

export type FakePagerDuty = FakeApi<PagerDutyEvent> & {
  /** Open alerts by dedup_key (trigger opens, resolve closes), as PagerDuty keeps them. */
  readonly open: Map<string, PagerDutyEvent>;
  readonly resolved: string[];
};

/** PagerDuty's Events API v2 `POST /v2/enqueue`. */
export async function startPagerDuty(): Promise<FakePagerDuty> {
  const open = new Map<string, PagerDutyEvent>();
  const resolved: string[] = [];
  const api = await serve<PagerDutyEvent>(
    (headers, raw) => {
      const errors: string[] = [];
      const body = json(headers, raw, errors);
      if (!isObject(body)) return { errors: [...errors, 'Event object is invalid'] };
      if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
        errors.push("'routing_key' is missing or not 32 characters");
      if (!['trigger', 'acknowledge', 'resolve'].includes(String(body.event_action)))
        errors.push("'event_action' must be trigger, acknowledge or resolve");
      if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255))
        errors.push("'dedup_key' must be a string of at most 255 characters");
      if (body.event_action !== 'trigger' && typeof body.dedup_key !== 'string')
        errors.push("'dedup_key' is required to acknowledge or resolve");
      if (body.event_action === 'trigger') {
        const payload = body.payload;
        if (!isObject(payload)) errors.push("'payload' is missing");
        else {
          if (typeof payload.summary !== 'string' || payload.summary === '' || payload.summary.length > 1024)
            errors.push("'payload.summary' is missing or longer than 1024 characters");
          if (typeof payload.source !== 'string' || payload.source === '')
            errors.push("'payload.source' is missing");
          if (!['critical', 'error', 'warning', 'info'].includes(String(payload.severity)))
            errors.push("'payload.severity' must be critical, error, warning or info");
          if (payload.timestamp !== undefined && Number.isNaN(Date.parse(String(payload.timestamp))))
            errors.push("'payload.timestamp' must be ISO 8601");
        }
        if (
          body.links !== undefined &&
          (!Array.isArray(body.links) || body.links.some((l) => !isObject(l) || typeof l.href !== 'string'))
        )
          errors.push("'links' must be a list of {href, text}");
      }
      return { errors, parsed: body as unknown as PagerDutyEvent };
    },
    (event) => {
      const key = event.dedup_key;
      if (event.event_action === 'trigger') open.set(key, event);
      if (event.event_action === 'resolve' && open.delete(key)) resolved.push(key);
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
    },
    (errors) => ({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors },
    }),
  );
  return Object.assign(api, { open, resolved });
}
