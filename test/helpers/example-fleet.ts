// How many resources the bundled example fleet (manifests/examples) declares, counted from its
// files, so the tests that wait for "the whole fleet Synced" follow the examples as they grow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** manifests/examples, the fleet `npm start` runs. */
export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'manifests', 'examples');

/** Documents of the example fleet of one kind (or of every kind). */
function documents(kind = '\\w+'): number {
  const pattern = new RegExp(`^kind: ${kind}$`, 'gm');
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .reduce(
      (count, name) => count + (readFileSync(join(EXAMPLES_DIR, name), 'utf8').match(pattern)?.length ?? 0),
      0,
    );
}

export const EXAMPLE_RESOURCES = documents();

/** Its hook Tasks (web's migration): they run around a deploy and are never created as resources. */
export const EXAMPLE_HOOKS = documents('Task');

/** What `apply` creates from an empty account: every resource but the hooks. */
export const EXAMPLE_CREATED = EXAMPLE_RESOURCES - EXAMPLE_HOOKS;

/** Task definition families: one RegisterTaskDefinition each from an empty account. */
export const EXAMPLE_FAMILIES = documents('TaskDefinition');
