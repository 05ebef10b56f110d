// Turns a raw RegisterTaskDefinition JSON (test/fixtures/task-definitions) into a TaskDefinition manifest,
// so real-world task definitions can go through the same loader as hand-written manifests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';

export const TASK_DEFINITION_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'task-definitions');

export interface TaskDefinitionFixture {
  /** File name without `.json`. */
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** Every fixture, sorted by name. */
export function taskDefinitionFixtures(): TaskDefinitionFixture[] {
  return readdirSync(TASK_DEFINITION_FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.slice(0, -'.json'.length),
      input: JSON.parse(readFileSync(join(TASK_DEFINITION_FIXTURES, file), 'utf8')) as Record<
        string,
        unknown
      >,
    }));
}

/** A metadata.name from a family: lowercase, `_` → `-` (families allow characters names do not). */
export function manifestName(family: string): string {
  return family.toLowerCase().replace(/_/g, '-');
}

/**
 * The TaskDefinition manifest (as an object) for a RegisterTaskDefinition input: the input becomes the
 * spec, the API's tag list becomes the manifest's tag map, and metadata.name derives from the family.
 */
export function taskDefinitionManifest(
  input: Record<string, unknown>,
  name?: string,
): Record<string, unknown> {
  const { tags, ...spec } = input;
  const family = typeof input.family === 'string' ? input.family : 'task';
  const tagMap = Array.isArray(tags)
    ? Object.fromEntries((tags as { key: string; value: string }[]).map((tag) => [tag.key, tag.value]))
    : undefined;
  return {
    apiVersion: 'ecs-gitops/v1',
    kind: 'TaskDefinition',
    metadata: { name: name ?? manifestName(family) },
    spec: { ...spec, ...(tagMap ? { tags: tagMap } : {}) },
  };
}

/** The same manifest as YAML text. */
export function taskDefinitionManifestYaml(input: Record<string, unknown>, name?: string): string {
  return dump(taskDefinitionManifest(input, name), { lineWidth: -1, noRefs: true });
}
