// The client-side limiter against ECS-shaped server buckets: a burst larger than a bucket queues
// on our side instead of storming into ThrottlingException.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../controller/apply/executor.js';
import { AwsCallCounter, createAwsClients } from '../../controller/aws/clients.js';
import type { ChangeSetEntry } from '../../controller/plan/model.js';
import { changeSet, entry, startWorld, type TestWorld, taskDefinition } from './support.js';

let world: TestWorld;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

// RegisterTaskDefinition's bucket holds 20 tokens and refills 1 per second.
const FAMILIES = 22;

function registrations(): ChangeSetEntry[] {
  return Array.from({ length: FAMILIES }, (_, i) =>
    entry({
      action: 'create',
      desired: taskDefinition(`app-${i}`, 'public.ecr.aws/nginx/nginx:1.27'),
      taskDefinition: { family: `app-${i}`, register: true },
    }),
  );
}

describe('rate-aware apply', () => {
  it('registers more task definitions than the burst allows with at most one throttle', async () => {
    // given the emulator enforces ECS's token buckets
    await world.fault({ kind: 'rate-limit' });
    let throttled = 0;
    world.clients.counter.onCall((record) => {
      if (record.code === 'ThrottlingException') throttled += 1;
    });
    // when 22 families are registered at once
    const started = performance.now();
    const result = await applyChangeSet(world.clients, changeSet(registrations()), {
      instance: 'test-ctl',
      revision: 'r1',
      concurrency: 22,
    });
    // then all are created, the last two waited for the refill, and ECS throttled at most one call:
    // the client cannot know when the server's bucket started refilling, so on a loaded machine the
    // first refilled token may arrive a moment early (the SDK retries it).
    expect(result.entries.every((e) => e.outcome === 'created')).toBe(true);
    expect(throttled).toBeLessThanOrEqual(1);
    expect(world.emulator.calls()['ecs:RegisterTaskDefinition']).toBe(FAMILIES + throttled);
    expect(world.clients.rateLimiter?.stats()['ecs.taskDefinitionRegister']?.delayed).toBeGreaterThanOrEqual(
      2,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(1500);
  }, 15_000);

  it('without the limiter the same burst is throttled (the baseline)', async () => {
    await world.fault({ kind: 'rate-limit' });
    const counter = new AwsCallCounter();
    const unlimited = createAwsClients(
      { region: 'us-east-1', endpointUrl: world.emulator.url, maxAttempts: 8 },
      counter,
      { rateLimiter: false },
    );
    let throttled = 0;
    counter.onCall((record) => {
      if (record.code === 'ThrottlingException') throttled += 1;
    });
    try {
      await applyChangeSet(unlimited, changeSet(registrations()), {
        instance: 'test-ctl',
        revision: 'r1',
        concurrency: 22,
      });
    } finally {
      unlimited.destroy();
    }
    // 22 at once against a burst of 20: at least the two over the burst are throttled.
    expect(throttled).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
