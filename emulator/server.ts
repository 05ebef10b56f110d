// node:http front: routes AWS JSON 1.1 calls (POST / with X-Amz-Target) and the admin API.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdmin } from './admin/routes.js';
import type { Emulator } from './emulator.js';
import {
  isSchedulerPath,
  routeScheduler,
  sendSchedulerError,
  sendSchedulerResult,
} from './scheduler/rest.js';
import type { JsonObject } from './state.js';
import { handleSts } from './sts/handler.js';
import { ApiError } from './wire/errors.js';
import { OPERATIONS } from './wire/operations.js';
import { credentialScope, parseTarget, sendError, sendText } from './wire/protocol.js';
import {
  isQueryRequest,
  type QueryService,
  queryInput,
  queryServiceOf,
  sendQueryError,
  sendQueryResult,
} from './wire/query.js';

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError('ClientException', 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handleApi(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<void> {
  if (isQueryRequest(req.headers['content-type'], raw)) return handleQuery(emulator, req, res, raw);
  const scope = credentialScope(req.headers.authorization);
  const target = parseTarget(req.headers['x-amz-target'] as string | undefined);
  if (!target) {
    sendError(res, new ApiError('UnknownOperationException', 'Missing or unknown X-Amz-Target header.'));
    return;
  }
  const key = `${target.service}:${target.operation}`;
  emulator.count(key);
  let body: JsonObject;
  try {
    const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new SyntaxError('not an object');
    body = parsed as JsonObject;
  } catch {
    // Both protocols (ECS and Application Auto Scaling) answer a malformed body the same way.
    sendError(
      res,
      new ApiError('SerializationException', 'Start of structure or map found where not expected.'),
    );
    return;
  }
  const region = emulator.regionFor(scope.region);
  const decision = emulator.faults.empty ? undefined : emulator.faults.decide(region, key, body);
  if (decision && decision.latencyMs > 0) await delay(decision.latencyMs);
  if (decision?.fail === 'throttle') {
    sendError(res, new ApiError('ThrottlingException', 'Rate exceeded'));
    return;
  }
  if (decision?.fail === 'server-error') {
    const error =
      target.service === 'ecs'
        ? new ApiError('ServerException', 'Service Unavailable. Please try again later.', 500)
        : new ApiError('InternalServiceException', 'Service Unavailable. Please try again later.', 500);
    sendError(res, error);
    return;
  }
  const result = await emulator.call(
    target.service,
    target.operation,
    region,
    body,
    emulator.callerOf(scope.accessKey),
  );
  if (decision?.dropAfterCommit) {
    // The write is applied; the client never hears about it.
    req.socket.destroy();
    return;
  }
  if (result.error) sendError(res, result.error);
  else sendText(res, 200, result.text);
}

/**
 * Query-protocol services (STS, IAM, ELBv2): the Version names the API. STS answers from its
 * sessions; IAM and ELBv2 run through the operation table like the JSON services (counts, faults,
 * the caller's account), their JSON results framed as XML.
 */
async function handleQuery(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<void> {
  const scope = credentialScope(req.headers.authorization);
  const params = new URLSearchParams(raw);
  const service = queryServiceOf(params, scope.service);
  const action = params.get('Action') ?? '';
  emulator.count(`${service.name}:${action}`);
  if (service.name === 'sts') {
    const session = emulator.sts.find(scope.accessKey);
    handleSts(
      res,
      service,
      raw,
      { defaultAccountId: emulator.accountId, ...(session ? { session } : {}) },
      emulator.sts,
      emulator.clock.now(),
    );
    return;
  }
  const version = params.get('Version');
  if (version !== service.version || !OPERATIONS[service.name].has(action)) {
    sendQueryError(
      res,
      service,
      new ApiError(
        'InvalidAction',
        `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
      ),
    );
    return;
  }
  const input = queryInput(params);
  const region = emulator.regionFor(scope.region);
  const key = `${service.name}:${action}`;
  const decision = emulator.faults.empty ? undefined : emulator.faults.decide(region, key, input);
  if (decision && decision.latencyMs > 0) await delay(decision.latencyMs);
  if (decision?.fail === 'throttle') {
    sendQueryError(res, service, new ApiError('Throttling', 'Rate exceeded'));
    return;
  }
  if (decision?.fail === 'server-error') {
    sendQueryError(res, service, serviceFailure(service));
    return;
  }
  const result = await emulator.call(service.name, action, region, input, emulator.callerOf(scope.accessKey));
  if (decision?.dropAfterCommit) {
    req.socket.destroy();
    return;
  }
  if (!result.error) sendQueryResult(res, service, action, JSON.parse(result.text));
  else if (result.error.status >= 500) sendQueryError(res, service, serviceFailure(service));
  else sendQueryError(res, service, result.error);
}

/** A query service's own 5xx: IAM's ServiceFailure, ELB's InternalFailure. */
function serviceFailure(service: QueryService): ApiError {
  return service.name === 'iam'
    ? new ApiError(
        'ServiceFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      )
    : new ApiError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      );
}

/** EventBridge Scheduler (REST-JSON): method + path name the operation; faults and counts as for the others. */
async function handleScheduler(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<void> {
  const requestId = randomUUID();
  let call: ReturnType<typeof routeScheduler>;
  try {
    call = routeScheduler(req.method ?? 'GET', req.url ?? '/', raw);
  } catch (error) {
    sendSchedulerError(res, error as ApiError, requestId);
    return;
  }
  if (!call) {
    sendSchedulerError(
      res,
      new ApiError('UnknownOperationException', `No operation at ${req.method} ${req.url}`, 404),
      requestId,
    );
    return;
  }
  const key = `scheduler:${call.operation}`;
  emulator.count(key);
  const scope = credentialScope(req.headers.authorization);
  const region = emulator.regionFor(scope.region);
  const decision = emulator.faults.empty ? undefined : emulator.faults.decide(region, key, call.input);
  if (decision && decision.latencyMs > 0) await delay(decision.latencyMs);
  if (decision?.fail === 'throttle') {
    sendSchedulerError(res, new ApiError('ThrottlingException', 'Rate exceeded', 429), requestId);
    return;
  }
  if (decision?.fail === 'server-error') {
    sendSchedulerError(
      res,
      new ApiError(
        'InternalServerException',
        'Unexpected error encountered while processing the request.',
        500,
      ),
      requestId,
    );
    return;
  }
  const result = await emulator.call(
    'scheduler',
    call.operation,
    region,
    call.input,
    emulator.callerOf(scope.accessKey),
  );
  if (decision?.dropAfterCommit) {
    req.socket.destroy();
    return;
  }
  if (result.error) sendSchedulerError(res, result.error, requestId);
  else sendSchedulerResult(res, result.text, requestId);
}

export function createEmulatorServer(emulator: Emulator): Server {
  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        if ((req.url ?? '').startsWith('/_emulator/')) return handleAdmin(emulator, req, res, raw);
        if (isSchedulerPath(req.url ?? '')) return handleScheduler(emulator, req, res, raw);
        if (req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/?'))) {
          return handleApi(emulator, req, res, raw);
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `not found: ${req.method} ${req.url}` }));
      })
      .catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return;
        if (error instanceof ApiError) sendError(res, error);
        else
          sendError(res, new ApiError('ServerException', `Internal error: ${(error as Error).message}`, 500));
      });
  });
  server.keepAliveTimeout = 60_000;
  return server;
}
