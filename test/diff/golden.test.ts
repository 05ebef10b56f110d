// Golden diffs: test/fixtures/diff/<case>/{desired.yaml, live.json, expected.json}. Each case is one
// normalization rule or one kind's behaviour. UPDATE_GOLDEN=1 rewrites expected.json (review the git diff).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { parseManifests } from '../../controller/manifest/index.js';
import { keyString } from '../../controller/types.js';
import { type LiveFixture, liveStateFromFixture } from './live-fixture.js';

const ROOT = join(import.meta.dirname, '../fixtures/diff');
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** What a golden file records: everything but the (large) desired resource. */
function recorded(diff: ResourceDiff) {
  const { desired: _desired, key, ...rest } = diff;
  return { key: keyString(key), ...rest };
}

describe('golden diffs', () => {
  it('has one case per rule and kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (name) => {
    // given the manifests and the live objects as AWS returns them
    const dir = join(ROOT, name);
    const result = parseManifests(
      [{ path: 'desired.yaml', content: readFileSync(join(dir, 'desired.yaml')) }],
      {
        revision: 'golden',
      },
    );
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    const live = liveStateFromFixture(
      JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as LiveFixture,
    );

    // when diffed
    const actual = diffResources(result.desired, live, { instance: 'ecs-gitops' }).map(recorded);

    // then the result is exactly the recorded one
    const expectedFile = join(dir, 'expected.json');
    if (process.env.UPDATE_GOLDEN === '1')
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
});
