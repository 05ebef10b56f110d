// AWS JSON 1.1 framing: the target header, the SigV4 credential scope (region, access key), and
// the success / error response shapes.

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ApiError } from './errors.js';
import { type ServiceName, TARGET_PREFIX } from './operations.js';

export const JSON_11 = 'application/x-amz-json-1.1';

export interface Target {
  readonly service: ServiceName;
  readonly operation: string;
}

export function parseTarget(header: string | undefined): Target | undefined {
  if (!header) return undefined;
  const dot = header.indexOf('.');
  if (dot < 0) return undefined;
  const service = TARGET_PREFIX[header.slice(0, dot)];
  return service ? { service, operation: header.slice(dot + 1) } : undefined;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/ecs/aws4_request, ...` → key, region, signing name. */
export function credentialScope(authorization: string | undefined): {
  region?: string | undefined;
  accessKey?: string | undefined;
  service?: string | undefined;
} {
  if (!authorization) return {};
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\//.exec(authorization);
  return match ? { accessKey: match[1], region: match[2], service: match[3] } : {};
}

export function sendText(res: ServerResponse, status: number, text: string, requestId = randomUUID()): void {
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  const requestId = randomUUID();
  const text = JSON.stringify({ __type: error.code, message: error.message, ...error.members });
  res.writeHead(error.status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  });
  res.end(text);
}
