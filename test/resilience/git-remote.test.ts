// Git probes of the resilience suite (issue 11): the remote going away, wrong credentials,
// force-pushes, a commit deleting every manifest with prune on, and a revision of 5,000 files. In
// every case the last good state stays applied and nothing is deleted because something could not
// be read.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../e2e/harness.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { startGitHttpServer } from '../helpers/git.js';
import {
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();
const WRITE = /^ecs:(?!Describe|List)|^autoscaling:(?!Describe|List)/;

function writesOf(h: Harness): Record<string, number> {
  return Object.fromEntries(Object.entries(h.emulator.calls()).filter(([op]) => WRITE.test(op)));
}

async function imageOfWeb(h: Harness): Promise<string | undefined> {
  const out = await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  const taskDefinition = out.services?.[0]?.taskDefinition;
  const td = await h.emulator.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  return td.taskDefinition?.containerDefinitions?.[0]?.image;
}

describe('Git probes', () => {
  it('given the remote goes away, then the source is reported down (readyz 503), nothing is written or deleted; when it is back, the next commit is applied', async () => {
    const h = await start({ prune: true });
    const remote = h.repo.remote;
    h.emulator.resetCalls();
    await rename(remote, `${remote}.away`);
    await waitForStatus(h.app, (s) => s.overall.source.condition.status === 'False', 20_000);
    const passes = h.app.reconciler.passes;
    h.app.reconciler.requestSync('test');
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 2, 20_000);
    const down = h.app.store.snapshot();
    expect(down.overall.source.condition.reason).toMatch(/RemoteUnreachable|FetchFailed|PathNotFound/);
    expect(down.resources.every((r) => r.sync === 'Synced')).toBe(true);
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(503);
    expect(writesOf(h)).toEqual({});

    await rename(`${remote}.away`, remote);
    const files = await exampleFiles();
    const revision = await commitAndSync(
      h,
      { 'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28') },
      'after the outage',
    );
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      30_000,
    );
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(200);
  });

  it('given wrong credentials for an HTTP remote, then the source says AuthenticationFailed and nothing is applied', async () => {
    let h: Harness | undefined;
    let server: Awaited<ReturnType<typeof startGitHttpServer>> | undefined;
    try {
      h = await startHarness({ repo: 'http://127.0.0.1:9/unused.git' });
      server = await startGitHttpServer({ projectRoot: h.dir, token: 'right-token' });
      await h.app.stop();
      h.emulator.resetCalls();
      const url = new URL(`${server.url}/remote.git`);
      url.username = 'bot';
      url.password = 'wrong-token';
      const app = await h.start({ repo: url.toString(), cacheDir: join(h.dir, 'cache-auth') });
      const snapshot = await waitForStatus(
        app,
        (s) => s.overall.source.condition.reason === 'AuthenticationFailed',
        20_000,
      );
      expect(snapshot.resources).toEqual([]);
      expect(JSON.stringify(snapshot)).not.toContain('wrong-token');
      expect(writesOf(h)).toEqual({});
      expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
    } finally {
      await server?.close();
      await h?.close();
    }
  });

  it('given history is force-pushed to other content and back, then ECS follows each new head', async () => {
    const h = await start({ prune: true });
    const files = await exampleFiles();
    const changed = {
      ...files,
      'manifests/web.yaml': (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.29'),
    };
    const rewritten = await h.repo.forcePush(changed, 'rewritten history');
    h.app.reconciler.requestSync('test');
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === rewritten && allSyncedAndHealthy(s),
      30_000,
    );
    expect(await imageOfWeb(h)).toBe('public.ecr.aws/nginx/nginx:1.29');
    const back = await h.repo.forcePush(files, 'back to the start');
    h.app.reconciler.requestSync('test');
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === back && allSyncedAndHealthy(s),
      30_000,
    );
    expect(await imageOfWeb(h)).toBe('public.ecr.aws/nginx/nginx:1.27');
  });

  it('given a commit deleting every manifest with prune on, then the revision is rejected (the folder is gone) and nothing is deleted', async () => {
    const h = await start({ prune: true, pruneMax: '100%' });
    const applied = h.app.store.snapshot().overall.lastAppliedRevision;
    h.emulator.resetCalls();
    const revision = await commitAndSync(h, {}, 'delete everything', { remove: ['manifests'] });
    const snapshot = await waitForStatus(h.app, (s) => s.overall.lastAttemptedRevision === revision, 20_000);
    expect(snapshot.overall.rejectedRevision?.problems).toEqual([
      expect.stringMatching(/^manifests: folder "manifests" does not exist in revision [0-9a-f]{12}/),
    ]);
    expect(snapshot.overall.lastAppliedRevision).toBe(applied);
    expect(snapshot.resources).toHaveLength(EXAMPLE_RESOURCES);
    expect(writesOf(h)).toEqual({});
  });

  it('given a revision of 5,000 files, then it is read, accepted and applied with no write', async () => {
    const h = await start();
    h.emulator.resetCalls();
    const many: Record<string, string> = {};
    for (let index = 0; index < 4_993; index += 1)
      many[`manifests/teams/t${String(index % 50).padStart(2, '0')}/notes-${index}.yaml`] =
        `# reserved for team ${index % 50} (no documents yet)\n`;
    const revision = await commitAndSync(h, many, '5,000 files');
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
      60_000,
    );
    expect(h.app.store.snapshot().overall.rejectedRevision).toBeUndefined();
    expect(writesOf(h)).toEqual({});
  }, 90_000);
});
