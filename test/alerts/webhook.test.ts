import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAlerts,
  createWebhookNotifier,
  headline,
  slackMessage,
  teamsMessage,
  webhookPayload,
} from '../../controller/alerts/index.js';
import type { Clock } from '../../controller/clock.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startReceiver } from './receiver.js';

const FIXED_TIME = '2026-03-01T12:00:00.000Z';
const FIXED_CLOCK: Clock = { now: () => new Date(FIXED_TIME), monotonicMs: () => 0 };

const SECRET = 'webhook-secret';

function verify(body: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex'));
  const given = Buffer.from(header.slice('sha256='.length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const drift: ControllerEvent = {
  type: 'DriftDetected',
  severity: 'warning',
  time: '2025-01-01T00:00:00.000Z',
  instance: 'prod',
  revision: 'c'.repeat(40),
  resource: 'Service/web',
  message: 'desiredCount changed outside Git',
  fields: [
    { path: 'desiredCount', op: 'change', desired: 2, live: 5 },
    {
      path: 'containerDefinitions[web].environment[DB_PASSWORD]',
      op: 'change',
      desired: 'hunter2',
      live: 'x',
      sensitive: true,
    },
  ],
};

describe('webhook alerts', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function receiver(script: number[] = []) {
    const r = await startReceiver(script);
    cleanups.push(r.close);
    return r;
  }

  it('given drift reported on three passes, when alerts are emitted, then one signed alert arrives, then its resolution', async () => {
    const server = await receiver();
    const { logger } = captureLogger();
    const alerts = createAlerts({
      notifiers: [createWebhookNotifier({ url: server.url, secret: SECRET, logger, clock: FIXED_CLOCK })],
      logger,
    });

    for (let pass = 0; pass < 3; pass += 1) alerts.emit(drift);
    alerts.emit({
      ...drift,
      type: 'DriftResolved',
      severity: 'info',
      message: 'live matches Git again',
      fields: [],
    });
    await alerts.flush();

    expect(server.received).toHaveLength(2);
    const [first, second] = server.received;
    expect(verify(first!.body, first!.headers['x-ecs-gitops-signature'])).toBe(true);
    expect(verify(second!.body, second!.headers['x-ecs-gitops-signature'])).toBe(true);
    expect(verify(`${first!.body} `, first!.headers['x-ecs-gitops-signature'])).toBe(false);
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.headers['x-ecs-gitops-event']).toBe('DriftDetected');
    // the signed timestamp is the controller's clock, in seconds
    expect(first!.headers['x-ecs-gitops-timestamp']).toBe(String(Date.parse(FIXED_TIME) / 1000));
    const payload = JSON.parse(first!.body);
    expect(payload).toMatchObject({
      type: 'DriftDetected',
      severity: 'warning',
      instance: 'prod',
      resource: 'Service/web',
      revision: 'c'.repeat(40),
      message: 'desiredCount changed outside Git',
    });
    expect(payload.id).toBe(first!.headers['x-ecs-gitops-delivery']);
    expect(payload.fields).toEqual([
      { path: 'desiredCount', op: 'change', desired: 2, live: 5 },
      {
        path: 'containerDefinitions[web].environment[DB_PASSWORD]',
        op: 'change',
        desired: '***',
        live: '***',
        sensitive: true,
      },
    ]);
    expect(first!.body).not.toContain('hunter2');
    expect(JSON.parse(second!.body).type).toBe('DriftResolved');
  });

  it('given a receiver failing twice with 503, when an alert is sent, then it is retried with backoff under the same delivery id', async () => {
    const server = await receiver([503, 503]);
    const { logger, lines } = captureLogger();
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, logger, initialDelayMs: 40 });

    notifier.notify({ id: 'delivery-1', event: drift });
    await notifier.flush();

    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers['x-ecs-gitops-delivery']))).toEqual(
      new Set(['delivery-1']),
    );
    expect(server.received.every((r) => verify(r.body, r.headers['x-ecs-gitops-signature']))).toBe(true);
    const gaps = [
      server.received[1]!.at - server.received[0]!.at,
      server.received[2]!.at - server.received[1]!.at,
    ];
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(notifier.stats).toMatchObject({ delivered: 1, failed: 0, attempts: 3 });
    expect(lines.filter((l) => String(l.msg).includes('retrying'))).toHaveLength(2);
  });

  it('given a receiver answering 400, when an alert is sent, then it is not retried', async () => {
    const server = await receiver([400]);
    const { logger, lines } = captureLogger();
    const notifier = createWebhookNotifier({ url: server.url, logger, initialDelayMs: 10 });

    notifier.notify({ id: 'x', event: drift });
    await notifier.flush();

    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers['x-ecs-gitops-signature']).toBeUndefined();
    expect(notifier.stats.failed).toBe(1);
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('HTTP 400'))).toBe(true);
  });

  it('given a receiver that is down, when more alerts arrive than the queue holds, then the oldest are dropped with a warning', async () => {
    const server = await receiver();
    const url = server.url;
    await server.close();
    const { logger, lines } = captureLogger();
    const notifier = createWebhookNotifier({ url, logger, maxQueue: 2, maxAttempts: 2, initialDelayMs: 20 });

    for (let i = 0; i < 6; i += 1)
      notifier.notify({ id: `a${i}`, event: { ...drift, message: `alert ${i}` } });
    await notifier.flush();

    // a0 is in flight; a1..a5 compete for 2 places: a1, a2, a3 are dropped.
    expect(notifier.stats).toMatchObject({ dropped: 3, failed: 3, delivered: 0 });
    const dropped = lines.filter((l) => String(l.msg).includes('queue full')).map((l) => l.id);
    expect(dropped).toEqual(['a1', 'a2', 'a3']);
  });
});

describe('alerts from one target of several', () => {
  it('given an event from target prod-eu, when formatted for every sink, then each names the target', () => {
    const alert = { id: '7', event: { ...drift, target: 'prod-eu' } };
    expect(webhookPayload(alert)).toMatchObject({ instance: drift.instance, target: 'prod-eu' });
    expect(headline(alert.event)).toMatch(new RegExp(`^\\[${drift.instance}/prod-eu\\] DriftDetected `));
    expect(JSON.stringify(slackMessage(alert))).toContain('*Target*');
    expect(JSON.stringify(teamsMessage(alert))).toContain('"title":"Target","value":"prod-eu"');
    // without targets nothing changes
    expect(webhookPayload({ id: '8', event: drift })).not.toHaveProperty('target');
  });
});
