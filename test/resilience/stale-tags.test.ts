// Item 9 of issue 11, "stale tags": a pass that updated a service but never got to tag it (a crash
// between UpdateService and TagResource; here the TagResource calls after the update fail, then the
// controller stops) left the old `ecs-gitops/revision` on it, and the spec-hash record the update
// marked pending before it started (apply/service.ts). Live equals Git, so nothing
// rewrote them, and the next controller read the stale record: a later manual change was taken for
// a deploy, not drift. Now the record is repaired with a tags-only write, once; a converged fleet
// gets no write at all, pass after pass.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
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
const REVISION = 'ecs-gitops/revision';
const SPEC_HASH = 'ecs-gitops/spec-hash';

async function webService(h: Harness) {
  const out = await h.emulator.ecs.send(
    new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
  );
  const service = out.services?.[0];
  const tags = Object.fromEntries((service?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
  return { taskDefinition: service?.taskDefinition ?? '', tags };
}

/** Write calls (anything but Describe/List/Get) the emulator saw since the last reset. */
function writes(h: Harness): Record<string, number> {
  return Object.fromEntries(
    Object.entries(h.emulator.calls()).filter(([op]) => !/:(Describe|List|Get)/.test(op)),
  );
}

describe('stale ownership tags after an interrupted apply', () => {
  it('given web was updated but never tagged, when a new controller starts, then the tags are repaired once, a later manual change is drift, and a converged fleet gets zero writes per pass', async () => {
    const h = await start();
    const before = await webService(h);

    // when the pass updates web but every TagResource of web after the first (the pending mark)
    // fails, and the controller stops (web's migration records its run in the hook ledger, tags too)
    await h.emulator.fault({
      operation: 'ecs:TagResource',
      kind: 'server-error',
      skip: 1,
      match: { service: 'web' },
    });
    const files = await exampleFiles();
    const revision = await commitAndSync(
      h,
      { 'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28') },
      'new image',
    );
    await waitForStatus(
      h.app,
      () =>
        h.emulator.calls()['ecs:UpdateService'] !== undefined &&
        (h.emulator.calls()['ecs:TagResource'] ?? 0) >= 6,
      30_000,
    );
    await h.app.stop();
    await h.emulator.admin('DELETE', '/_emulator/faults');
    const stale = await webService(h);
    expect(stale.taskDefinition).not.toBe(before.taskDefinition);
    expect(stale.tags[REVISION]).toBe(before.tags[REVISION]);
    expect(stale.tags[SPEC_HASH]).toMatch(/^pending:/);

    // then a new controller repairs the record with tags only
    h.emulator.resetCalls();
    h.app = await h.start();
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      60_000,
    );
    const repaired = await webService(h);
    expect(repaired.tags[REVISION]).toBe(revision);
    expect(repaired.tags[SPEC_HASH]).not.toBe(before.tags[SPEC_HASH]);
    expect(repaired.taskDefinition).toBe(stale.taskDefinition);
    expect(writes(h)).toEqual({ 'ecs:TagResource': 1 });

    // and a converged fleet gets no write in the next passes
    h.emulator.resetCalls();
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 3, 30_000);
    expect(writes(h)).toEqual({});

    // and a change by hand is drift now (web heals drift: it is reported and reverted)
    await h.emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', healthCheckGracePeriodSeconds: 60 }),
    );
    await waitForStatus(
      h.app,
      () =>
        h.app.events
          .recent({ limit: 100 })
          .some((e) => e.type === 'DriftDetected' && e.resource === 'Service/web'),
      30_000,
    );
  }, 120_000);
});
