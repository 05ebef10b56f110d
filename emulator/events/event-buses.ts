// EventBridge (AWSEvents, AWS JSON 1.1): event buses and PutEvents. Every account has the `default`
// bus; others come from CreateEventBus. PutEvents records each accepted event in the shape rules and
// targets receive (version, id, detail-type, source, account, time, region, resources, detail), kept
// per region (the newest 1000) and readable through GET /_emulator/events.
import { randomUUID } from 'node:crypto';
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError, validationException } from '../wire/errors.js';
import { Input } from '../wire/input.js';

export const RECORDED_EVENTS = 1000;
// PutEvents quotas: 10 entries per call, 256 KB per call (entry size as the user guide computes it).
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

export interface EventsState {
  buses: Record<string, JsonObject>;
  received: JsonObject[];
}

export function eventsOf(region: RegionState): EventsState {
  region.events ??= { buses: {}, received: [] };
  return region.events;
}

const invalid = (message: string) => validationException(message);
const notFound = (message: string) => new ApiError('ResourceNotFoundException', message);

function busArn(ctx: OpContext, name: string): string {
  return `arn:aws:events:${ctx.regionName}:${ctx.accountId}:event-bus/${name}`;
}

/** A bus name or ARN → its name, when it exists in this account and region. */
function findBus(ctx: OpContext, nameOrArn: string | undefined): string | undefined {
  const name = nameOrArn?.startsWith('arn:') ? nameOrArn.split(':event-bus/')[1] : (nameOrArn ?? 'default');
  if (!name) return undefined;
  if (nameOrArn?.startsWith('arn:') && nameOrArn !== busArn(ctx, name)) return undefined;
  return name === 'default' || eventsOf(ctx.region).buses[name] ? name : undefined;
}

export function createEventBus(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const name = input.requiredString('Name');
  if (!BUS_NAME.test(name)) {
    throw invalid(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`,
    );
  }
  if (name === 'default' || name.startsWith('aws.')) {
    throw invalid(`Event bus name ${name} is reserved.`);
  }
  const state = eventsOf(ctx.region);
  if (state.buses[name])
    throw new ApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  const arn = busArn(ctx, name);
  state.buses[name] = {
    Name: name,
    Arn: arn,
    CreationTime: ctx.nowMs / 1000,
    LastModifiedTime: ctx.nowMs / 1000,
  };
  return { EventBusArn: arn };
}

export function describeEventBus(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const requested = input.string('Name');
  const name = findBus(ctx, requested);
  if (!name) throw notFound(`Event bus ${requested} does not exist.`);
  return name === 'default'
    ? { Name: 'default', Arn: busArn(ctx, 'default') }
    : (eventsOf(ctx.region).buses[name] as JsonObject);
}

export function deleteEventBus(ctx: OpContext, body: JsonObject): Json {
  const name = new Input(body, invalid).requiredString('Name');
  if (name === 'default') throw invalid('Cannot delete event bus default.');
  delete eventsOf(ctx.region).buses[name];
  return {};
}

function entryFailure(code: string, message: string): EntryResult {
  return { failure: { ErrorCode: code, ErrorMessage: message } };
}

export function putEvents(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const entries = input.objects('Entries');
  if (!entries || entries.length === 0 || entries.length > MAX_ENTRIES) {
    throw invalid(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${
        entries && entries.length > MAX_ENTRIES
          ? `less than or equal to ${MAX_ENTRIES}`
          : 'greater than or equal to 1'
      }`,
    );
  }
  const size = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (size > MAX_REQUEST_BYTES) {
    throw invalid(`Total size of the entries in the request is over the limit.`);
  }
  const state = eventsOf(ctx.region);
  let failed = 0;
  const results = entries.map((entry): JsonObject => {
    const result = acceptEntry(ctx, entry);
    if ('failure' in result) {
      failed += 1;
      return result.failure;
    }
    state.received.push(result.event);
    if (state.received.length > RECORDED_EVENTS)
      state.received.splice(0, state.received.length - RECORDED_EVENTS);
    return { EventId: String(result.event.id) };
  });
  return { FailedEntryCount: failed, Entries: results };
}

type EntryResult = { failure: JsonObject } | { event: JsonObject };

function acceptEntry(ctx: OpContext, entry: JsonObject): EntryResult {
  const source = typeof entry.Source === 'string' ? entry.Source : '';
  const detailType = typeof entry.DetailType === 'string' ? entry.DetailType : '';
  const detailText = typeof entry.Detail === 'string' ? entry.Detail : '';
  const missing = [
    ...(source ? [] : ['Source']),
    ...(detailType ? [] : ['DetailType']),
    ...(detailText ? [] : ['Detail']),
  ];
  if (missing.length > 0) {
    return entryFailure('InvalidArgument', `Parameter(s) ${missing.join(', ')} must be specified.`);
  }
  if (source.startsWith('aws.')) {
    return entryFailure('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return entryFailure('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return entryFailure('MalformedDetail', 'Detail is malformed.');
  }
  const requestedBus = typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined;
  const bus = findBus(ctx, requestedBus);
  if (!bus) return entryFailure('InvalidArgument', `Event bus ${requestedBus} does not exist.`);
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.filter((r) => typeof r === 'string')
    : [];
  const timeMs = typeof entry.Time === 'number' ? entry.Time * 1000 : ctx.nowMs;
  return {
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: ctx.accountId,
      time: new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: ctx.regionName,
      resources,
      detail: detail as JsonObject,
      eventBusName: bus,
    },
  };
}

// "Calculating PutEvents event entry size": UTF-8 bytes of Source, DetailType, Detail, each
// resource, plus 14 bytes for Time when present.
function entrySize(entry: JsonObject): number {
  let size = 0;
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[key];
    if (typeof value === 'string') size += Buffer.byteLength(value);
  }
  if (Array.isArray(entry.Resources)) {
    for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  }
  if (entry.Time !== undefined && entry.Time !== null) size += 14;
  return size;
}
