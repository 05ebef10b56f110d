import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../controller/server/metrics.js';
import { fleet, type Harness, resource, snapshot, startHarness, webService } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** `name{labels} value` lines of the exposition text, without comments. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

async function scrape(): Promise<string> {
  const response = await fetch(`${harness!.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('/metrics', () => {
  it('exposes every metric of docs/architecture.md#metrics with its labels', async () => {
    // given a controller that ran passes, applied changes, called AWS and fetched Git
    harness = await startHarness();
    const m = harness.metrics;
    m.observePass(1.2, 'success');
    m.observePass(0.3, 'rejected');
    m.recordApply('Service', 'update', 'success');
    m.recordApply('Service', 'update', 'success');
    m.recordApply('TaskDefinition', 'create', 'failure');
    m.recordAwsCall({ service: 'ecs', operation: 'DescribeServices', code: 'OK', durationMs: 12 });
    m.recordAwsCall({
      service: 'ecs',
      operation: 'UpdateService',
      code: 'ThrottlingException',
      durationMs: 5,
    });
    m.recordGitFetch('success');
    m.recordGitFetch('unchanged');
    m.recordGitFetch('failure');
    m.observeCommitToApplied(7.5);
    m.observeCommitToApplied(-3);

    // when Prometheus scrapes
    const text = await scrape();

    // then every metric is there with the documented names and labels
    expect(samples(text, 'ecs_gitops_resource_info')).toEqual(
      expect.arrayContaining([
        'ecs_gitops_resource_info{kind="Service",name="web",sync="Synced",health="Healthy"} 1',
      ]),
    );
    expect(samples(text, 'ecs_gitops_drifted_resources')).toEqual(['ecs_gitops_drifted_resources 0']);
    expect(samples(text, 'ecs_gitops_reconcile_duration_seconds_count')).toEqual([
      'ecs_gitops_reconcile_duration_seconds_count 2',
    ]);
    expect(samples(text, 'ecs_gitops_reconcile_duration_seconds_sum')).toEqual([
      'ecs_gitops_reconcile_duration_seconds_sum 1.5',
    ]);
    expect(text).toContain('ecs_gitops_reconcile_duration_seconds_bucket{le="0.5"} 1');
    expect(samples(text, 'ecs_gitops_reconcile_total').sort()).toEqual([
      'ecs_gitops_reconcile_total{result="failure"} 0',
      'ecs_gitops_reconcile_total{result="rejected"} 1',
      'ecs_gitops_reconcile_total{result="success"} 1',
    ]);
    expect(samples(text, 'ecs_gitops_apply_total').sort()).toEqual([
      'ecs_gitops_apply_total{kind="Service",action="update",result="success"} 2',
      'ecs_gitops_apply_total{kind="TaskDefinition",action="create",result="failure"} 1',
    ]);
    expect(samples(text, 'ecs_gitops_aws_requests_total').sort()).toEqual([
      'ecs_gitops_aws_requests_total{service="ecs",operation="DescribeServices",code="OK"} 1',
      'ecs_gitops_aws_requests_total{service="ecs",operation="UpdateService",code="ThrottlingException"} 1',
    ]);
    expect(samples(text, 'ecs_gitops_git_fetch_total').sort()).toEqual([
      'ecs_gitops_git_fetch_total{result="failure"} 1',
      'ecs_gitops_git_fetch_total{result="success"} 1',
      'ecs_gitops_git_fetch_total{result="unchanged"} 1',
    ]);
    // a negative commit age (committer clock ahead) counts as immediate
    expect(samples(text, 'ecs_gitops_commit_to_applied_seconds_sum')).toEqual([
      'ecs_gitops_commit_to_applied_seconds_sum 7.5',
    ]);
    expect(text).toContain('ecs_gitops_commit_to_applied_seconds_bucket{le="1"} 1');
    expect(text).toContain('ecs_gitops_commit_to_applied_seconds_bucket{le="10"} 2');
    // and the default process metrics
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toContain('# TYPE ecs_gitops_reconcile_duration_seconds histogram');
    expect(text).toContain('# TYPE ecs_gitops_apply_total counter');
  });

  it('resource_info and drifted_resources agree with /api/status at every scrape; stale series vanish', async () => {
    harness = await startHarness();
    // given the fleet, then web drifts and the scaling policy is pruned
    harness.current = snapshot([...fleet().slice(0, 2), webService({ sync: 'Drifted', health: 'Healthy' })]);
    const text = await scrape();
    const info = samples(text, 'ecs_gitops_resource_info');
    // then exactly one series per resource, with its current state
    expect(info.sort()).toEqual([
      'ecs_gitops_resource_info{kind="Cluster",name="prod",sync="Synced",health="Healthy"} 1',
      'ecs_gitops_resource_info{kind="Service",name="web",sync="Drifted",health="Healthy"} 1',
      'ecs_gitops_resource_info{kind="TaskDefinition",name="web",sync="Synced",health="Healthy"} 1',
    ]);
    expect(samples(text, 'ecs_gitops_drifted_resources')).toEqual(['ecs_gitops_drifted_resources 1']);
    // and no series of the old state of web or of the removed ScalingPolicy remains
    expect(info.filter((l) => l.includes('kind="Service"'))).toHaveLength(1);
    expect(info.some((l) => l.includes('ScalingPolicy'))).toBe(false);
  });
});

describe('createMetrics', () => {
  it('each instance has its own registry, so counters never leak between controllers', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.recordGitFetch('failure');
    a.setResources([
      resource('Cluster', 'x', { sync: 'Drifted' }),
      resource('Cluster', 'y', { sync: 'Drifted' }),
    ]);
    const textA = await a.registry.metrics();
    const textB = await b.registry.metrics();
    expect(textA).toContain('ecs_gitops_git_fetch_total{result="failure"} 1');
    expect(textA).toContain('ecs_gitops_drifted_resources 2');
    expect(textB).toContain('ecs_gitops_git_fetch_total{result="failure"} 0');
    expect(textB).not.toContain('process_cpu_user_seconds_total');
    // setResources replaces the set
    a.setResources([]);
    const after = await a.registry.metrics();
    expect(samples(after, 'ecs_gitops_resource_info')).toEqual([]);
    expect(after).toContain('ecs_gitops_drifted_resources 0');
  });
});
