// Real task definitions from AWS documentation and aws-samples validate, and survive the loader intact.
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../controller/errors.js';
import { parseManifests } from '../../controller/manifest/index.js';
import {
  taskDefinitionFixtures,
  taskDefinitionManifest,
  taskDefinitionManifestYaml,
} from '../helpers/task-definition-manifest.js';

const fixtures = taskDefinitionFixtures();

/** The input as ECS would keep it: null means absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]) => [key, withoutNulls(field)]),
  );
}

describe('real-world task definitions', () => {
  it('has at least 25 of them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s validates and round-trips',
    (name, fixture) => {
      // given the published JSON as a TaskDefinition manifest
      const yaml = taskDefinitionManifestYaml(fixture.input);
      // when it is loaded
      const result = parseManifests([{ path: `${name}.yaml`, content: yaml }], { revision: 'corpus' });
      // then it is valid and its spec is the input itself
      if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
      const [resource] = result.desired.resources;
      expect(resource?.kind).toBe('TaskDefinition');
      if (resource?.kind !== 'TaskDefinition') return;
      expect(resource.family).toBe(fixture.input.family);
      expect(resource.spec).toEqual(withoutNulls(fixture.input));
    },
  );

  it('converts API tag lists to manifest tag maps', () => {
    const manifest = taskDefinitionManifest({
      family: 'Tagged_App',
      containerDefinitions: [{ name: 'a', image: 'a:1', memory: 64 }],
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(manifest).toEqual({
      apiVersion: 'ecs-gitops/v1',
      kind: 'TaskDefinition',
      metadata: { name: 'tagged-app' },
      spec: {
        family: 'Tagged_App',
        containerDefinitions: [{ name: 'a', image: 'a:1', memory: 64 }],
        tags: { team: 'web' },
      },
    });
  });
});
