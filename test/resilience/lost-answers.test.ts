// Item 9 of issue 11, "lost answers": a RegisterTaskDefinition that ECS committed but whose answer
// never arrived is retried by the SDK and leaves an identical twin revision. The twin is
// deregistered right after the registration that won, so the family keeps one revision per content.
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  type Harness,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

async function activeImages(h: Harness, family: string): Promise<string[]> {
  const arns =
    (await h.emulator.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' })))
      .taskDefinitionArns ?? [];
  const images: string[] = [];
  for (const arn of arns) {
    const td = (await h.emulator.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })))
      .taskDefinition;
    images.push(td?.containerDefinitions?.[0]?.image ?? '');
  }
  return images.sort();
}

describe('lost RegisterTaskDefinition answers', () => {
  it('given the answer of a registration is dropped after ECS committed it, then the identical twin is deregistered', async () => {
    const h = await start();
    await h.emulator.fault({ operation: 'ecs:RegisterTaskDefinition', kind: 'drop-after-commit', count: 1 });
    const files = await exampleFiles();
    const revision = await commitAndSync(
      h,
      { 'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28') },
      'new image',
    );
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      30_000,
    );
    // two registrations reached ECS (the lost one and its retry) …
    expect(h.emulator.calls()['ecs:RegisterTaskDefinition']).toBeGreaterThanOrEqual(2);
    // … but only one ACTIVE revision per content is left
    const images = await activeImages(h, 'web');
    expect(images).toEqual([...new Set(images)]);
  });
});
