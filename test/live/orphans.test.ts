// Orphan discovery (prune and status): owned resources that left Git are found, unowned ones never.
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { readLive } from '../../controller/live/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { fleetManifests, seedFleet } from './fleet.js';
import { controllerClients, desiredFrom } from './support.js';

const env = useTestEmulator();

describe('orphan discovery', () => {
  it('finds an owned service (and its scaling) removed from Git, never an unowned one', async () => {
    // given three owned services and one created by hand in the same cluster
    await seedFleet(env(), 3);
    await env().ecs.send(
      new CreateServiceCommand({
        cluster: 'fleet',
        serviceName: 'manual',
        taskDefinition: 'app-0',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1'] } },
      }),
    );
    // and manifests where svc-0002 (Service and ScalingPolicy) was deleted
    const text = fleetManifests(3)['fleet.yaml'] ?? '';
    const kept = text
      .split('---\n')
      .filter((doc) => !doc.includes('svc-0002'))
      .join('---\n');
    const desired = desiredFrom({ 'fleet.yaml': kept });
    const clients = controllerClients(env().url);
    try {
      // when live state is read with discovery
      const live = await readLive(clients, desired, { instance: 'ecs-gitops', discoverOrphans: true });

      // then the orphans are exactly the owned service and its scalable target
      expect(live.orphans.map((o) => `${o.kind}/${o.name}@${o.clusterName}`)).toEqual([
        'Service/svc-0002@fleet',
        'ScalingPolicy/svc-0002@fleet',
      ]);
      const diffs = diffResources(desired, live, { instance: 'ecs-gitops', pruneCandidates: true });
      expect(diffs.filter((d) => d.action === 'delete').map((d) => `${d.key.kind}/${d.key.name}`)).toEqual([
        'Service/svc-0002',
        'ScalingPolicy/svc-0002',
      ]);
      // and without prune candidates nothing is proposed for deletion
      expect(
        diffResources(desired, live, { instance: 'ecs-gitops' }).some((d) => d.action === 'delete'),
      ).toBe(false);
    } finally {
      clients.destroy();
    }
  });
});
