// `diff` / `apply --dry-run` explain a deployment strategy change: how ECS deploys from then on and
// what it would refuse. Golden: test/fixtures/diff/service-strategy-*/plan.txt is the text output
// (UPDATE_GOLDEN=1 rewrites it; review the Git diff).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeSetToJson, planChanges, renderChangeSet } from '../../controller/plan/index.js';
import { renderChangeSetMarkdown } from '../../controller/plan/markdown.js';
import { strategyChangeNotes } from '../../controller/plan/strategy-change.js';
import { diffsOf, FIXTURES } from './diff-fixture.js';

const OPTIONS = { revision: 'abc123', prune: false, pruneLimit: 1, pruneConfirm: false };
const CASES = ['service-strategy-rolling-to-blue-green', 'service-strategy-blue-green-to-rolling'];

function notesOf(caseName: string, edit?: (text: string) => string): string[] {
  const service = diffsOf(caseName, edit).find((d) => d.key.kind === 'Service');
  if (!service) throw new Error('no service diff');
  return strategyChangeNotes(service);
}

describe('a strategy change in the plan', () => {
  it.each(CASES)('%s renders as the golden text', (name) => {
    // given the live service and the manifest changing its strategy; when planned and rendered
    const text = renderChangeSet(planChanges(diffsOf(name), OPTIONS), { color: false });
    // then the output is exactly the recorded one
    const file = join(FIXTURES, name, 'plan.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('says the same in --output json and markdown', () => {
    const changeSet = planChanges(diffsOf(CASES[0]!), OPTIONS);
    const json = changeSetToJson(changeSet) as { entries: Array<{ key: string; notes?: string[] }> };
    const notes = json.entries.find((e) => e.key === 'Service/web')?.notes;
    expect(notes?.[0]).toMatch(/^strategy ROLLING → BLUE_GREEN: from the next deployment on/);
    expect(json.entries.find((e) => e.key === 'Cluster/prod')?.notes).toBeUndefined();
    expect(renderChangeSetMarkdown(changeSet, { title: 'plan' })).toContain(`# ${notes?.[0]}`);
  });

  it('names what ECS would refuse: no advancedConfiguration, the circuit breaker left on, no bake time', () => {
    const refused = notesOf(CASES[0]!, (text) =>
      text
        .replace(/ {6}advancedConfiguration:\n( {8}.*\n){3}/, '')
        .replace(
          '    bakeTimeInMinutes: 15\n',
          '    deploymentCircuitBreaker: {enable: true, rollback: true}\n',
        ),
    ).filter((note) => note.startsWith('ECS will refuse'));
    expect(refused).toEqual([
      'ECS will refuse the update: the deployment circuit breaker is for ROLLING only; use alarms {enable: true, rollback: true}',
      'ECS will refuse the update: BLUE_GREEN needs bakeTimeInMinutes',
      'ECS will refuse the update: BLUE_GREEN needs loadBalancers[].advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn; testListenerRule optional) or Service Connect',
    ]);
  });

  it('describes CANARY and LINEAR steps from the manifest numbers, and says nothing without a strategy change', () => {
    const canary = notesOf(CASES[0]!, (text) =>
      text.replace(
        'strategy: BLUE_GREEN',
        'strategy: CANARY\n    canaryConfiguration: {canaryPercent: 10, canaryBakeTimeInMinutes: 3}',
      ),
    );
    expect(canary[0]).toContain(
      'gets 10% of production traffic for 3 min (canaryConfiguration), then the rest',
    );
    const linear = notesOf(CASES[0]!, (text) =>
      text.replace('strategy: BLUE_GREEN', 'strategy: LINEAR\n    linearConfiguration: {stepPercent: 25}'),
    );
    expect(linear[0]).toContain('25% at a time, 6 min per step');
    expect(notesOf('service-desired-count-changed')).toEqual([]);
  });
});
