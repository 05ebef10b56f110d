import { afterEach, describe, expect, it } from 'vitest';
import { createSlackNotifier, slackMessage } from '../../controller/alerts/index.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startReceiver } from './receiver.js';

const rejected: ControllerEvent = {
  type: 'RevisionRejected',
  severity: 'error',
  time: '2025-01-01T00:00:00.000Z',
  instance: 'prod',
  revision: 'd'.repeat(40),
  message: '2 problems in the manifests; the last good revision stays applied',
  problems: [
    'web.yaml:14:7: Service/web: spec.desiredCount: must be integer >= 0',
    'db.yaml:3:1: <unexpected>',
  ],
};

describe('slack alerts', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given an alert, when posted to a Slack incoming webhook, then the body is text plus a coloured attachment with blocks', async () => {
    const server = await startReceiver();
    cleanups.push(server.close);
    const { logger } = captureLogger();
    const notifier = createSlackNotifier({ url: server.url, logger });

    notifier.notify({ id: 'id-1', event: rejected });
    await notifier.flush();

    expect(server.received).toHaveLength(1);
    const body = JSON.parse(server.received[0]!.body);
    expect(body.text).toBe(
      `:rotating_light: [prod] RevisionRejected revision ${'d'.repeat(12)}: 2 problems in the manifests; the last good revision stays applied`,
    );
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.color).toBe('#e01e5a');
    expect(attachment.blocks.map((b: { type: string }) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(attachment.blocks[0].text).toEqual({ type: 'plain_text', text: 'RevisionRejected' });
    expect(attachment.blocks[2].fields).toEqual([
      { type: 'mrkdwn', text: '*Instance*\nprod' },
      { type: 'mrkdwn', text: '*Severity*\nerror' },
      { type: 'mrkdwn', text: `*Revision*\n${'d'.repeat(12)}` },
    ]);
    expect(attachment.blocks[3].text.text).toBe(
      '*Problems*\n```web.yaml:14:7: Service/web: spec.desiredCount: must be integer &gt;= 0\ndb.yaml:3:1: &lt;unexpected&gt;```',
    );
  });

  it('given drifted fields with a secret, when formatted, then values are shown desired vs live and the secret is masked', () => {
    const message = slackMessage({
      id: 'x',
      event: {
        type: 'DriftDetected',
        severity: 'warning',
        time: '2025-01-01T00:00:00.000Z',
        instance: 'prod',
        resource: 'Service/web',
        message: 'drift',
        fields: [
          { path: 'desiredCount', op: 'change', desired: 2, live: 5 },
          { path: 'environment[TOKEN]', op: 'change', desired: '***', live: '***', sensitive: true },
        ],
      },
    });
    const fields = message.attachments[0]!.blocks.find((b) =>
      (b.text as { text?: string } | undefined)?.text?.startsWith('*Fields*'),
    );
    expect((fields!.text as { text: string }).text).toBe(
      '*Fields*\n```desiredCount: desired 2, live 5\nenvironment[TOKEN]: desired ***, live ***```',
    );
    expect(message.attachments[0]!.color).toBe('#ecb22e');
  });
});
