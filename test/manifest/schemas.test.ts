// The schemas are the public contract: strict everywhere, usable by editors, and the TypeScript types
// generated from them are current.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generateSpecTypes, SPEC_TYPES_FILE } from '../../schemas/tools/generate-types.js';

const root = join(import.meta.dirname, '..', '..');
const schema = (name: string) =>
  JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Every object schema that lists properties, with where it is. */
function objectSchemas(node: unknown, path = '#'): { path: string; schema: Record<string, unknown> }[] {
  if (typeof node !== 'object' || node === null) return [];
  const found: { path: string; schema: Record<string, unknown> }[] = [];
  const record = node as Record<string, unknown>;
  if (record.properties && typeof record.properties === 'object') found.push({ path, schema: record });
  for (const [key, value] of Object.entries(record)) found.push(...objectSchemas(value, `${path}/${key}`));
  return found;
}

describe('schemas', () => {
  it.each(['cluster', 'task-definition', 'service', 'scaling-policy'])(
    '%s forbids unknown fields everywhere',
    (name) => {
      const loose = objectSchemas(schema(name))
        // a `properties` map that happens to contain a field named "properties" is not an object schema
        .filter(
          ({ path }) =>
            !path.endsWith('/properties') && !path.endsWith('/properties/metadata') && !path.includes('/if'),
        )
        .filter(({ schema: object }) => object.additionalProperties !== false)
        .map(({ path }) => path);
      expect(loose).toEqual([]);
    },
  );

  it('the combined schema validates the example fleet and rejects a typo, as an editor would', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(schema('ecs-gitops'));
    const folder = join(root, 'manifests', 'examples');
    const documents = readdirSync(folder)
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => loadAll(readFileSync(join(folder, file), 'utf8')));
    expect(documents.length).toBeGreaterThanOrEqual(7);
    for (const document of documents) expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    const typo = { ...(documents[0] as object), spec: { capacityProviders: ['FARGATE'], clusterNam: 'x' } };
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.some((error) => error.params.additionalProperty === 'clusterNam')).toBe(true);
  });

  it('every example file declares the schema for yaml-language-server', () => {
    const folder = join(root, 'manifests', 'examples');
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.yaml'))) {
      expect(readFileSync(join(folder, file), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/ecs-gitops\.schema\.json\n/,
      );
    }
  });

  it('controller/manifest/spec-types.ts is generated from the current schemas (run `npm run gen:types`)', async () => {
    const committed = readFileSync(SPEC_TYPES_FILE, 'utf8');
    expect(await generateSpecTypes()).toBe(committed);
  });
});
