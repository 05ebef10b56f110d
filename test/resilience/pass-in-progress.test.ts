// Item 9 of issue 11: during a long pass /api/status showed the old revision as Synced. Now the pass
// is shown (overall.passInProgress) and each resource it writes is OutOfSync + Reconciling until done.
import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../controller/status/model.js';
import {
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

describe('a long pass is visible while it runs', () => {
  it('given UpdateService takes seconds, when a new image is applied, then /api/status shows the pass and the service as applying, then Synced', async () => {
    const h = await start();
    await h.emulator.fault({ operation: 'ecs:UpdateService', kind: 'latency', latencyMs: 2500 });
    const files = await exampleFiles();
    const revision = await commitAndSync(
      h,
      { 'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28') },
      'new image',
    );
    // then, while UpdateService hangs, the API tells the truth (the revision's first pass registers
    // web:2 and starts web's migration; the pass that sees it exit 0 updates web)
    let during: StatusSnapshot | undefined;
    const deadline = Date.now() + 20_000;
    while (!during && Date.now() < deadline) {
      const snapshot = (await (await fetch(`${h.app.url}/api/status`)).json()) as StatusSnapshot;
      const pass = snapshot.overall.passInProgress;
      if (pass?.phase === 'apply' && pass.revision === revision && pass.resources.includes('Service/web'))
        during = snapshot;
      else await new Promise((done) => setTimeout(done, 50));
    }
    expect(during?.overall.passInProgress?.resources).toContain('Service/web');
    const web = during?.resources.find((r) => r.key === 'Service/web');
    expect(web?.sync).toBe('OutOfSync');
    expect(web?.lastAttemptedRevision).toBe(revision);
    expect(web?.conditions.find((c) => c.type === 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'Applying',
    });
    // and when the pass is over, it is gone
    const after = await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      30_000,
    );
    expect(after.overall.passInProgress).toBeUndefined();
  });
});
