// Cold starts at the API lower bound: a restarted controller trusts the revision a service's
// `ecs-gitops/task-definition` tag vouches for (revisions are immutable) instead of describing it,
// and still finds a service pointed at another revision behind Git's back.
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../controller/aws/clients.js';
import { serviceKey } from '../../controller/aws-model/ids.js';
import { tagsToMap } from '../../controller/aws-model/tags.js';
import { diffResources } from '../../controller/diff/index.js';
import { readLive, TaskDefinitionCache } from '../../controller/live/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { classifyChange } from '../../controller/reconcile/drift.js';
import { fingerprintAll } from '../../controller/reconcile/fingerprint.js';
import { OWNERSHIP_TAGS } from '../../controller/types.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { applyPass, serviceFleet } from '../helpers/service-fleet.js';
import { controllerClients, desiredFrom } from './support.js';

const env = useTestEmulator();
const INSTANCE = 'ecs-gitops';
const SERVICES = 12;

async function applyAll(clients: AwsClients, desired: DesiredState): Promise<void> {
  const result = await applyPass(clients, desired, { instance: INSTANCE });
  expect(result.entries.filter((e) => e.outcome === 'failed')).toEqual([]);
}

describe('cold start', () => {
  it('a restarted controller describes no task definition of in-sync services and still finds a service pointed at another revision', async () => {
    // given an estate applied by a controller, every service tagged with the revision it was set to
    const desired = desiredFrom(serviceFleet(SERVICES), 'r1');
    const clients = controllerClients(env().url);
    try {
      await applyAll(clients, desired);
      const applied = await readLive(clients, desired, {
        instance: INSTANCE,
        cache: new TaskDefinitionCache(),
      });
      const tag = tagsToMap(applied.services[serviceKey('prod', 'svc-0')]?.tags)[
        OWNERSHIP_TAGS.taskDefinition
      ];
      expect(tag).toMatch(/^1@[0-9a-f]{32}$/);

      // when the controller restarts (empty cache) and reads the in-sync estate
      env().resetCalls();
      clients.counter.reset();
      const restarted = await readLive(clients, desired, {
        instance: INSTANCE,
        cache: new TaskDefinitionCache(),
      });

      // then no DescribeTaskDefinition is made and nothing differs
      expect(clients.counter.snapshot()['ecs:DescribeTaskDefinition'] ?? 0).toBe(0);
      expect(env().calls()['ecs:DescribeTaskDefinition'] ?? 0).toBe(0);
      expect(
        diffResources(desired, restarted, { instance: INSTANCE }).filter((d) => d.action !== 'noop'),
      ).toEqual([]);

      // when a person registers another revision and points svc-3 at it behind Git's back
      const other = await env().ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'svc-3',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:hotfix' }],
        }),
      );
      await env().ecs.send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'svc-3',
          taskDefinition: other.taskDefinition?.taskDefinitionArn,
        }),
      );
      clients.counter.reset();
      const again = await readLive(clients, desired, {
        instance: INSTANCE,
        cache: new TaskDefinitionCache(),
      });

      // then only that revision is described (and the family's latest, which it is), the service shows the revision change, and the
      // recorded spec-hash tells it is drift (Git did not change), not a deploy
      expect(clients.counter.snapshot()['ecs:DescribeTaskDefinition']).toBe(2);
      const diffs = diffResources(desired, again, { instance: INSTANCE });
      const changed = diffs.filter((d) => d.action !== 'noop');
      // (the family's latest revision is the person's too, so the task definition differs as well)
      expect(changed.map((d) => `${d.key.kind}/${d.key.name}`).sort()).toEqual([
        'Service/svc-3',
        'TaskDefinition/svc-3',
      ]);
      const service = changed.find((d) => d.key.kind === 'Service');
      expect(service?.changes.find((c) => c.path === 'taskDefinition')).toMatchObject({ live: 'svc-3:2' });
      const recorded = tagsToMap(again.services[serviceKey('prod', 'svc-3')]?.tags)[OWNERSHIP_TAGS.specHash];
      const fingerprint = fingerprintAll(desired.resources).get('Service/svc-3');
      expect(
        classifyChange(
          changed[0] as (typeof changed)[number],
          fingerprint,
          recorded ? { fingerprint: recorded, revision: 'r1' } : undefined,
        ),
      ).toBe('drift');
    } finally {
      clients.destroy();
    }
  });

  it('describes the running revision again once Git changes the task definition (the trust is for Git’s content only)', async () => {
    // given an applied estate
    const clients = controllerClients(env().url);
    try {
      await applyAll(clients, desiredFrom(serviceFleet(SERVICES), 'r1'));

      // when Git changes every image and a restarted controller reads live state
      const changed = desiredFrom(serviceFleet(SERVICES, 'public.ecr.aws/nginx/nginx:1.28'), 'r2');
      clients.counter.reset();
      const live = await readLive(clients, changed, { instance: INSTANCE, cache: new TaskDefinitionCache() });

      // then every running revision is described (the diff shows what changes) and every family
      // is looked up with one account-wide listing instead of a describe per family
      const calls = clients.counter.snapshot();
      expect(calls['ecs:DescribeTaskDefinition']).toBe(SERVICES);
      expect(calls['ecs:ListTaskDefinitions']).toBe(1);
      const diffs = diffResources(changed, live, { instance: INSTANCE });
      expect(diffs.filter((d) => d.key.kind === 'TaskDefinition' && d.action === 'update')).toHaveLength(
        SERVICES,
      );
    } finally {
      clients.destroy();
    }
  });

  it('looks up the families of an empty account with one listing, not a failing describe each', async () => {
    // given an empty account
    const clients = controllerClients(env().url);
    try {
      // when the estate is read for the first time
      await readLive(clients, desiredFrom(serviceFleet(SERVICES), 'r1'), { instance: INSTANCE });

      // then one ListTaskDefinitions page answers for all families
      expect(clients.counter.snapshot()).toMatchObject({ 'ecs:ListTaskDefinitions': 1 });
      expect(clients.counter.snapshot()['ecs:DescribeTaskDefinition'] ?? 0).toBe(0);
    } finally {
      clients.destroy();
    }
  });
});
