// Incremental parsing: files whose content did not change since the last revision are not parsed
// again, and the result is the same as a fresh parse.
import { describe, expect, it } from 'vitest';
import { ManifestParseCache, parseManifests } from '../../controller/manifest/index.js';
import { serviceFleet } from '../helpers/service-fleet.js';

function files(map: Record<string, string>) {
  return Object.entries(map).map(([path, content]) => ({ path, content: Buffer.from(content) }));
}

describe('incremental parsing', () => {
  it('parses only the YAML of the file a commit changed, with the same result as a fresh parse', () => {
    // given 20 services parsed once with a cache
    const cache = new ManifestParseCache();
    const first = serviceFleet(20);
    expect(parseManifests(files(first), { revision: 'r1', cache }).ok).toBe(true);
    expect(cache.stats).toEqual({ parsed: 21, reused: 0 });

    // when the next revision changes one file
    const second = {
      ...first,
      'svc-7.yaml': (first['svc-7.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28'),
    };
    const incremental = parseManifests(files(second), { revision: 'r2', cache });

    // then only that file is parsed again and the desired state equals a fresh parse
    expect(cache.stats).toEqual({ parsed: 1, reused: 20 });
    expect(incremental).toEqual(parseManifests(files(second), { revision: 'r2' }));
  });

  it('holds one copy of a manifest: the desired state shares the cached document, which nothing can change', () => {
    // given a fleet parsed twice with a cache, one file with an empty (null) field
    const cache = new ManifestParseCache();
    const fleet = {
      ...serviceFleet(2),
      'svc-1.yaml': (serviceFleet(2)['svc-1.yaml'] ?? '').replace('desiredCount: 1', 'desiredCount:'),
    };
    const first = parseManifests(files(fleet), { revision: 'r1', cache });
    const second = parseManifests(files(fleet), { revision: 'r2', cache });
    if (!first.ok || !second.ok) throw new Error('fleet invalid');
    const containers = (result: typeof first) => {
      const found = result.desired.resources.find((r) => r.kind === 'TaskDefinition' && r.name === 'svc-0');
      return found?.kind === 'TaskDefinition' ? found.spec.containerDefinitions : undefined;
    };
    const service = (result: typeof first, name: string) =>
      result.desired.resources.find((r) => r.kind === 'Service' && r.name === name)?.spec;

    // then both revisions hold the very objects of the parsed file, frozen
    expect(containers(second)).toBe(containers(first));
    expect(Object.isFrozen(containers(first)?.[0]?.environment?.[0])).toBe(true);
    expect(() => {
      (containers(first) as unknown[]).push({ name: 'sidecar' });
    }).toThrow(TypeError);
    // and a null still reads as not set (only that document is copied without it)
    expect(service(first, 'svc-1')).not.toHaveProperty('desiredCount');
    expect(service(first, 'svc-0')).toHaveProperty('desiredCount', 1);
  });

  it('reports a broken file again on every revision and forgets deleted files', () => {
    // given a revision with one invalid file
    const cache = new ManifestParseCache();
    const broken = {
      ...serviceFleet(2),
      'bad.yaml': 'apiVersion: ecs-gitops/v1\nkind: Service\nmetadata: {name: x}\nspec: {cluster: [}\n',
    };
    const once = parseManifests(files(broken), { revision: 'r1', cache });

    // when the same content comes again (a commit elsewhere), then the same problems come back
    const twice = parseManifests(files(broken), { revision: 'r2', cache });
    expect(once.ok).toBe(false);
    expect(twice).toEqual(once);

    // when the file is deleted, then the revision is valid and the file is no longer cached
    const { 'bad.yaml': _removed, ...fixed } = broken;
    expect(parseManifests(files(fixed), { revision: 'r3', cache }).ok).toBe(true);
    expect(cache.stats).toEqual({ parsed: 0, reused: 3 });
  });
});
