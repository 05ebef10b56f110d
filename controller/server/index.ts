// The controller's HTTP server: probes, metrics, status API, live events, webhooks, sync, dashboard.
// node:http with a small router; every route handler is a few lines over the modules beside it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EcsGitopsError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { EventLog } from '../status/event-log.js';
import type { StatusSnapshot } from '../status/model.js';
import { type KeyString, KINDS } from '../types.js';
import { checkHost, checkSameOrigin, refuseWrite } from './auth.js';
import { loadDashboardAssets } from './dashboard-assets.js';
import { EventStream } from './event-stream.js';
import { type GateHandler, handleGate } from './gate-route.js';
import { type GitPush, handleGitWebhook } from './git-webhook.js';
import { BodyTooLargeError, headerValue, readBody, sendJson, sendText, sendTooLarge } from './http-util.js';
import type { Metrics } from './metrics.js';
import { readiness } from './readiness.js';
import { maskEvent, maskSnapshot } from './redact.js';
import { buildResourceDetail, type ResourceDetail } from './resource-detail.js';
import { type RequestContext, Router } from './router.js';

export type { GitProvider, GitPush } from './git-webhook.js';
export { signGitHub } from './git-webhook.js';
export type { Metrics } from './metrics.js';
export { createMetrics } from './metrics.js';
export type { ResourceDetail, ResourceDetailResponse } from './resource-detail.js';

export interface ServerOptions {
  readonly listen: { readonly host: string; readonly port: number /* 0 = random */ };
  readonly status: () => StatusSnapshot;
  readonly resourceDetail?: (key: KeyString) => ResourceDetail | undefined;
  readonly events: EventLog;
  readonly metrics: Metrics;
  readonly onSync: (reason: string) => void;
  readonly onGitPush: (push: GitPush) => void;
  /** GitHub webhook secret (HMAC) or GitLab token. Unset: webhooks are accepted unverified. */
  readonly gitWebhookSecret?: string;
  /** Bearer token POST /api/sync (and the gate routes) require when set. */
  readonly apiToken?: string;
  /** POST /api/resources/Service/:name/promote | rollback (progressive deployment gates). */
  readonly onGate?: GateHandler;
  readonly logger: Logger;
  /** Notifies that the status changed, so live updates go out at once instead of on the next poll. */
  readonly subscribeStatus?: (listener: () => void) => () => void;
  /** How often live-update streams compare the status (default 1000 ms). */
  readonly statusPollMs?: number;
  /** Keep-alive comment interval on live-update streams (default 15 s). */
  readonly keepAliveMs?: number;
  /** Largest accepted webhook body (default 1 MiB). */
  readonly maxWebhookBytes?: number;
  /** Concurrent live-update streams (default 100). */
  readonly maxEventClients?: number;
  /**
   * Host names the server answers to besides IP literals and `localhost` (DNS rebinding defence,
   * `--allowed-hosts`). Unset: any name when listening on all interfaces, only localhost and IP
   * literals when on loopback; set: only those names (plus localhost and IP literals) everywhere.
   */
  readonly allowedHosts?: readonly string[];
  /** Folder with the dashboard files (default: next to this module). */
  readonly dashboardDir?: string;
  /** A client must send all its headers within this (slowloris defence; default 10 s). */
  readonly headersTimeoutMs?: number;
  /** A client must send its whole request within this (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open (default KEEP_ALIVE_TIMEOUT_MS). */
  readonly keepAliveTimeoutMs?: number;
}

/**
 * Idle keep-alive connections stay open 65 s: longer than the idle timeout of the load balancers
 * and clients that keep connections for reuse (an ALB's default is 60 s), so the client closes
 * first. With Node's default (5 s) a client reusing a connection as the server closed it got
 * ECONNRESET (an ALB answers 502). The response's `Keep-Alive: timeout=65` tells clients that honour it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080` (a wildcard host is shown as 127.0.0.1). */
  readonly url: string;
  close(): Promise<void>;
}

/** The listen address could not be bound (port in use, no permission, unknown host). */
export class ListenError extends EcsGitopsError {
  override readonly code = 'ListenFailed';
}

const SYNC_BODY_LIMIT = 4 * 1024;
const DEFAULT_WEBHOOK_LIMIT = 1024 * 1024;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const assets = loadDashboardAssets(options.dashboardDir ? [options.dashboardDir] : undefined);
  if (!assets.dir) logger.warn('dashboard files not found; serving the API only');
  if (!options.gitWebhookSecret) {
    logger.info('no git webhook secret configured: POST /hooks/git accepts unsigned pushes');
  }
  let closing: Promise<void> | undefined;
  const stream = new EventStream({
    status: options.status,
    events: options.events,
    ...(options.subscribeStatus ? { subscribeStatus: options.subscribeStatus } : {}),
    pollMs: options.statusPollMs ?? 1000,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    maxClients: options.maxEventClients ?? 100,
    recentEvents: 50,
    logger,
  });
  const router = buildRouter(options, assets, stream);

  // Sockets with the number of requests in flight on them: on close, idle ones (including
  // connections a client opened ahead of time and never used) go at once.
  const sockets = new Map<Socket, number>();
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  const server = createServer(
    {
      requestTimeout,
      headersTimeout,
      // Between requests only keepAliveTimeout applies: headersTimeout and requestTimeout time a
      // request being received (test/server/keep-alive.test.ts), so they stay short.
      keepAliveTimeout: options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS,
      // Node looks for expired requests only this often (default 30 s): without it a slow client
      // kept a connection for up to 40 s instead of 10.
      connectionsCheckingInterval: Math.min(1_000, headersTimeout / 2),
    },
    (req, res) => {
      const socket = req.socket;
      sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
      res.once('close', () => {
        if (sockets.has(socket)) sockets.set(socket, Math.max(0, (sockets.get(socket) ?? 1) - 1));
        if (closing && sockets.get(socket) === 0) socket.destroy();
      });
      const host = checkHost(req, options.listen.host, options.allowedHosts);
      if (!host.ok) {
        logger.warn({ reason: host.reason }, 'request refused');
        sendJson(res, host.status, { error: 'MisdirectedRequest', message: host.reason });
        return;
      }
      void handle(router, req, res, logger);
    },
  );
  server.on('connection', (socket) => {
    sockets.set(socket, 0);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new ListenError(`cannot listen on ${options.listen.host}:${options.listen.port}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once('error', onError);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  const url = baseUrl(server.address() as AddressInfo);
  logger.info({ url }, 'http server listening');

  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        for (const [socket, inFlight] of sockets) if (inFlight === 0) socket.destroy();
        // In-flight requests get a moment to finish; then every socket goes.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}

function baseUrl(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

async function handle(
  router: Router,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
): Promise<void> {
  const started = performance.now();
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    sendJson(res, 400, { error: 'BadRequest', message: 'invalid request target' });
    return;
  }
  const match = router.match(req.method ?? 'GET', url.pathname);
  try {
    if (match.kind === 'not-found') {
      sendJson(res, 404, { error: 'NotFound', message: `no route for ${url.pathname}` });
    } else if (match.kind === 'method-not-allowed') {
      sendJson(
        res,
        405,
        { error: 'MethodNotAllowed', message: `${req.method} not allowed` },
        {
          allow: match.allow.join(', '),
        },
      );
    } else {
      await match.handler({ req, res, url, params: match.params });
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      if (!res.headersSent) sendTooLarge(res, error.limit);
      return;
    }
    logger.error({ err: error, method: req.method, path: url.pathname }, 'request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'Internal', message: 'internal error' });
    else res.destroy();
  } finally {
    logger.debug(
      {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      },
      'http request',
    );
  }
}

function buildRouter(
  options: ServerOptions,
  assets: ReturnType<typeof loadDashboardAssets>,
  stream: EventStream,
): Router {
  const { logger, metrics } = options;
  const router = new Router();

  router.get('/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }));

  router.get('/readyz', ({ res }) => {
    let result: ReturnType<typeof readiness>;
    try {
      result = readiness(options.status());
    } catch (error) {
      result = {
        ready: false,
        failing: {
          type: 'Ready',
          status: 'Unknown',
          reason: 'StatusUnavailable',
          message: errorMessage(error),
        },
      };
    }
    sendJson(res, result.ready ? 200 : 503, result);
  });

  router.get('/metrics', async ({ res }) => {
    // resource_info mirrors exactly what /api/status shows at the moment of the scrape.
    try {
      metrics.setResources(options.status().resources);
    } catch (error) {
      logger.warn({ err: error }, 'status provider failed during scrape');
    }
    sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
  });

  router.get('/api/status', ({ res }) => sendJson(res, 200, maskSnapshot(options.status())));

  const resourceRoute = (res: ServerResponse, params: Readonly<Record<string, string>>): void => {
    const kind = params.kind ?? '';
    if (!(KINDS as readonly string[]).includes(kind)) {
      sendJson(res, 404, {
        error: 'NotFound',
        message: `unknown kind "${kind}" (one of ${KINDS.join(', ')})`,
      });
      return;
    }
    const key = `${kind}/${params.name}` as KeyString;
    const target = params.target;
    const snapshot = options.status();
    // With several targets the same Kind/name may exist in each: the unqualified route must not guess.
    const targets = snapshot.resources
      .filter((r) => r.key === key && r.target !== undefined)
      .map((r) => r.target);
    if (target === undefined && targets.length > 1) {
      sendJson(res, 409, {
        error: 'Ambiguous',
        message: `${key} exists in targets ${targets.join(', ')}: ask /api/targets/<target>/resources/${key}`,
        targets,
      });
      return;
    }
    const detail = buildResourceDetail(key, snapshot, options.events, options.resourceDetail, target);
    if (!detail)
      sendJson(res, 404, {
        error: 'NotFound',
        message: target === undefined ? `no resource ${key}` : `no resource ${key} in target ${target}`,
      });
    else sendJson(res, 200, detail);
  };
  router.get('/api/resources/:kind/:name', ({ res, params }) => resourceRoute(res, params));
  router.get('/api/targets/:target/resources/:kind/:name', ({ res, params }) => resourceRoute(res, params));

  router.get('/api/events', ({ req, res, url }) => {
    if ((headerValue(req, 'accept') ?? '').includes('text/event-stream')) {
      if (!stream.accept(req, res)) {
        sendJson(
          res,
          503,
          { error: 'TooManyClients', message: 'too many live-update clients' },
          {
            'retry-after': '10',
          },
        );
      }
      return;
    }
    // Plain JSON for pollers and scripts: the recent events, optionally of one resource.
    const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit')) || 50));
    const resource = url.searchParams.get('resource') ?? undefined;
    sendJson(res, 200, options.events.recent({ limit, ...(resource ? { resource } : {}) }).map(maskEvent));
  });

  router.post('/api/sync', async (ctx) => handleSync(ctx, options));
  router.post('/api/resources/:kind/:name/:action', async (ctx) => handleGate(ctx, options));
  router.post('/api/targets/:target/resources/:kind/:name/:action', async (ctx) => handleGate(ctx, options));

  router.post('/hooks/git', async ({ req, res }) => {
    // Git hosts send neither Origin nor Sec-Fetch-Site; a browser on another site sends one of them
    // (without a webhook secret, a page could otherwise trigger fetches and passes).
    const origin = checkSameOrigin(req);
    if (!origin.ok) {
      logger.warn({ status: origin.status, reason: origin.reason }, 'git webhook refused');
      sendJson(res, origin.status, { error: 'Forbidden', message: origin.reason });
      return;
    }
    const body = await readBody(req, options.maxWebhookBytes ?? DEFAULT_WEBHOOK_LIMIT);
    const outcome = handleGitWebhook(req.headers, body, options.gitWebhookSecret);
    switch (outcome.kind) {
      case 'rejected':
        logger.warn({ status: outcome.status, reason: outcome.message }, 'git webhook refused');
        sendJson(res, outcome.status, {
          error: outcome.status === 401 ? 'Unauthorized' : 'BadRequest',
          message: outcome.message,
        });
        return;
      case 'ping':
        sendJson(res, 200, { ok: true, event: 'ping' });
        return;
      case 'ignored':
        sendJson(res, 200, { ok: true, ignored: outcome.event || 'unknown event' });
        return;
      case 'push':
        logger.info({ ...outcome.push }, 'git push webhook');
        options.onGitPush(outcome.push);
        sendJson(res, 202, { accepted: true, ref: outcome.push.ref });
        return;
    }
  });

  router.get('/', ({ req, res }) => {
    if (!assets.serve('index.html', req, res)) {
      sendText(
        res,
        503,
        'ecs-gitops: dashboard files are missing from this build; the API is available under /api\n',
      );
    }
  });

  router.get('/assets/:file', ({ req, res, params }) => {
    const file = params.file ?? '';
    if (file === 'index.html' || !assets.serve(file, req, res)) {
      sendJson(res, 404, { error: 'NotFound', message: `no asset ${file}` });
    }
  });

  return router;
}

async function handleSync({ req, res }: RequestContext, options: ServerOptions): Promise<void> {
  const refused = refuseWrite(req, res, options.apiToken);
  if (refused) {
    options.logger.warn({ status: refused.status, reason: refused.reason }, 'sync request refused');
    return;
  }
  const body = (await readBody(req, SYNC_BODY_LIMIT)).toString('utf8').trim();
  let requested: unknown;
  try {
    requested = body === '' ? undefined : (JSON.parse(body) as { reason?: unknown }).reason;
  } catch {
    sendJson(res, 400, { error: 'BadRequest', message: 'body must be empty or JSON like {"reason":"..."}' });
    return;
  }
  // The reason ends up in logs: keep it short and printable.
  const note = typeof requested === 'string' ? requested.replace(/[^\w .:/-]/g, '').slice(0, 60) : '';
  const reason = note ? `api: ${note}` : 'api';
  options.logger.info({ reason }, 'sync requested');
  options.onSync(reason);
  sendJson(res, 202, { accepted: true, reason });
}
