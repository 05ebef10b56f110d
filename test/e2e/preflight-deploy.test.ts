// End to end (issue 19's evidence): a commit whose image tag is not in ECR is blocked by preflight —
// no RegisterTaskDefinition — the commit status turns failure with that message and PagerDuty gets
// one trigger; fixing the tag registers and rolls out, the status turns success and PagerDuty is
// resolved. Real Git remote, the emulator over HTTP with the real SDK, real HTTP fakes of GitHub
// and PagerDuty.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerApp, startController } from '../../controller/app.js';
import { resolveConfig } from '../../controller/config.js';
import { type FakePagerDuty, startPagerDuty } from '../alerts/fake-apis.js';
import { type FakeGitHost, startFakeGitHost } from '../commit-status/fake-git-hosts.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';
import { webFleet } from '../helpers/web-fleet.js';
import { createPrerequisites, REGISTRY } from '../preflight/prerequisites.js';
import { waitForStatus } from './harness.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

function fleet(tag: string): Record<string, string> {
  return {
    'manifests/app.yaml': webFleet({
      cluster: 'shop',
      image: `${REGISTRY}/web:${tag}`,
      serviceSpec:
        '  deploymentConfiguration:\n    deploymentCircuitBreaker: {enable: true, rollback: true}\n',
    }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('preflight blocks a doomed deploy, end to end', () => {
  it('given a commit with an image tag missing from ECR, when the controller sees it, then nothing is registered, the commit status fails with the message and PagerDuty triggers once; fixing the tag resolves all three', async () => {
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const tmp = await tempDir('ecs-gitops-preflight-e2e-');
    const emulator: TestEmulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    const github: FakeGitHost = await startFakeGitHost('github', 'ghp_e2e');
    const pagerduty: FakePagerDuty = await startPagerDuty();
    cleanups.push(tmp.cleanup, emulator.close, github.close, pagerduty.close);
    await createPrerequisites(emulator.url, { images: [{ repository: 'web', tag: '1.0' }] });
    const repo = await createRepo(tmp.path);
    const first = await repo.commit(fleet('1.0'), 'web 1.0');

    const config = resolveConfig(
      {
        repo: repo.remote,
        branch: 'main',
        dir: 'manifests',
        poll: '300ms',
        resync: '1s',
        listen: '127.0.0.1:0',
        cacheDir: join(tmp.path, 'cache'),
        endpointUrl: emulator.url,
        region: 'us-east-1',
        instance: 'shop',
        statusWrite: false,
        commitStatus: 'github',
        commitStatusApiUrl: github.url,
        commitStatusRepo: 'acme/shop',
        externalUrl: 'https://gitops.example.com',
        pagerdutyUrl: `${pagerduty.url}v2/enqueue`,
      },
      { ECS_GITOPS_GIT_TOKEN: 'ghp_e2e', ECS_GITOPS_PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
    );
    const { logger } = captureLogger('info');
    const app: ControllerApp = await startController(config, { logger, cwd: tmp.path, progressPollMs: 300 });
    cleanups.push(() => app.stop());
    const converged = (s: ReturnType<ControllerApp['store']['snapshot']>) =>
      s.resources.length === 3 && s.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy');
    const statusesOf = (sha: string) => github.statuses.filter((s) => s.sha === sha);
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}: ${JSON.stringify(github.statuses)}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    };

    // given web 1.0 deployed and its commit marked success
    await waitForStatus(app, converged, 20_000);
    await until(() => statusesOf(first).some((s) => s.state === 'success'), 'success of the first commit');
    emulator.resetCalls();

    // when a commit names a tag that was never pushed
    const broken = await repo.commit(fleet('9.9'), 'web 9.9 (not pushed)');
    const blocked = await waitForStatus(
      app,
      (s) => s.resources.find((r) => r.key === 'TaskDefinition/web')?.lastError?.code === 'PreflightFailed',
      20_000,
    );

    // then nothing was registered or deployed, and the status says exactly what is missing
    const web = blocked.resources.find((r) => r.key === 'TaskDefinition/web');
    expect(web?.sync).toBe('Failed');
    expect(web?.lastError?.message).toBe(
      `preflight failed: container web: image ${REGISTRY}/web:9.9 not found in ECR repository arn:aws:ecr:us-east-1:123456789012:repository/web (ImageNotFoundException: The image with imageId {imageDigest:'null', imageTag:'9.9'} does not exist within the repository with name 'web' in the registry with id '123456789012')`,
    );
    expect(blocked.resources.find((r) => r.key === 'Service/web')?.sync).toBe('OutOfSync');
    const detail = (await (await fetch(`${app.url}/api/status`)).json()) as {
      resources: Array<{ key: string; lastError?: { code: string } }>;
    };
    expect(detail.resources.find((r) => r.key === 'TaskDefinition/web')?.lastError?.code).toBe(
      'PreflightFailed',
    );
    await until(() => statusesOf(broken).some((s) => s.state === 'failure'), 'failure of the broken commit');
    const failure = statusesOf(broken).find((s) => s.state === 'failure');
    expect(failure).toMatchObject({
      context: 'ecs-gitops/shop',
      targetUrl: 'https://gitops.example.com/#/TaskDefinition/web',
    });
    expect(failure?.description).toMatch(
      /^TaskDefinition\/web: PreflightFailed: preflight failed: container web: image 123456789012\.dkr\.ecr/,
    );
    await until(() => pagerduty.accepted.length >= 1, 'the PagerDuty trigger');
    // the retries under backoff read ECR again but alert nothing new
    await new Promise((done) => setTimeout(done, 1500));
    expect(emulator.calls()['ecs:RegisterTaskDefinition']).toBeUndefined();
    expect(emulator.calls()['ecr:DescribeImages']).toBeGreaterThanOrEqual(1);
    expect(pagerduty.accepted.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger ecs-gitops/shop/TaskDefinition/web/sync',
    ]);

    // when the tag is fixed (pushed and committed)
    await createPrerequisites(emulator.url, { images: [{ repository: 'web', tag: '1.1' }] });
    const fixed = await repo.commit(fleet('1.1'), 'web 1.1');
    await waitForStatus(
      app,
      (s) =>
        converged(s) && s.resources.every((r) => r.lastAppliedRevision === fixed || r.kind === 'Cluster'),
      20_000,
    );

    // then it registers and rolls out, the status is success, and PagerDuty's alert is resolved
    await until(() => statusesOf(fixed).some((s) => s.state === 'success'), 'success of the fixed commit');
    // pending from the first write of the fixed commit, before the verdict
    expect(statusesOf(fixed)[0]).toMatchObject({
      state: 'pending',
      description: expect.stringMatching(/^applying \d+ change\(s\): .*TaskDefinition\/web/),
    });
    await until(() => pagerduty.resolved.length === 1, 'the PagerDuty resolve');
    expect(emulator.calls()['ecs:RegisterTaskDefinition']).toBe(1);
    expect(pagerduty.accepted.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger ecs-gitops/shop/TaskDefinition/web/sync',
      'resolve ecs-gitops/shop/TaskDefinition/web/sync',
    ]);
    expect(pagerduty.open.size).toBe(0);
    expect(github.refused).toEqual([]);
  }, 90_000);
});
