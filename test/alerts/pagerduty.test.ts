import { afterEach, describe, expect, it } from 'vitest';
import {
  createPagerDutyNotifier,
  dedupKey,
  pagerDutyEvent,
  pagerDutyTriggers,
} from '../../controller/alerts/index.js';
import { ConfigError } from '../../controller/errors.js';
import type { ControllerEvent, EventType } from '../../controller/status/model.js';
import type { KeyString } from '../../controller/types.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startPagerDuty } from './fake-apis.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

function event(
  type: EventType,
  resource: KeyString = 'Service/web',
  message = `${resource} ${type}`,
): ControllerEvent {
  const severity = type.endsWith('Failed') || type === 'HealthDegraded' ? 'error' : 'info';
  return {
    type,
    severity,
    time: '2025-01-01T00:00:00.000Z',
    instance: 'prod',
    revision: 'c'.repeat(40),
    resource,
    message,
  };
}

describe('PagerDuty alerts (Events API v2)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given a failed rollout, when it degrades, fails and recovers, then PagerDuty gets one trigger and one resolve with the same dedup_key', async () => {
    const pd = await startPagerDuty();
    cleanups.push(pd.close);
    const { logger } = captureLogger();
    const notifier = createPagerDutyNotifier({
      url: `${pd.url}v2/enqueue`,
      routingKey: ROUTING_KEY,
      logger,
      externalUrl: 'https://gitops.example.com',
    });

    notifier.notify({
      id: '1',
      event: event('HealthDegraded', 'Service/web', 'Service/web is Degraded: rolled back'),
    });
    notifier.notify({ id: '2', event: event('RolloutFailed') });
    await notifier.flush();
    expect(pd.refused).toEqual([]);
    expect(pd.accepted).toHaveLength(1);
    const [triggered] = pd.accepted;
    expect(triggered).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'ecs-gitops/prod/Service/web/health',
      payload: {
        summary: '[prod] HealthDegraded Service/web: Service/web is Degraded: rolled back',
        source: 'ecs-gitops/prod',
        severity: 'critical',
        timestamp: '2025-01-01T00:00:00.000Z',
        component: 'Service/web',
        group: 'Service',
        class: 'HealthDegraded',
        custom_details: {
          message: 'Service/web is Degraded: rolled back',
          alert_id: '1',
          revision: 'c'.repeat(40),
        },
      },
      client: 'ecs-gitops',
      client_url: 'https://gitops.example.com/#/Service/web',
      links: [{ href: 'https://gitops.example.com/#/Service/web', text: 'Service/web in ecs-gitops' }],
    });
    expect([...pd.open.keys()]).toEqual(['ecs-gitops/prod/Service/web/health']);

    notifier.notify({ id: '3', event: event('HealthRecovered') });
    await notifier.flush();
    expect(pd.accepted[1]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'ecs-gitops/prod/Service/web/health',
    });
    expect(pd.open.size).toBe(0);
    expect(pd.resolved).toEqual(['ecs-gitops/prod/Service/web/health']);
  });

  it('given a SyncFailed and then another episode after recovery, when sent, then each episode is its own trigger on the resource sync key', async () => {
    const pd = await startPagerDuty();
    cleanups.push(pd.close);
    const { logger } = captureLogger();
    const notifier = createPagerDutyNotifier({ url: pd.url, routingKey: ROUTING_KEY, logger });

    for (const type of ['SyncFailed', 'SyncSucceeded', 'SyncFailed'] as const) {
      notifier.notify({ id: type, event: event(type, 'TaskDefinition/web') });
    }
    await notifier.flush();

    expect(pd.accepted.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger ecs-gitops/prod/TaskDefinition/web/sync',
      'resolve ecs-gitops/prod/TaskDefinition/web/sync',
      'trigger ecs-gitops/prod/TaskDefinition/web/sync',
    ]);
    expect(pd.accepted[0]!.payload?.severity).toBe('error');
  });

  it('given the default events, when drift or a revision-wide success happens, then PagerDuty is not paged', async () => {
    const pd = await startPagerDuty();
    cleanups.push(pd.close);
    const { logger } = captureLogger();
    const notifier = createPagerDutyNotifier({ url: pd.url, routingKey: ROUTING_KEY, logger });

    notifier.notify({ id: '1', event: event('DriftDetected') });
    notifier.notify({ id: '2', event: event('DriftResolved') });
    const { resource: _, ...revisionWide } = event('SyncSucceeded');
    notifier.notify({ id: '3', event: revisionWide });
    await notifier.flush();

    expect(pd.accepted).toEqual([]);
    expect(notifier.stats.attempts).toBe(0);
  });

  it('given --pagerduty-events DriftDetected, when drift starts and ends, then it triggers with severity warning and resolves', () => {
    const options = { routingKey: ROUTING_KEY, triggers: pagerDutyTriggers(new Set(['DriftDetected'])) };
    expect(pagerDutyEvent({ id: '1', event: event('DriftDetected') }, options)).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'ecs-gitops/prod/Service/web/drift',
      payload: { severity: 'warning' },
    });
    expect(pagerDutyEvent({ id: '2', event: event('DriftResolved') }, options)).toMatchObject({
      event_action: 'resolve',
      dedup_key: 'ecs-gitops/prod/Service/web/drift',
    });
    // health is not armed: its recovery resolves nothing
    expect(pagerDutyEvent({ id: '3', event: event('HealthRecovered') }, options)).toBeUndefined();
  });

  it('given one controller with two targets, when the same resource drifts in both, then each target has its own incident', () => {
    const options = { routingKey: ROUTING_KEY, triggers: pagerDutyTriggers(new Set(['DriftDetected'])) };
    const inTarget = (target: string) => ({ ...event('DriftDetected'), target });
    expect(pagerDutyEvent({ id: '1', event: inTarget('staging') }, options)).toMatchObject({
      dedup_key: 'ecs-gitops/prod/staging/Service/web/drift',
      payload: { source: 'ecs-gitops/prod/staging', summary: expect.stringMatching(/^\[prod\/staging\] /) },
    });
    expect(pagerDutyEvent({ id: '2', event: inTarget('prod-eu') }, options)).toMatchObject({
      dedup_key: 'ecs-gitops/prod/prod-eu/Service/web/drift',
    });
  });

  it('given an event that cannot be resolved, when listed in --pagerduty-events, then it is a config error', () => {
    expect(() => pagerDutyTriggers(new Set(['RevisionRejected']))).toThrow(ConfigError);
    expect(() => pagerDutyTriggers(new Set(['RevisionRejected']))).toThrow(/RevisionRejected cannot trigger/);
  });

  it('given a very long resource name, when keyed, then the dedup_key stays within 255 characters and unique', () => {
    const a = dedupKey('prod', `Service/${'a'.repeat(300)}`, 'health');
    const b = dedupKey('prod', `Service/${'a'.repeat(299)}b`, 'health');
    expect(a.length).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
  });

  it('given PagerDuty answers 429, when an alert is sent, then it is retried until accepted', async () => {
    const pd = await startPagerDuty();
    cleanups.push(pd.close);
    pd.script = [429, 500];
    const { logger } = captureLogger();
    const notifier = createPagerDutyNotifier({
      url: pd.url,
      routingKey: ROUTING_KEY,
      logger,
      initialDelayMs: 1,
    });

    notifier.notify({ id: '1', event: event('SyncFailed') });
    await notifier.flush();

    expect(pd.accepted).toHaveLength(1);
    expect(notifier.stats).toMatchObject({ delivered: 1, attempts: 3 });
  });

  it('given an invalid routing key, when PagerDuty refuses the event (400), then it is not retried and the error is logged', async () => {
    const pd = await startPagerDuty();
    cleanups.push(pd.close);
    const { logger, lines } = captureLogger();
    const notifier = createPagerDutyNotifier({ url: pd.url, routingKey: 'short', logger, initialDelayMs: 1 });

    notifier.notify({ id: '1', event: event('SyncFailed') });
    await notifier.flush();

    expect(pd.refused[0]?.errors).toEqual(["'routing_key' is missing or not 32 characters"]);
    expect(notifier.stats).toMatchObject({ failed: 1, attempts: 1 });
    expect(lines.some((l) => String(l.msg).includes('pagerduty refused the alert (HTTP 400)'))).toBe(true);
  });
});
