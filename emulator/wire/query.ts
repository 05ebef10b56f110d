// The AWS query protocol (STS, IAM, Elastic Load Balancing v2): a form-encoded POST naming `Action`
// and `Version`, members flattened into dotted keys (`Names.member.1`, `Tags.member.2.Key`), and XML
// answers — `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>` on success, an
// `<ErrorResponse><Error><Type><Code><Message>` otherwise. One framing for every query service.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Json, JsonObject } from '../state.js';
import type { ApiError } from './errors.js';

export type QueryServiceName = 'sts' | 'iam' | 'elasticloadbalancing';

export interface QueryService {
  readonly name: QueryServiceName;
  readonly version: string;
  /** The XML namespace of its answers (the API's documented xmlns). */
  readonly namespace: string;
}

export const QUERY_SERVICES: readonly QueryService[] = [
  { name: 'sts', version: '2011-06-15', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  { name: 'iam', version: '2010-05-08', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  {
    name: 'elasticloadbalancing',
    version: '2015-12-01',
    namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  },
];

/** Whether a request is a query-protocol call: a form-encoded body naming an Action. */
export function isQueryRequest(contentType: string | undefined, raw: string): boolean {
  return /application\/x-www-form-urlencoded/i.test(contentType ?? '') && /(^|&)Action=/.test(raw);
}

/**
 * Which service a call is for: its `Version` names one API; without a known version, the SigV4
 * signing name (`…/<region>/iam/aws4_request`) decides, so the error can still be that service's.
 */
export function queryServiceOf(params: URLSearchParams, signingName: string | undefined): QueryService {
  const version = params.get('Version');
  return (
    QUERY_SERVICES.find((s) => s.version === version) ??
    QUERY_SERVICES.find((s) => s.name === signingName) ??
    (QUERY_SERVICES[0] as QueryService)
  );
}

function setPath(target: JsonObject, path: readonly string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest[0] === 'member' && rest[1] !== undefined && /^\d+$/.test(rest[1])) {
    // `X.member.N[.Sub]`: element N (1-based) of list X.
    const list = (Array.isArray(target[head]) ? target[head] : []) as Json[];
    target[head] = list;
    const index = Number(rest[1]) - 1;
    if (rest.length === 2) list[index] = value;
    else {
      const element = (
        typeof list[index] === 'object' && list[index] !== null ? list[index] : {}
      ) as JsonObject;
      list[index] = element;
      setPath(element, rest.slice(2), value);
    }
    return;
  }
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (
    typeof target[head] === 'object' && target[head] !== null && !Array.isArray(target[head])
      ? target[head]
      : {}
  ) as JsonObject;
  target[head] = child;
  setPath(child, rest, value);
}

/**
 * The members of a query request as a JSON object: lists from `.member.N` (holes removed, in index
 * order), structures from dotted names, every scalar a string (the handler converts numbers and
 * booleans, as the service's own deserializer does from the model).
 */
export function queryInput(params: URLSearchParams): JsonObject {
  const input: JsonObject = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    setPath(input, key.split('.'), value);
  }
  const compact = (value: Json): Json => {
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
    return value;
  };
  return compact(input) as JsonObject;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON → query-protocol XML: objects are elements, lists hold `<member>`s, scalars are text. */
export function toXml(value: Json, indent: string): string {
  if (Array.isArray(value))
    return value.map((item) => `${indent}<member>${inline(item, `${indent}  `)}</member>\n`).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${indent}<${k}>${inline(v, `${indent}  `)}</${k}>\n`)
      .join('');
  }
  return escapeXml(String(value));
}

function inline(value: Json, indent: string): string {
  if (typeof value === 'object' && value !== null) {
    const inner = toXml(value, indent);
    return inner === '' ? '' : `\n${inner}${indent.slice(2)}`;
  }
  return escapeXml(String(value));
}

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

/**
 * A success answer. A `null` result has no `<ActionResult>` element (IAM's DeleteRole); an empty
 * object is an empty one (ELB's `<DeleteTargetGroupResult/>`), as each service answers.
 */
export function sendQueryResult(
  res: ServerResponse,
  service: QueryService,
  action: string,
  result: Json,
): void {
  const requestId = randomUUID();
  const inner = result === null ? '' : toXml(result, '    ');
  const body =
    result === null
      ? ''
      : inner === ''
        ? `  <${action}Result/>\n`
        : `  <${action}Result>\n${inner}  </${action}Result>\n`;
  send(
    res,
    200,
    `<${action}Response xmlns="${service.namespace}">\n${body}  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    requestId,
  );
}

/** `<ErrorResponse>`: Type Sender for the caller's mistakes (4xx), Receiver for the service's (5xx). */
export function sendQueryError(res: ServerResponse, service: QueryService, error: ApiError): void {
  const requestId = randomUUID();
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  send(
    res,
    error.status,
    `<ErrorResponse xmlns="${service.namespace}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(error.code)}</Code>\n    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    requestId,
  );
}

/** Query APIs' form of a constraint failure: `1 validation error detected: Value 'x' at 'name' …`. */
export function constraintMessage(value: string | null, member: string, constraint: string): string {
  const shown = value === null ? 'null' : `'${value}'`;
  return `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}
