import { afterEach, describe, expect, it } from 'vitest';
import { createAlerts, notifiersFromConfig } from '../../controller/alerts/index.js';
import { resolveConfig } from '../../controller/config.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startReceiver } from './receiver.js';

describe('alerts from config', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given webhook and Slack URLs, when built from config, then log, webhook and Slack notifiers all receive each alert once', async () => {
    const hook = await startReceiver();
    const slack = await startReceiver();
    cleanups.push(hook.close, slack.close);
    const config = resolveConfig(
      { webhookUrl: hook.url, slackWebhookUrl: slack.url },
      { ECS_GITOPS_WEBHOOK_SECRET: 's' },
    );
    const { logger, lines } = captureLogger();
    const notifiers = notifiersFromConfig(config, logger);
    expect(notifiers.map((n) => n.name)).toEqual(['log', 'webhook', 'slack']);
    const alerts = createAlerts({ notifiers, logger });
    const failed: ControllerEvent = {
      type: 'SyncFailed',
      severity: 'error',
      time: new Date().toISOString(),
      instance: 'prod',
      resource: 'Service/web',
      revision: 'e'.repeat(40),
      message: 'UpdateService: AccessDeniedException: not authorized',
    };

    alerts.emit(failed);
    alerts.emit(failed);
    alerts.emit({ ...failed, type: 'SyncSucceeded', severity: 'info', message: 'applied' });
    await alerts.close();

    expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['SyncFailed', 'SyncSucceeded']);
    expect(hook.received[0]!.headers['x-ecs-gitops-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(slack.received).toHaveLength(2);
    const logged = lines.filter((l) => l.alert !== undefined).map((l) => [l.level, l.alert]);
    expect(logged).toEqual([
      [50, 'SyncFailed'],
      [30, 'SyncSucceeded'],
    ]);
  });

  it('given no URLs, when built from config, then only the log notifier exists', () => {
    const { logger } = captureLogger();
    expect(notifiersFromConfig(resolveConfig({}, {}), logger).map((n) => n.name)).toEqual(['log']);
  });
});
