// The services of each TaskDefinition manifest are found in one walk over the revision: asking for
// them per task definition used to filter every resource each time (quadratic: a second of a
// restart's CPU at 1,000 services).
import { describe, expect, it } from 'vitest';
import { consumersOf } from '../../controller/diff/task-definition.js';
import { ManifestParseCache, parseManifests } from '../../controller/manifest/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { serviceFleet } from '../helpers/service-fleet.js';

function fleet(n: number): DesiredState {
  const files = Object.entries(serviceFleet(n)).map(([path, content]) => ({ path, content }));
  const parsed = parseManifests(files, { revision: 'r1', cache: new ManifestParseCache() });
  if (!parsed.ok) throw new Error('fleet invalid');
  return parsed.desired;
}

/** The same desired state, its resources counting how often something walks them. */
function counted(desired: DesiredState): { desired: DesiredState; walks: () => number } {
  let walks = 0;
  const resources = new Proxy([...desired.resources], {
    get(target, property, receiver) {
      if (property === Symbol.iterator || property === 'filter' || property === 'forEach') walks += 1;
      return Reflect.get(target, property, receiver);
    },
  });
  return { desired: { ...desired, resources }, walks: () => walks };
}

describe('consumers of a task definition', () => {
  it('given 50 services, when each task definition asks for its services, then the revision is walked once', () => {
    const { desired, walks } = counted(fleet(50));

    const found = Array.from({ length: 50 }, (_, i) => consumersOf(desired, `svc-${i}`));

    expect(found.map((services) => services.map((s) => s.name))).toEqual(
      Array.from({ length: 50 }, (_, i) => [`svc-${i}`]),
    );
    expect(consumersOf(desired, 'not-a-task-definition')).toEqual([]);
    expect(walks()).toBe(1);
  });
});
