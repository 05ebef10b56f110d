// Defect 6 of issue 11: a prune refused by --prune-max used to be silent (no log line, no event, no
// alert, /readyz plain 200). Now it is a PruneBlocked event and alert once per episode (and
// PruneAllowed when it ends), a log warning, a Stalled condition on each refused resource, and
// `pruneBlocked` in /api/status and in the /readyz body (still 200: a restart would not help), and
// the ecs_gitops_prune_blocked_resources gauge (docs/monitoring: the EcsGitopsPruneBlocked alert).
import { describe, expect, it } from 'vitest';
import {
  alertsOf,
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

describe('a prune refused by --prune-max is loud', () => {
  it('given web (with its migration) and worker leave Git (5 of the example fleet’s 12 owned resources, limit 25%), then one PruneBlocked alert, a warning, Stalled resources and pruneBlocked in status; when they return, PruneAllowed', async () => {
    const h = await start({ prune: true });

    // when most of the fleet leaves Git in one commit
    const removed = await commitAndSync(h, {}, 'oops: deleted the services', {
      remove: ['manifests/web.yaml', 'manifests/web-migrate.yaml', 'manifests/worker.yaml'],
    });
    const blocked = await waitForStatus(
      h.app,
      (s) => s.overall.lastAttemptedRevision === removed && s.overall.pruneBlocked !== undefined,
      20_000,
    );
    // and a few more passes run
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 3, 20_000);

    // then nothing was deleted, and it says so everywhere, once
    expect(blocked.overall.pruneBlocked?.resources).toEqual(
      expect.arrayContaining(['Service/web', 'Service/worker', 'TaskDefinition/web']),
    );
    expect(blocked.overall.pruneBlocked?.message).toMatch(/refusing to delete 5 resources/);
    const web = blocked.resources.find((r) => r.key === 'Service/web');
    expect(web?.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'prune-limit',
    });
    expect(h.app.events.recent({ limit: 1000 }).filter((e) => e.type === 'PruneBlocked')).toHaveLength(1);
    await waitForStatus(h.app, () => alertsOf(h, 'PruneBlocked').length === 1, 10_000);
    expect(alertsOf(h, 'PruneBlocked')).toHaveLength(1);
    expect(
      h.logs.filter((l) => l.level === 40 && /prune refused/.test(String(l.msg))).length,
    ).toBeGreaterThanOrEqual(1);
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).toMatch(/PruneBlocked/);
    const status = (await (await fetch(`${h.app.url}/api/status`)).json()) as {
      overall: { pruneBlocked?: unknown };
    };
    expect(status.overall.pruneBlocked).toBeDefined();
    const metric = () =>
      fetch(`${h.app.url}/metrics`)
        .then((r) => r.text())
        .then((text) => /^ecs_gitops_prune_blocked_resources (\d+)$/m.exec(text)?.[1]);
    expect(await metric()).toBe('5');

    // when the manifests return, the episode ends
    const files = await exampleFiles();
    const restored = await commitAndSync(
      h,
      {
        'manifests/web.yaml': files['manifests/web.yaml'] ?? '',
        'manifests/web-migrate.yaml': files['manifests/web-migrate.yaml'] ?? '',
        'manifests/worker.yaml': files['manifests/worker.yaml'] ?? '',
      },
      'restore',
    );
    const after = await waitForStatus(
      h.app,
      // The episode ends on the next full pass, which may come after the targeted one that applied it.
      (s) =>
        s.overall.lastAppliedRevision === restored &&
        allSyncedAndHealthy(s) &&
        s.overall.pruneBlocked === undefined,
      30_000,
    );
    expect(after.overall.pruneBlocked).toBeUndefined();
    await expect.poll(metric, { timeout: 10_000 }).toBe('0');
    await waitForStatus(h.app, () => alertsOf(h, 'PruneAllowed').length === 1, 10_000);
  }, 90_000);
});
