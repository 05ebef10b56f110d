// How many resources the bundled example fleet (manifests/examples) declares, counted from its
// files, so the tests that wait for "the whole fleet Synced" follow the examples as they grow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** manifests/examples, the fleet `npm start` runs. */
export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'manifests', 'examples');

export const EXAMPLE_RESOURCES = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .reduce(
    (count, name) => count + (readFileSync(join(EXAMPLES_DIR, name), 'utf8').match(/^kind: /gm)?.length ?? 0),
    0,
  );
