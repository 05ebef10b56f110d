// Round trip, zero diff, over the corpus of real-world task definitions (test/fixtures/task-definitions,
// each with its source in the README): registered in the emulator exactly as earlier tooling would
// (the raw RegisterTaskDefinition JSON), described by readLive, diffed against the manifest made from
// the same JSON → no changes, and no new revision planned.
import { RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { readLive } from '../../controller/live/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { taskDefinitionFixtures, taskDefinitionManifestYaml } from '../helpers/task-definition-manifest.js';
import { controllerClients, desiredFrom } from './support.js';

const env = useTestEmulator();
const fixtures = taskDefinitionFixtures();

describe('round trip of real-world task definitions', () => {
  it('has a corpus of at least 25', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s diffs to zero',
    async (_name, fixture) => {
      // given the raw JSON registered the way the AWS CLI / an earlier pipeline registers it
      await env().ecs.send(
        new RegisterTaskDefinitionCommand(fixture.input as unknown as RegisterTaskDefinitionCommandInput),
      );
      const clients = controllerClients(env().url);
      try {
        // when the manifest made from the same JSON is diffed against the described revision
        const desired = desiredFrom({ 'td.yaml': taskDefinitionManifestYaml(fixture.input) });
        const live = await readLive(clients, desired, { instance: 'ecs-gitops' });
        const [diff] = diffResources(desired, live, { instance: 'ecs-gitops' });

        // then there is no change and the existing revision is the target (no registration)
        expect(diff?.changes).toEqual([]);
        expect(diff?.action).toBe('noop');
        expect(diff?.taskDefinition).toMatchObject({ register: false, arn: expect.stringMatching(/:1$/) });
      } finally {
        clients.destroy();
      }
    },
  );
});
