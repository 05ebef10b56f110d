// The EventBridge alert sink puts each alert on a bus through the real SDK, over the emulator's wire.
import { describe, expect, it } from 'vitest';
import { EventBridgeNotifier } from '../../controller/alerts/index.js';
import { AwsCallCounter } from '../../controller/aws/clients.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';
import { captureLogger } from '../helpers/log-capture.js';

const env = useTestEmulator();

const failed: ControllerEvent = {
  type: 'RolloutFailed',
  severity: 'error',
  time: '2025-01-02T03:04:05.000Z',
  instance: 'prod',
  revision: 'e'.repeat(40),
  resource: 'Service/web',
  message: 'Service/web rollout failed: circuit breaker rolled back',
};

function notifier(eventBus: string, counter?: AwsCallCounter) {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  const capture = captureLogger();
  const sink = new EventBridgeNotifier({
    aws: { region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 },
    eventBus,
    logger: capture.logger,
    initialDelayMs: 1,
    ...(counter ? { counter } : {}),
  });
  return { sink, lines: capture.lines };
}

describe('EventBridge alerts', () => {
  it('given an alert, when put on the default bus, then the event has source ecs-gitops, the event name as detail-type and the alert JSON as detail', async () => {
    const counter = new AwsCallCounter();
    const { sink } = notifier('default', counter);
    sink.notify({ id: 'alert-7', event: failed });
    await sink.close();

    // counted with the controller's other AWS calls (ecs_gitops_aws_requests_total{service="events"})
    expect(counter.snapshot()).toEqual({ 'events:PutEvents': 1 });
    expect(sink.stats).toMatchObject({ delivered: 1, failed: 0 });
    const { events } = (await env().admin('GET', '/_emulator/events')) as {
      events: Array<Record<string, unknown>>;
    };
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'ecs-gitops',
      'detail-type': 'RolloutFailed',
      time: '2025-01-02T03:04:05Z',
      region: 'us-east-1',
      eventBusName: 'default',
      detail: {
        id: 'alert-7',
        type: 'RolloutFailed',
        severity: 'error',
        time: '2025-01-02T03:04:05.000Z',
        instance: 'prod',
        revision: 'e'.repeat(40),
        resource: 'Service/web',
        message: 'Service/web rollout failed: circuit breaker rolled back',
      },
    });
  });

  it('given a bus that does not exist, when an alert is put, then the refusal is logged with the AWS error and nothing is recorded', async () => {
    const { sink, lines } = notifier('arn:aws:events:us-east-1:123456789012:event-bus/missing');
    sink.notify({ id: 'alert-8', event: failed });
    await sink.close();

    expect(sink.stats).toMatchObject({ delivered: 0, failed: 1 });
    expect(lines.map((l) => l.msg)).toContain(
      'alert: EventBridge refused the event (InvalidArgument: Event bus arn:aws:events:us-east-1:123456789012:event-bus/missing does not exist.)',
    );
    expect(((await env().admin('GET', '/_emulator/events')) as { events: unknown[] }).events).toEqual([]);
  });

  it('given the emulator throttles PutEvents once, when an alert is put with SDK retries, then it arrives once', async () => {
    await env().fault({ operation: 'events:PutEvents', kind: 'throttle', count: 1 });
    const capture = captureLogger();
    const sink = new EventBridgeNotifier({
      aws: { region: 'us-east-1', endpointUrl: env().url, maxAttempts: 3 },
      eventBus: 'default',
      logger: capture.logger,
    });
    sink.notify({ id: 'alert-9', event: failed });
    await sink.close();
    expect(sink.stats.delivered).toBe(1);
    expect(env().calls()['events:PutEvents']).toBe(2);
  });
});
