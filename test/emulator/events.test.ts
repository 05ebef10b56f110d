// EventBridge PutEvents and event buses on the emulator, driven by the aws CLI and the AWS SDK.
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';

const env = useTestEmulator();
const cli = (...args: string[]) => awsCli(env().url, 'eu-west-1', ...args);

function sdk(): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: env().url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

describe.skipIf(!hasAwsCli)('EventBridge on the emulator (aws CLI)', () => {
  it('given entries on the default bus, when put, then each gets an EventId and the admin API shows the events as rules receive them', async () => {
    const out = (await cli(
      'events',
      'put-events',
      '--entries',
      JSON.stringify([
        { Source: 'ecs-gitops', DetailType: 'DriftDetected', Detail: '{"resource":"Service/web"}' },
        { Source: 'ecs-gitops', DetailType: 'SyncFailed', Detail: 'not json' },
        { Source: 'aws.ecs', DetailType: 'x', Detail: '{}' },
        { Source: 'ecs-gitops', Detail: '{}' },
      ]),
    )) as { FailedEntryCount: number; Entries: Array<Record<string, string>> };

    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries.slice(1)).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      {
        ErrorCode: 'NotAuthorizedForSourceException',
        ErrorMessage: 'Not authorized for the source aws.ecs.',
      },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter(s) DetailType must be specified.' },
    ]);
    const { events } = (await env().admin('GET', '/_emulator/events')) as {
      events: Array<Record<string, unknown>>;
    };
    expect(events).toEqual([
      {
        version: '0',
        id: out.Entries[0]?.EventId,
        'detail-type': 'DriftDetected',
        source: 'ecs-gitops',
        account: '123456789012',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        region: 'eu-west-1',
        resources: [],
        detail: { resource: 'Service/web' },
        eventBusName: 'default',
      },
    ]);
  }, 60_000);

  it('given a custom bus, when it does not exist, then the entry fails; once created (aws CLI), events land on it', async () => {
    const client = sdk();
    const entry = {
      Source: 'ecs-gitops',
      DetailType: 'RolloutFailed',
      Detail: '{}',
      EventBusName: 'deploys',
    };
    const before = await client.send(new PutEventsCommand({ Entries: [entry] }));
    expect(before.Entries).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Event bus deploys does not exist.' },
    ]);

    const created = await awsCli(env().url, 'us-east-1', 'events', 'create-event-bus', '--name', 'deploys');
    expect(created).toEqual({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/deploys' });
    await expect(client.send(new CreateEventBusCommand({ Name: 'deploys' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    const described = await client.send(
      new DescribeEventBusCommand({ Name: 'arn:aws:events:us-east-1:123456789012:event-bus/deploys' }),
    );
    expect(described).toMatchObject({ Name: 'deploys' });

    const after = await client.send(new PutEventsCommand({ Entries: [entry] }));
    expect(after.FailedEntryCount).toBe(0);
    const { events } = (await env().admin('GET', '/_emulator/events')) as {
      events: Array<{ eventBusName: string }>;
    };
    expect(events.map((e) => e.eventBusName)).toEqual(['deploys']);
    client.destroy();
  }, 60_000);
});

describe('EventBridge on the emulator (AWS SDK)', () => {
  it('given more than 10 entries, when put, then the whole call fails with ValidationException', async () => {
    const client = sdk();
    const entries = Array.from({ length: 11 }, () => ({
      Source: 'ecs-gitops',
      DetailType: 'x',
      Detail: '{}',
    }));
    await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    client.destroy();
  });
});
