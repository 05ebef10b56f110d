import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsNotifier, teamsMessage } from '../../controller/alerts/index.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startTeamsWorkflow } from './fake-apis.js';

const drift: ControllerEvent = {
  type: 'DriftDetected',
  severity: 'warning',
  time: '2025-01-01T00:00:00.000Z',
  instance: 'prod',
  revision: 'a'.repeat(40),
  resource: 'Service/web',
  message: 'Service/web drifted: spec.desiredCount (Git: 2, live: 5)',
  fields: [
    { path: 'spec.desiredCount', op: 'change', desired: 2, live: 5 },
    { path: 'spec.secret', op: 'change', desired: '***', live: '***', sensitive: true },
  ],
};

describe('Microsoft Teams alerts (Workflows webhook, Adaptive Card)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given a drift alert and --external-url, when posted to a Teams workflow, then it accepts one Adaptive Card with facts, fields and a link to the resource', async () => {
    const teams = await startTeamsWorkflow();
    cleanups.push(teams.close);
    const { logger, lines } = captureLogger();
    const notifier = createTeamsNotifier({
      url: teams.url,
      logger,
      externalUrl: 'https://gitops.example.com/',
    });

    notifier.notify({ id: 'alert-1', event: drift });
    await notifier.flush();

    expect(teams.refused).toEqual([]);
    expect(teams.accepted).toHaveLength(1);
    const [post] = teams.accepted;
    expect(post!.card.version).toBe('1.5');
    expect(post!.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'DriftDetected Service/web',
      color: 'Warning',
    });
    expect(post!.body[1]).toMatchObject({ text: drift.message });
    expect(post!.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Instance', value: 'prod' },
        { title: 'Severity', value: 'warning' },
        { title: 'Resource', value: 'Service/web' },
        { title: 'Revision', value: 'a'.repeat(12) },
        { title: 'Time', value: '2025-01-01T00:00:00.000Z' },
      ],
    });
    expect(post!.body.slice(3).map((b) => b.text)).toEqual([
      'Fields',
      'spec.desiredCount: desired 2, live 5',
      'spec.secret: desired ***, live ***',
    ]);
    expect(post!.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in ecs-gitops',
        url: 'https://gitops.example.com/#/Service/web',
      },
    ]);
    expect(lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it('given a rejected revision with many problems, when built, then the card lists 15 and counts the rest, and has no link without --external-url', () => {
    const problems = Array.from({ length: 40 }, (_, i) => `web.yaml:${i + 1}:1: Service/web: bad`);
    const message = teamsMessage({
      id: 'x',
      event: {
        type: 'RevisionRejected',
        severity: 'error',
        time: '2025-01-01T00:00:00.000Z',
        instance: 'prod',
        revision: 'b'.repeat(40),
        message: 'revision rejected',
        problems,
      },
    });
    const card = message.attachments[0]!.content as { body: Array<{ text?: string }>; actions?: unknown };
    const texts = card.body.map((b) => b.text);
    expect(texts).toContain('Problems');
    expect(texts).toContain('… and 25 more');
    expect(texts.filter((t) => t?.startsWith('web.yaml'))).toHaveLength(15);
    expect(card.actions).toBeUndefined();
  });

  it('given a workflow that answers 429 then accepts, when an alert is sent, then it is retried and delivered once', async () => {
    const teams = await startTeamsWorkflow();
    cleanups.push(teams.close);
    teams.script = [429];
    const { logger } = captureLogger();
    const notifier = createTeamsNotifier({ url: teams.url, logger, initialDelayMs: 1 });

    notifier.notify({ id: 'alert-2', event: drift });
    await notifier.flush();

    expect(teams.accepted).toHaveLength(1);
    expect(notifier.stats).toMatchObject({ delivered: 1, attempts: 2 });
  });
});
