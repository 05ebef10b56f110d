import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../controller/log.js';
import { createMetrics, ListenError, startServer } from '../../controller/server/index.js';
import { MASK } from '../../controller/server/redact.js';
import { EventLog } from '../../controller/status/event-log.js';
import type { StatusSnapshot } from '../../controller/status/model.js';
import {
  condition,
  event,
  fleet,
  type Harness,
  resource,
  SHA1,
  SHA2,
  snapshot,
  startHarness,
  webService,
} from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('probes', () => {
  it('healthz answers 200 whatever the status says', async () => {
    // given a controller that is not ready and whose source is broken
    harness = await startHarness();
    harness.current = snapshot(fleet(), {
      ready: false,
      source: {
        ...snapshot().overall.source,
        condition: condition('Source', 'False', 'FetchFailed', 'boom'),
      },
    });
    // when the liveness probe asks
    const response = await fetch(`${harness.url}/healthz`);
    // then the process is alive
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    // and HEAD works for probes that use it
    const head = await fetch(`${harness.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('readyz follows first pass and Source condition through every transition', async () => {
    harness = await startHarness();
    const base = snapshot();
    const ask = async () => {
      const response = await fetch(`${harness!.url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    // given the source fetched but the first pass still running
    harness.current = { ...base, overall: { ...base.overall, ready: false } };
    let r = await ask();
    expect(r.status).toBe(503);
    expect(r.body.failing).toMatchObject({ type: 'Ready', reason: 'FirstPassPending' });

    // when the first pass finishes
    harness.current = base;
    r = await ask();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, revision: SHA1 });

    // when the remote becomes unreachable
    const broken = condition('Source', 'False', 'FetchFailed', 'git ls-remote: could not resolve host');
    harness.current = {
      ...base,
      overall: { ...base.overall, source: { ...base.overall.source, condition: broken } },
    };
    r = await ask();
    expect(r.status).toBe(503);
    expect(r.body.failing).toEqual({
      type: 'Source',
      status: 'False',
      reason: 'FetchFailed',
      message: 'git ls-remote: could not resolve host',
    });

    // when it returns
    harness.current = base;
    expect((await ask()).status).toBe(200);
  });

  it('readyz answers 503 when the status provider throws', async () => {
    harness = await startHarness({
      status: () => {
        throw new Error('store not initialised');
      },
    });
    const response = await fetch(`${harness.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ failing: { message: 'store not initialised' } });
  });
});

describe('status API', () => {
  it('serves the snapshot as JSON with secrets masked', async () => {
    // given a drifted service whose diff includes a secret-looking value
    harness = await startHarness();
    const drifted = webService({
      sync: 'Drifted',
      diff: [
        { path: 'desiredCount', op: 'change', desired: 2, live: 5 },
        {
          path: 'containerDefinitions[web].environment[DB_PASSWORD]',
          op: 'change',
          desired: 'hunter2',
          live: 'x',
        },
        {
          path: 'containerDefinitions[web].environment[OPAQUE]',
          op: 'change',
          desired: 's3',
          live: 's4',
          sensitive: true,
        },
      ],
    });
    harness.current = snapshot([drifted]);
    // when a client reads /api/status
    const response = await fetch(`${harness.url}/api/status`);
    const body = (await response.json()) as StatusSnapshot;
    // then it is the snapshot, with masked secrets and no caching
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.overall.source.revision).toBe(SHA1);
    const diff = body.resources[0]!.diff;
    expect(diff[0]).toEqual({ path: 'desiredCount', op: 'change', desired: 2, live: 5 });
    expect(diff[1]).toMatchObject({ desired: MASK, live: MASK, sensitive: true });
    expect(diff[2]).toMatchObject({ desired: MASK, live: MASK });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('serves one resource with its events, deployments and diff', async () => {
    // given a service with a failed rollout and events for it and for another resource
    harness = await startHarness();
    const web = webService({
      health: 'Degraded',
      diff: [
        { path: 'containerDefinitions[web].image', op: 'change', desired: 'nginx:1.28', live: 'nginx:1.27' },
      ],
      stoppedReasons: ['Essential container in task exited'],
    });
    harness.current = snapshot([web, resource('Cluster', 'prod')]);
    harness.events.publish(event({ type: 'RolloutFailed', severity: 'error', message: 'rollout failed' }));
    harness.events.publish(event({ resource: 'Cluster/prod', message: 'cluster applied' }));
    harness.events.publish(event({ type: 'RevisionRejected', resource: undefined, message: 'bad yaml' }));
    // when the resource route is asked for Service/web
    const response = await fetch(`${harness.url}/api/resources/Service/web`);
    const body = (await response.json()) as Record<string, unknown>;
    // then it has only that resource's events, its deployments and its diff
    expect(response.status).toBe(200);
    expect(body.resource).toMatchObject({ key: 'Service/web', health: 'Degraded' });
    expect(body.events).toEqual([
      expect.objectContaining({ type: 'RolloutFailed', resource: 'Service/web' }),
    ]);
    expect(body.deployments).toEqual([
      expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
    expect(body.diff).toEqual([expect.objectContaining({ path: 'containerDefinitions[web].image' })]);
    expect(body.stoppedReasons).toEqual(['Essential container in task exited']);
  });

  it('prefers the resourceDetail provider and still masks its secrets', async () => {
    harness = await startHarness({
      resourceDetail: (key) =>
        key === 'Service/api'
          ? {
              resource: resource('Service', 'api', {
                diff: [{ path: 'environment[API_TOKEN]', op: 'add', desired: 'tok-123' }],
              }),
              events: [event({ resource: 'Service/api', message: 'from provider' })],
            }
          : undefined,
    });
    const body = (await (await fetch(`${harness.url}/api/resources/Service/api`)).json()) as {
      diff: { desired: unknown }[];
      events: { message: string }[];
    };
    expect(body.diff[0]!.desired).toBe(MASK);
    expect(body.events.map((e) => e.message)).toEqual(['from provider']);
  });

  it('answers 404 for unknown kinds and resources, 405 for wrong methods', async () => {
    harness = await startHarness();
    const unknownKind = await fetch(`${harness.url}/api/resources/Pod/web`);
    expect(unknownKind.status).toBe(404);
    expect(await unknownKind.json()).toMatchObject({
      message: expect.stringContaining('unknown kind "Pod"'),
    });
    expect((await fetch(`${harness.url}/api/resources/Service/nope`)).status).toBe(404);
    expect((await fetch(`${harness.url}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${harness.url}/api/status`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    const getSync = await fetch(`${harness.url}/api/sync`);
    expect(getSync.status).toBe(405);
    expect(harness.syncs).toEqual([]);
  });

  it('serves recent events as JSON to non-streaming clients', async () => {
    harness = await startHarness();
    harness.events.publish(event({ message: 'one' }));
    harness.events.publish(event({ resource: 'Cluster/prod', message: 'two' }));
    const all = (await (await fetch(`${harness.url}/api/events?limit=10`)).json()) as { message: string }[];
    expect(all.map((e) => e.message)).toEqual(['one', 'two']);
    const one = (await (await fetch(`${harness.url}/api/events?resource=Cluster/prod`)).json()) as {
      message: string;
    }[];
    expect(one.map((e) => e.message)).toEqual(['two']);
  });

  it('revision changes are visible at once', async () => {
    harness = await startHarness();
    harness.current = snapshot(fleet(), { lastAppliedRevision: SHA2 });
    const body = (await (await fetch(`${harness.url}/api/status`)).json()) as StatusSnapshot;
    expect(body.overall.lastAppliedRevision).toBe(SHA2);
  });
});

describe('dashboard assets', () => {
  it('serves the page with a strict CSP and its assets with ETags', async () => {
    harness = await startHarness();
    // when the browser loads /
    const page = await fetch(`${harness.url}/`);
    const html = await page.text();
    // then it is the dashboard, locked down to its own origin
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('data-testid="resources"');
    expect(html).toContain('src="assets/app.js"');
    expect(html).toContain('href="assets/style.css"');
    for (const asset of ['app.js', 'views.js', 'dom.js', 'style.css', 'favicon.svg']) {
      const response = await fetch(`${harness.url}/assets/${asset}`);
      expect(response.status, asset).toBe(200);
      const etag = response.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      // and a revalidation costs a 304
      const again = await fetch(`${harness.url}/assets/${asset}`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    }
    expect((await fetch(`${harness.url}/assets/app.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it('serves nothing outside the dashboard folder', async () => {
    harness = await startHarness();
    for (const path of [
      '/assets/..%2F..%2Findex.ts',
      '/assets/%2e%2e%2fmetrics.ts',
      '/assets/nope.js',
      '/assets/../index.ts',
    ]) {
      const response = await fetch(`${harness.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('startServer');
    }
  });
});

describe('lifecycle', () => {
  it('reports a port in use as a ListenError', async () => {
    harness = await startHarness();
    const port = Number(new URL(harness.url).port);
    const error = await startServer({
      listen: { host: '127.0.0.1', port },
      status: () => snapshot(),
      events: new EventLog(),
      metrics: createMetrics({ defaultMetrics: false }),
      onSync: () => undefined,
      onGitPush: () => undefined,
      logger: silentLogger(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('closes promptly once requests are done, and refuses new connections', async () => {
    harness = await startHarness();
    const { url } = harness;
    // keep-alive connections from earlier requests must not hold the shutdown
    await (await fetch(`${url}/api/status`)).json();
    await (await fetch(`${url}/healthz`)).json();
    // with timers frozen, close resolves only if it needs no timer (the forced-close fallback)
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    try {
      await harness.close();
    } finally {
      vi.useRealTimers();
    }
    harness = undefined;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
