// A pipelined apply: each service is created as soon as its own task definition is registered, not
// after every registration (RegisterTaskDefinition's quota is what bounds a big apply).
import { describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../controller/apply/executor.js';
import { AwsCallCounter, createAwsClients } from '../../controller/aws/clients.js';
import { RateLimiter } from '../../controller/aws/rate-limiter.js';
import { diffResources } from '../../controller/diff/index.js';
import { readLive } from '../../controller/live/index.js';
import { planChanges } from '../../controller/plan/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { serviceFleet } from '../helpers/service-fleet.js';
import { desiredFrom } from '../live/support.js';

const env = useTestEmulator();
const SERVICES = 30;

describe('pipelined apply', () => {
  it('creates services while task definitions are still being registered', async () => {
    // given an empty account and a RegisterTaskDefinition quota of 1 burst, 10/s (so registering
    // all 30 task definitions takes about 3 s)
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    const rateLimiter = new RateLimiter({
      buckets: { 'ecs.taskDefinitionRegister': { capacity: 1, refillPerSecond: 10 } },
      headroom: 1,
    });
    const clients = createAwsClients(
      { region: 'us-east-1', endpointUrl: env().url, maxAttempts: 3 },
      new AwsCallCounter(),
      { rateLimiter },
    );
    const order: string[] = [];
    clients.counter.onCall((record) => order.push(record.operation));
    try {
      const desired = desiredFrom(serviceFleet(SERVICES), 'r1');
      const live = await readLive(clients, desired, { instance: 'ecs-gitops' });
      const changeSet = planChanges(diffResources(desired, live, { instance: 'ecs-gitops' }), {
        revision: 'r1',
        prune: false,
        pruneLimit: 1,
        pruneConfirm: false,
      });

      // when the plan is applied
      const result = await applyChangeSet(clients, changeSet, {
        instance: 'ecs-gitops',
        revision: 'r1',
        live,
      });

      // then everything is created, and the first service was created after only a few
      // registrations (waves by kind would register all 30 first)
      expect(result.entries.every((e) => e.outcome === 'created')).toBe(true);
      const firstService = order.indexOf('CreateService');
      const registeredBefore = order.slice(0, firstService).filter((op) => op === 'RegisterTaskDefinition');
      expect(firstService).toBeGreaterThan(0);
      expect(registeredBefore.length).toBeLessThan(8);
      expect(order.filter((op) => op === 'RegisterTaskDefinition')).toHaveLength(SERVICES);
      expect(order.filter((op) => op === 'CreateService')).toHaveLength(SERVICES);
    } finally {
      clients.destroy();
    }
  });
});
