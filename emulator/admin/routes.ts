// The admin API under /_emulator/: call counts, reset, clock, faults, config, state dump.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator.js';
import type { JsonObject } from '../state.js';
import { setAlarmState, setHookRule } from './deployment-controls.js';
import { FaultError } from './faults.js';
import { AdminInputError, addContainerInstances, removeContainerInstance } from './instances.js';
import { rateLimitTable } from './rate-limits.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SyntaxError('body must be a JSON object');
  return parsed as JsonObject;
}

type Reply = readonly [status: number, body: unknown];
const reply = (status: number, body: unknown): Reply => [status, body];

export function handleAdmin(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): void {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const [status, body] = route(emulator, `${req.method} ${path.replace(/\/+$/, '')}`, rawBody);
  send(res, status, body);
}

function route(emulator: Emulator, route: string, rawBody: string): Reply {
  let body: JsonObject;
  try {
    body = parseBody(rawBody);
  } catch (error) {
    return reply(400, { error: `invalid JSON body: ${(error as Error).message}` });
  }
  try {
    switch (route) {
      case 'GET /_emulator/calls':
        return reply(200, emulator.calls());
      case 'POST /_emulator/calls/reset':
        emulator.resetCalls();
        return reply(200, {});
      case 'POST /_emulator/reset':
        emulator.reset();
        emulator.faults.clear();
        emulator.resetCalls();
        return reply(200, {});
      case 'GET /_emulator/clock':
        return reply(200, emulator.clock.info());
      case 'POST /_emulator/clock/advance': {
        const seconds = body.seconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
          return reply(400, { error: 'seconds must be a number >= 0' });
        }
        emulator.advance(seconds);
        return reply(200, emulator.clock.info());
      }
      case 'GET /_emulator/faults':
        return reply(200, { ...emulator.faults.list(), rateLimitTable: rateLimitTable() });
      case 'POST /_emulator/faults':
        return reply(200, emulator.faults.add(body));
      case 'DELETE /_emulator/faults':
        emulator.faults.clear();
        return reply(200, {});
      case 'GET /_emulator/config':
        return reply(200, {
          failImagePattern: emulator.config.failImagePattern?.source ?? null,
          timings: emulator.config.timings,
          accountId: emulator.accountId,
        });
      case 'POST /_emulator/config': {
        if ('failImagePattern' in body) {
          const value = body.failImagePattern;
          if (value !== null && typeof value !== 'string') {
            return reply(400, { error: 'failImagePattern must be a string or null' });
          }
          emulator.setFailImagePattern(value ?? undefined);
        }
        return reply(200, { failImagePattern: emulator.config.failImagePattern?.source ?? null });
      }
      case 'POST /_emulator/system-tags':
        return reply(200, { tags: emulator.putSystemTags(body) });
      case 'GET /_emulator/events':
        // EventBridge: what PutEvents accepted, oldest first, every region.
        return reply(200, { events: emulator.receivedEvents() });
      case 'GET /_emulator/schedule-invocations':
        // EventBridge Scheduler: what each due invocation did, oldest first, every region.
        return reply(200, { invocations: emulator.scheduleInvocations() });
      case 'GET /_emulator/state':
        return reply(200, emulator.dump());
      case 'POST /_emulator/container-instances':
        return reply(200, addContainerInstances(emulator, body));
      case 'POST /_emulator/container-instances/remove':
        return reply(200, removeContainerInstance(emulator, body));
      case 'POST /_emulator/alarms':
        return reply(200, setAlarmState(emulator, body));
      case 'POST /_emulator/lifecycle-hooks':
        return reply(200, setHookRule(emulator, body));
      case 'GET /_emulator/health':
        return reply(200, { ok: true });
      default:
        return reply(404, { error: `no admin route ${route}` });
    }
  } catch (error) {
    const status =
      error instanceof FaultError || error instanceof RangeError || error instanceof AdminInputError
        ? 400
        : 500;
    return reply(status, { error: (error as Error).message });
  }
}
