// EventBridge Scheduler's wire protocol (REST-JSON, API version 2021-06-30): the operation from
// method + path, members from the path, the query string and the JSON body; answers as
// application/json, errors with the x-amzn-ErrorType header and a {"Message": …} body.
import type { ServerResponse } from 'node:http';
import type { JsonObject } from '../state.js';
import { ApiError } from '../wire/errors.js';

export interface RestCall {
  readonly operation: string;
  readonly input: JsonObject;
}

const ROUTES: ReadonlyArray<readonly [string, RegExp, string, string?]> = [
  ['POST', /^\/schedules\/([^/]+)$/, 'CreateSchedule', 'Name'],
  ['GET', /^\/schedules\/([^/]+)$/, 'GetSchedule', 'Name'],
  ['PUT', /^\/schedules\/([^/]+)$/, 'UpdateSchedule', 'Name'],
  ['DELETE', /^\/schedules\/([^/]+)$/, 'DeleteSchedule', 'Name'],
  ['GET', /^\/schedules$/, 'ListSchedules'],
  ['POST', /^\/schedule-groups\/([^/]+)$/, 'CreateScheduleGroup', 'Name'],
  ['GET', /^\/schedule-groups\/([^/]+)$/, 'GetScheduleGroup', 'Name'],
  ['DELETE', /^\/schedule-groups\/([^/]+)$/, 'DeleteScheduleGroup', 'Name'],
  ['GET', /^\/schedule-groups$/, 'ListScheduleGroups'],
  ['POST', /^\/tags\/(.+)$/, 'TagResource', 'ResourceArn'],
  ['GET', /^\/tags\/(.+)$/, 'ListTagsForResource', 'ResourceArn'],
  ['DELETE', /^\/tags\/(.+)$/, 'UntagResource', 'ResourceArn'],
];

/** Query members by their wire names (httpQuery) → the input member names. */
const QUERY_MEMBERS: Readonly<Record<string, string>> = {
  groupName: 'GroupName',
  clientToken: 'ClientToken',
  ScheduleGroup: 'ScheduleGroup',
  NamePrefix: 'NamePrefix',
  State: 'State',
  NextToken: 'NextToken',
  MaxResults: 'MaxResults',
  TagKeys: 'TagKeys',
};

export function isSchedulerPath(url: string): boolean {
  return /^\/(schedules|schedule-groups|tags)(\/|\?|$)/.test(url);
}

/** The operation a request names, or undefined when no route matches. */
export function routeScheduler(method: string, url: string, body: string): RestCall | undefined {
  const parsed = new URL(url, 'http://emulator');
  for (const [routeMethod, pattern, operation, pathMember] of ROUTES) {
    if (method !== routeMethod) continue;
    const match = pattern.exec(parsed.pathname);
    if (!match) continue;
    let input: JsonObject;
    try {
      const value: unknown = body.trim() === '' ? {} : JSON.parse(body);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError();
      input = value as JsonObject;
    } catch {
      throw new ApiError('ValidationException', 'The request body is not valid JSON.');
    }
    if (pathMember) input[pathMember] = decodeURIComponent(match[1]!);
    for (const [wire, member] of Object.entries(QUERY_MEMBERS)) {
      const values = parsed.searchParams.getAll(wire);
      if (values.length === 0) continue;
      input[member] =
        member === 'TagKeys' ? values : member === 'MaxResults' ? Number(values[0]) : values[0]!;
    }
    return { operation, input };
  }
  return undefined;
}

export function sendSchedulerResult(res: ServerResponse, text: string, requestId: string): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

export function sendSchedulerError(res: ServerResponse, error: ApiError, requestId: string): void {
  const text = JSON.stringify({ Message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  });
  res.end(text);
}
