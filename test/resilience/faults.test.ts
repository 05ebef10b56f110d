// Fault probes (issue 11, resilience suite): the emulator throttles bursts of every operation class,
// fails a share of calls with 5xx, answers slowly, drops connections after committing a write.
// Each time a commit has to go through the faults; afterwards ECS equals Git (`diff` is empty),
// nothing is duplicated or deleted, and the faults were reported (metrics, logs, status).
// The emulator killed and restarted mid-pass is in emulator-restart.test.ts.
import { describe, expect, it } from 'vitest';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { counterSum, EXAMPLE_FLEET, expectFleetMatchesGit, type FleetTarget } from './fleet-check.js';
import {
  alertsOf,
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  type Harness,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

/** A commit touching every kind: a new image (task definition + service), an env var, the scaling range. */
async function changeEverything(h: Harness): Promise<string> {
  const files = await exampleFiles();
  return commitAndSync(
    h,
    {
      'manifests/web.yaml': (files['manifests/web.yaml'] ?? '')
        .replace('nginx:1.27', 'nginx:1.28')
        .replace('maxCapacity: 4\n', 'maxCapacity: 5\n'),
      'manifests/worker.yaml': (files['manifests/worker.yaml'] ?? '').replace(
        '{name: LOG_LEVEL, value: info}',
        '{name: LOG_LEVEL, value: debug}',
      ),
    },
    'change every kind',
  );
}

function fleet(h: Harness): FleetTarget {
  return {
    ecs: h.emulator.ecs,
    autoscaling: h.emulator.autoscaling,
    endpoint: h.emulator.url,
    remote: h.repo.remote,
    dir: h.dir,
  };
}

async function metricsText(h: Harness): Promise<string> {
  return (await fetch(`${h.app.url}/metrics`)).text();
}

async function convergedOn(h: Harness, revision: string): Promise<void> {
  await waitForStatus(
    h.app,
    (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s),
    90_000,
  );
}

/** One operation of every class the controller uses (ECS's throttling groups, plus auto scaling). */
const OPERATION_CLASSES = [
  'ecs:DescribeClusters',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:RegisterTaskDefinition',
  'ecs:UpdateService',
  'ecs:TagResource',
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:RegisterScalableTarget',
];

describe('fault probes', () => {
  it('given a throttling burst on every operation class, longer than the SDK retries, then the commit still converges and the throttling is counted and reported', async () => {
    const h = await start();
    // 2 throttles in a row are absorbed by the SDK's 5 attempts; 7 on web's UpdateService make it
    // give up once, so the controller itself has to come back to web later.
    for (const operation of OPERATION_CLASSES) {
      if (operation === 'ecs:UpdateService')
        await h.emulator.fault({ operation, kind: 'throttle', count: 7, match: { service: 'web' } });
      else await h.emulator.fault({ operation, kind: 'throttle', count: 2 });
    }

    const revision = await changeEverything(h);
    await convergedOn(h, revision);

    const metrics = await metricsText(h);
    // every burst was used up
    expect(((await h.emulator.admin('GET', '/_emulator/faults')) as { rules: unknown[] }).rules).toEqual([]);
    expect(counterSum(metrics, 'ecs_gitops_aws_requests_total', { code: 'ThrottlingException' })).toBe(
      (OPERATION_CLASSES.length - 1) * 2 + 7,
    );
    // web's update, throttled after every retry, was a SyncFailed event and alert saying why
    const failed = h.app.events.recent({ limit: 100 }).filter((e) => e.type === 'SyncFailed');
    expect(failed.map((e) => `${e.resource} ${e.message}`)).toEqual([
      'Service/web Service/web: ThrottlingException: Rate exceeded',
    ]);
    await waitForStatus(h.app, () => alertsOf(h, 'SyncFailed').length === 1, 10_000);
    await h.emulator.admin('DELETE', '/_emulator/faults');
    await expectFleetMatchesGit(fleet(h));
  }, 150_000);

  it('given 30% of all calls answer 5xx while the commit goes out, then it converges through retries and the errors are counted', async () => {
    const h = await start();
    await h.emulator.fault({ kind: 'server-error', share: 0.3 });

    const revision = await changeEverything(h);
    await convergedOn(h, revision);

    const metrics = await metricsText(h);
    expect(counterSum(metrics, 'ecs_gitops_aws_requests_total', { code: 'ServerException' })).toBeGreaterThan(
      0,
    );
    expect(
      counterSum(metrics, 'ecs_gitops_aws_requests_total', { code: 'InternalServiceException' }),
    ).toBeGreaterThan(0);
    await h.emulator.admin('DELETE', '/_emulator/faults');
    await expectFleetMatchesGit(fleet(h));
  }, 150_000);

  it('given every call is slow (200 ms), then the commit converges with nothing applied twice', async () => {
    const h = await start();
    await h.emulator.fault({ kind: 'latency', latencyMs: 200 });
    h.emulator.resetCalls();

    const revision = await changeEverything(h);
    await convergedOn(h, revision);

    await h.emulator.admin('DELETE', '/_emulator/faults');
    // one registration per changed family, however slow the answers were
    expect(h.emulator.calls()['ecs:RegisterTaskDefinition']).toBe(2);
    await expectFleetMatchesGit(fleet(h));
  }, 150_000);

  it('given an endpoint that accepts a call and never answers, then the attempt times out after --aws-timeout, is retried and counted, and the commit converges', async () => {
    const h = await start({ awsTimeout: '1s' });
    // ten minutes of silence: without a request timeout the pass would wait all of it
    await h.emulator.fault({
      operation: 'ecs:DescribeServices',
      kind: 'latency',
      latencyMs: 600_000,
      count: 1,
    });

    const revision = await changeEverything(h);
    await convergedOn(h, revision);

    const metrics = await metricsText(h);
    expect(
      counterSum(metrics, 'ecs_gitops_aws_requests_total', {
        operation: 'DescribeServices',
        code: 'TimeoutError',
      }),
    ).toBe(1);
    await expectFleetMatchesGit(fleet(h));
  }, 150_000);

  it('given a quarter of the writes lose their answer after ECS applied them, then no service, target or revision is duplicated and the losses are reported', async () => {
    const h = await start();
    for (const operation of [
      'ecs:RegisterTaskDefinition',
      'ecs:UpdateService',
      'ecs:TagResource',
      'application-autoscaling:RegisterScalableTarget',
      'application-autoscaling:PutScalingPolicy',
    ])
      await h.emulator.fault({ operation, kind: 'drop-after-commit', share: 0.25 });

    const revision = await changeEverything(h);
    await convergedOn(h, revision);

    const metrics = await metricsText(h);
    // a dropped connection is a network error on the client side, recorded under its own code
    const notOk = metrics
      .split('\n')
      .filter((l) => l.startsWith('ecs_gitops_aws_requests_total{') && !l.includes('code="OK"'));
    expect(notOk.length, metrics).toBeGreaterThan(0);
    await h.emulator.admin('DELETE', '/_emulator/faults');
    await expectFleetMatchesGit(fleet(h));
  }, 150_000);

  it('given a new service whose CreateService answer is dropped, then exactly one service exists afterwards', async () => {
    const h = await start();
    await h.emulator.fault({ operation: 'ecs:CreateService', kind: 'drop-after-commit', count: 1 });
    const files = await exampleFiles();
    const jobs = (files['manifests/worker.yaml'] ?? '')
      .replace(/name: worker\b/g, 'name: jobs')
      .replace(/taskDefinition: worker\b/, 'taskDefinition: jobs');
    const revision = await commitAndSync(h, { 'manifests/jobs.yaml': jobs }, 'a second worker');
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === revision && allSyncedAndHealthy(s, EXAMPLE_RESOURCES + 2),
      90_000,
    );
    expect(h.emulator.calls()['ecs:CreateService']).toBeGreaterThanOrEqual(2);
    await expectFleetMatchesGit(fleet(h), {
      ...EXAMPLE_FLEET,
      services: { ...EXAMPLE_FLEET.services, 'batch-prod': ['jobs', 'worker'] },
      families: [...EXAMPLE_FLEET.families, 'jobs'].sort(),
    });
  }, 150_000);
});
