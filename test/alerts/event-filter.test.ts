import { afterEach, describe, expect, it } from 'vitest';
import { notifiersFromConfig, parseEventList } from '../../controller/alerts/index.js';
import { resolveConfig } from '../../controller/config.js';
import { ConfigError } from '../../controller/errors.js';
import type { ControllerEvent, EventType } from '../../controller/status/model.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startPagerDuty, startTeamsWorkflow } from './fake-apis.js';
import { startReceiver } from './receiver.js';

function event(type: EventType): ControllerEvent {
  return {
    type,
    severity: 'error',
    time: '2025-01-01T00:00:00.000Z',
    instance: 'prod',
    resource: 'Service/web',
    message: `Service/web ${type}`,
  };
}

describe('per-sink alert event filters', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given an unknown event name, when parsed, then the error names it and lists the valid events', () => {
    expect(() => parseEventList('RolloutFailed, DriftDetectd', '--alert-events')).toThrow(ConfigError);
    expect(() => parseEventList('RolloutFailed, DriftDetectd', '--alert-events')).toThrow(
      /--alert-events: unknown event "DriftDetectd" \(events: SyncSucceeded, SyncFailed, DriftDetected/,
    );
    expect(() => resolveConfig({ slackEvents: ' , ' })).toThrow('--slack-events lists no event');
    expect(() => resolveConfig({ externalUrl: 'gitops.example.com' })).toThrow(
      'invalid --external-url "gitops.example.com" (use an http:// or https:// URL)',
    );
  });

  it('given --alert-events for all sinks and --slack-events and --pagerduty-events of their own, when alerts flow, then each sink gets only its events and the log gets every one', async () => {
    const webhook = await startReceiver();
    const slack = await startReceiver();
    const teams = await startTeamsWorkflow();
    const pagerduty = await startPagerDuty();
    cleanups.push(webhook.close, slack.close, teams.close, pagerduty.close);
    const config = resolveConfig(
      {
        webhookUrl: webhook.url,
        slackWebhookUrl: slack.url,
        teamsWebhookUrl: teams.url,
        pagerdutyUrl: pagerduty.url,
        alertEvents: 'DriftDetected,HealthDegraded',
        slackEvents: 'RolloutFailed',
      },
      { ECS_GITOPS_PAGERDUTY_ROUTING_KEY: 'R0UT1NGKEY0123456789abcdefABCDEF' },
    );
    const { logger, lines } = captureLogger();
    const notifiers = notifiersFromConfig(config, logger);

    for (const [i, type] of (
      ['DriftDetected', 'RolloutFailed', 'HealthDegraded', 'SyncFailed'] as const
    ).entries()) {
      for (const notifier of notifiers) notifier.notify({ id: String(i), event: event(type) });
    }
    await Promise.all(notifiers.map((n) => n.flush()));

    const types = (bodies: string[]) => bodies.map((b) => (JSON.parse(b) as { type: string }).type);
    expect(types(webhook.received.map((r) => r.body))).toEqual(['DriftDetected', 'HealthDegraded']);
    expect(slack.received.map((r) => r.body).map((b) => JSON.parse(b).text)).toEqual([
      ':rotating_light: [prod] RolloutFailed Service/web: Service/web RolloutFailed',
    ]);
    expect(teams.accepted.map((p) => p.body[0]?.text)).toEqual([
      'DriftDetected Service/web',
      'HealthDegraded Service/web',
    ]);
    // PagerDuty takes the trigger events of the all-sinks list (DriftDetected, HealthDegraded)
    expect(pagerduty.accepted.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger ecs-gitops/prod/Service/web/drift',
      'trigger ecs-gitops/prod/Service/web/health',
    ]);
    expect(lines.filter((l) => typeof l.alert === 'string').map((l) => l.alert)).toEqual([
      'DriftDetected',
      'RolloutFailed',
      'HealthDegraded',
      'SyncFailed',
    ]);
  });
});
