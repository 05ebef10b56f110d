// The diffs of a golden diff case (test/fixtures/diff/<case>), for plan and render tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffResources } from '../../controller/diff/index.js';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { parseManifests } from '../../controller/manifest/index.js';
import { type LiveFixture, liveStateFromFixture } from '../diff/live-fixture.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures/diff');

export function diffsOf(caseName: string, replaceYaml?: (text: string) => string): ResourceDiff[] {
  const dir = join(FIXTURES, caseName);
  let text = readFileSync(join(dir, 'desired.yaml'), 'utf8');
  if (replaceYaml) text = replaceYaml(text);
  const result = parseManifests([{ path: 'desired.yaml', content: Buffer.from(text) }], { revision: 'r' });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  const live = liveStateFromFixture(JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as LiveFixture);
  return diffResources(result.desired, live, { instance: 'ecs-gitops' });
}
