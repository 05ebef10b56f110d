// API calls of a diff of N in-sync services in one cluster, counted by the emulator and by the
// controller's own AwsCallCounter (they must agree).
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { PER_TARGET_LIMIT } from '../../controller/live/autoscaling-reads.js';
import { readLive, TaskDefinitionCache } from '../../controller/live/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { fleetManifests, seedFleet } from './fleet.js';
import { controllerClients, desiredFrom } from './support.js';

const env = useTestEmulator();

describe('API calls of a diff', () => {
  it.each([25, 60])('reads %i in-sync services with the minimum of batched calls (cache warm)', async (n) => {
    // given N in-sync services with a ScalingPolicy each, and a warm task definition cache
    await seedFleet(env(), n);
    const desired = desiredFrom(fleetManifests(n));
    const clients = controllerClients(env().url);
    const cache = new TaskDefinitionCache();
    try {
      const cold = await readLive(clients, desired, { instance: 'ecs-gitops', cache });
      expect(
        diffResources(desired, cold, { instance: 'ecs-gitops' }).filter((d) => d.action !== 'noop'),
      ).toEqual([]);
      env().resetCalls();
      clients.counter.reset();

      // when the next pass reads live state
      const warm = await readLive(clients, desired, { instance: 'ecs-gitops', cache });

      // then: ⌈N/10⌉ DescribeServices, 1 DescribeClusters, 0 DescribeTaskDefinition, ⌈N/50⌉ DescribeScalableTargets,
      // and one paginated namespace listing each for policies and scheduled actions (many targets)
      const pages = n > PER_TARGET_LIMIT ? Math.ceil(n / 50) : n;
      const expected = {
        'application-autoscaling:DescribeScalableTargets': Math.ceil(n / 50),
        'application-autoscaling:DescribeScalingPolicies': pages,
        'application-autoscaling:DescribeScheduledActions': Math.max(1, n > PER_TARGET_LIMIT ? 1 : n),
        'ecs:DescribeClusters': 1,
        'ecs:DescribeServices': Math.ceil(n / 10),
      };
      expect(clients.counter.snapshot()).toEqual(expected);
      expect(env().calls()).toEqual(expected);
      expect(diffResources(desired, warm, { instance: 'ecs-gitops' }).every((d) => d.action === 'noop')).toBe(
        true,
      );
    } finally {
      clients.destroy();
    }
  });

  it('describes each running revision once when cold, and never the latest revision when services run the desired content', async () => {
    // given 12 in-sync services over 5 families and an empty cache
    await seedFleet(env(), 12);
    const desired = desiredFrom(fleetManifests(12));
    const clients = controllerClients(env().url);
    try {
      // when read cold
      await readLive(clients, desired, { instance: 'ecs-gitops' });

      // then each of the 5 running revisions is described exactly once
      expect(clients.counter.snapshot()['ecs:DescribeTaskDefinition']).toBe(5);
    } finally {
      clients.destroy();
    }
  });
});
