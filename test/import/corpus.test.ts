// The corpus of real task definitions (test/fixtures/task-definitions, sources in its README), each
// registered raw the way earlier tooling registers it, run by a service, imported, and diffed again
// by the real `diff` against the emulator: zero changes, nothing to register.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { taskDefinitionFixtures } from '../helpers/task-definition-manifest.js';

const env = useTestEmulator();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Where a task definition can run: Fargate when it asks for it, else EC2; awsvpc needs subnets. */
function placement(input: Record<string, unknown>): Partial<CreateServiceCommandInput> {
  const fargate =
    Array.isArray(input.requiresCompatibilities) && input.requiresCompatibilities.includes('FARGATE');
  return {
    launchType: fargate ? 'FARGATE' : 'EC2',
    ...(input.networkMode === 'awsvpc'
      ? { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0corpus1'] } } }
      : {}),
  };
}

describe('import of the real task definition corpus', () => {
  const fixtures = taskDefinitionFixtures();

  it('has a corpus of at least 25', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s: registered raw, imported, diffed to zero',
    async (_name, fixture) => {
      // given the raw JSON registered as is, and a service running it
      const { ecs } = env();
      await ecs.send(new CreateClusterCommand({ clusterName: 'corpus' }));
      const registered = await ecs.send(
        new RegisterTaskDefinitionCommand(fixture.input as unknown as RegisterTaskDefinitionCommandInput),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'corpus',
          serviceName: 'app',
          taskDefinition: String(registered.taskDefinition?.taskDefinitionArn),
          desiredCount: 1,
          ...placement(fixture.input),
        }),
      );
      const out = mkdtempSync(join(tmpdir(), 'ecs-gitops-corpus-'));
      dirs.push(out);
      const endpoint = ['--endpoint-url', env().url];

      // when it is imported
      const imported = await runCliCaptured(['import', '--cluster', 'corpus', '--out', out, ...endpoint]);

      // then the manifest describes the family and the real diff finds nothing to change
      expect(imported.stderr).not.toContain('error:');
      expect(imported.code).toBe(0);
      expect(readFileSync(join(out, 'corpus', 'app.yaml'), 'utf8')).toContain(`kind: TaskDefinition`);
      const diffed = await runCliCaptured(['diff', '--path', out, '--output', 'json', ...endpoint]);
      expect(diffed.stderr).toBe('');
      expect(diffed.code).toBe(0);
      const plan = JSON.parse(diffed.stdout) as {
        entries: {
          key: string;
          action: string;
          changes: unknown[];
          taskDefinition?: { register: boolean };
        }[];
      };
      const td = plan.entries.find((entry) => entry.key.startsWith('TaskDefinition/'));
      expect(td).toMatchObject({ action: 'adopt', changes: [], taskDefinition: { register: false } });
      expect(plan.entries.every((entry) => entry.changes.length === 0)).toBe(true);
    },
    30_000,
  );
});
