// `ecs-gitops apply` end to end: the example fleet, the real AWS SDK, the emulator over HTTP.
// The emulator runs on a fast real clock here (the CLI waits in real time), so rollouts take
// a fraction of a second.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { useTestEmulator } from '../helpers/emulator.js';
import {
  EXAMPLE_CREATED,
  EXAMPLE_FAMILIES,
  EXAMPLE_HOOKS,
  EXAMPLE_RESOURCES,
} from '../helpers/example-fleet.js';
import { sink } from '../helpers/text-sink.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 }, failImagePattern: 'broken' });

const EXAMPLES = new URL('../../manifests/examples/', import.meta.url);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apply-cli-'));
  await cp(EXAMPLES, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(command: string, ...args: string[]) {
  const out = sink();
  const err = sink();
  const code = await runCli(
    [command, '--path', dir, '--endpoint-url', env().url, '--wait-interval', '50ms', ...args].filter(
      (a) => command !== 'diff' || (a !== '--wait-interval' && a !== '50ms'),
    ),
    {
      stdout: out.stream,
      stderr: err.stream,
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
        AWS_SECRET_ACCESS_KEY: 'emulator-secret',
        AWS_REGION: 'us-east-1',
      },
      cwd: dir,
      stopSignal: new AbortController().signal,
    },
  );
  return { code, stdout: out.text(), stderr: err.text() };
}

const READ = /:(Describe|List|Get)/;
function writes(): Record<string, number> {
  return Object.fromEntries(Object.entries(env().calls()).filter(([key]) => !READ.test(key)));
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  await writeFile(path, next);
}

async function describeService(cluster: string, service: string) {
  const out = await env().ecs.send(
    new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }),
  );
  return out.services?.[0];
}

process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';

describe('ecs-gitops apply', () => {
  it('creates the example fleet from empty, Healthy; a second apply writes nothing; diff is clean', async () => {
    // when the example fleet is applied to an empty account and the rollouts are followed
    const first = await cli('apply', '--wait');
    // then everything is created and every service is Healthy
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `Apply: ${EXAMPLE_CREATED} created, 0 configured, 0 deleted, ${EXAMPLE_HOOKS} unchanged, 0 skipped, 0 failed.`,
    );
    expect(first.stdout).toMatch(/prod\/web\s+Healthy/);
    expect(first.stdout).toMatch(/batch-prod\/worker\s+Healthy/);
    const targets = await env().autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(targets.ScalableTargets?.map((t) => [t.ResourceId, t.MinCapacity, t.MaxCapacity])).toEqual([
      ['service/prod/web', 1, 4],
    ]);

    // when applied again
    env().resetCalls();
    const second = await cli('apply');
    // then not a single write call reaches ECS
    expect(second.code).toBe(0);
    expect(writes()).toEqual({});
    expect(second.stdout).toContain(`0 created, 0 configured, 0 deleted, ${EXAMPLE_RESOURCES} unchanged`);

    // and diff finds nothing
    const diff = await cli('diff');
    expect(diff.code).toBe(0);
  });

  it('rolls out one image change with one RegisterTaskDefinition and one UpdateService', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    // given one container image changes in Git
    await edit('web.yaml', 'public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:1.28');
    env().resetCalls();
    // when applied with --wait
    const result = await cli('apply', '--wait');
    // then exactly one revision is registered and one service updated, and the rollout is Healthy
    expect(result.code).toBe(0);
    expect(writes()['ecs:RegisterTaskDefinition']).toBe(1);
    expect(writes()['ecs:UpdateService']).toBe(1);
    expect(writes()['ecs:CreateService']).toBeUndefined();
    expect(result.stdout).toMatch(/prod\/web\s+Healthy/);
    const web = await describeService('prod', 'web');
    expect(web?.taskDefinition).toMatch(/task-definition\/web:2$/);
    expect(web?.deployments).toHaveLength(1);
  });

  it('reports a failing image as Degraded with the stoppedReason and the rollback, exit 1 with --wait', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    // given an image the emulator cannot start
    await edit('web.yaml', 'public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:broken');
    // when applied with --wait
    const result = await cli('apply', '--wait');
    // then the circuit breaker's rollback is reported, with the reason tasks stopped
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/prod\/web\s+Degraded/);
    expect(result.stdout).toMatch(/rolled back/);
    expect(result.stdout).toMatch(/CannotPullContainerError/);
    // and the service runs the old revision again (the SDK waiter would call this stable)
    const web = await describeService('prod', 'web');
    expect(web?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition).toMatch(/web:1$/);
  });

  it('makes exactly one service when CreateService committed but the apply never saw the answer', async () => {
    // given every CreateService answer for web is lost after ECS committed it (the apply "crashes")
    await env().fault({
      operation: 'ecs:CreateService',
      kind: 'drop-after-commit',
      count: 10,
      match: { service: 'web' },
    });
    const crashed = await cli('apply');
    expect(crashed.code).toBe(2);
    expect(crashed.stderr).toMatch(/Service\/web/);
    await env().admin('DELETE', '/_emulator/faults');
    // when the apply runs again
    const rerun = await cli('apply', '--wait');
    // then it finishes the job and there is exactly one web service
    expect(rerun.code).toBe(0);
    const listed = await env().ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(listed.serviceArns?.filter((arn) => arn.endsWith('/web'))).toHaveLength(1);
    expect(rerun.stdout).not.toMatch(/\+ Service\/web created/);
  });

  it('converges the other services when one UpdateService fails with a 5xx; the next apply fixes it', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    // given both images change and UpdateService of web keeps failing with ServerException
    await edit('web.yaml', 'public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:1.28');
    await edit('worker.yaml', /image: (\S+):(\S+)/, 'image: $1:next');
    await env().fault({
      operation: 'ecs:UpdateService',
      kind: 'server-error',
      count: 50,
      match: { service: 'web' },
    });
    // when applied
    const failed = await cli('apply');
    // then worker converged, web is reported with the AWS error, and the exit code says so
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/Service\/web: UpdateService: ServerException/);
    expect((await describeService('batch-prod', 'worker'))?.taskDefinition).toMatch(/worker:2$/);
    expect((await describeService('prod', 'web'))?.taskDefinition).toMatch(/web:1$/);
    // when the fault is gone and apply runs again
    await env().admin('DELETE', '/_emulator/faults');
    env().resetCalls();
    const fixed = await cli('apply', '--wait');
    // then web is updated to the revision registered the first time (no second registration)
    expect(fixed.code).toBe(0);
    expect(writes()['ecs:RegisterTaskDefinition']).toBeUndefined();
    expect((await describeService('prod', 'web'))?.taskDefinition).toMatch(/web:2$/);
    expect((await cli('diff')).code).toBe(0);
  });

  it('completes under throttling of RegisterTaskDefinition and DescribeServices with few throttled calls', async () => {
    // given ECS answers the first two RegisterTaskDefinition and DescribeServices calls with ThrottlingException
    // (and no migration hook: while one runs, apply reads ECS once more per poll, as long as it takes)
    await rm(join(dir, 'web-migrate.yaml'));
    await env().fault({ operation: 'ecs:RegisterTaskDefinition', kind: 'throttle', count: 2 });
    await env().fault({ operation: 'ecs:DescribeServices', kind: 'throttle', count: 2 });
    // when the fleet is applied
    const result = await cli('apply');
    // then it completes, each throttled call retried once and nothing else throttled
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${EXAMPLE_CREATED - 1} created`);
    const calls = env().calls();
    expect(calls['ecs:RegisterTaskDefinition']).toBe(EXAMPLE_FAMILIES - 1 + 2);
    // (live read skips services of clusters that do not exist yet; the health look is 1 call per cluster)
    expect(calls['ecs:DescribeServices']).toBe(2 + 2);
  });

  it('prunes a removed Service only with --prune, and only our own', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    // given an unowned service of the same kind exists next to ours
    await env().ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'legacy',
        taskDefinition: 'web:1',
        desiredCount: 0,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60001'] } },
      }),
    );
    // and the worker service leaves Git (its task definition stays)
    await edit('worker.yaml', /\n---\napiVersion: ecs-gitops\/v1\nkind: Service[\s\S]*?(?=\n---|$)/, '');
    // when applied without --prune
    env().resetCalls();
    const kept = await cli('apply');
    // then nothing is deleted
    expect(kept.code).toBe(0);
    expect(writes()['ecs:DeleteService']).toBeUndefined();
    expect((await describeService('batch-prod', 'worker'))?.status).toBe('ACTIVE');
    // when applied with --prune
    const pruned = await cli('apply', '--prune');
    // then our worker is scaled to 0 and deleted; the unowned legacy service is untouched
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/- Service\/worker deleted/);
    expect((await describeService('batch-prod', 'worker'))?.status).not.toBe('ACTIVE');
    expect((await describeService('prod', 'legacy'))?.status).toBe('ACTIVE');
  });

  it('refuses a pass that would delete most owned resources unless confirmed', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    // given web (with its migration) and worker leave Git: 5 of 12 owned resources go (a task
    // definition no service runs, as the migration's, is not among what prune discovers)
    await rm(join(dir, 'web.yaml'));
    await rm(join(dir, 'web-migrate.yaml'));
    await rm(join(dir, 'worker.yaml'));
    env().resetCalls();
    // when applied with --prune but without --prune-confirm
    const refused = await cli('apply', '--prune');
    // then nothing at all is written and the message lists what would go
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to delete 5 resources/);
    expect(refused.stderr).toMatch(/Service\/web/);
    expect(writes()).toEqual({});
    // when confirmed
    const confirmed = await cli('apply', '--prune', '--prune-confirm');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/5 deleted/);
    expect((await describeService('prod', 'web'))?.status).not.toBe('ACTIVE');
    expect((await describeService('batch-prod', 'worker'))?.status).not.toBe('ACTIVE');
    const families = await env().ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'ACTIVE' }),
    );
    expect(families.taskDefinitionArns ?? []).toHaveLength(0);
  });

  it('never prunes from a revision that fails validation', async () => {
    expect((await cli('apply', '--wait')).code).toBe(0);
    await rm(join(dir, 'worker.yaml'));
    await writeFile(
      join(dir, 'broken.yaml'),
      'apiVersion: ecs-gitops/v1\nkind: Service\nmetadata: {name: x}\nspec: {desiredCount: -1}\n',
    );
    env().resetCalls();
    const result = await cli('apply', '--prune', '--prune-confirm');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml/);
    expect(env().calls()).toEqual({});
    expect((await describeService('batch-prod', 'worker'))?.status).toBe('ACTIVE');
  });

  it('autoscaling: updates targetValue in place, deletes a removed policy, never resets desiredCount', async () => {
    // given the fleet with a second target tracking policy
    await edit(
      'web.yaml',
      '  scheduledActions:',
      '    - policyName: mem70\n      predefinedMetricType: ECSServiceAverageMemoryUtilization\n      targetValue: 70\n  scheduledActions:',
    );
    expect((await cli('apply', '--wait')).code).toBe(0);
    const policies = async () =>
      (
        await env().autoscaling.send(
          new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/prod/web' }),
        )
      ).ScalingPolicies ?? [];
    expect((await policies()).map((p) => p.PolicyName).sort()).toEqual(['cpu60', 'mem70']);
    // and autoscaling has since moved the service to 3 tasks
    await env().ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }));

    // when targetValue of cpu60 changes and mem70 leaves the list
    await edit('web.yaml', 'targetValue: 60', 'targetValue: 50');
    await edit('web.yaml', / {4}- policyName: mem70\n[^\n]*\n[^\n]*\n/, '');
    env().resetCalls();
    const result = await cli('apply');
    // then cpu60 is updated in place, mem70 deleted, the target not re-registered
    expect(result.code).toBe(0);
    expect(writes()['application-autoscaling:PutScalingPolicy']).toBe(1);
    expect(writes()['application-autoscaling:DeleteScalingPolicy']).toBe(1);
    expect(writes()['application-autoscaling:RegisterScalableTarget']).toBeUndefined();
    const after = await policies();
    expect(after.map((p) => [p.PolicyName, p.TargetTrackingScalingPolicyConfiguration?.TargetValue])).toEqual(
      [['cpu60', 50]],
    );

    // when the image changes too
    await edit('web.yaml', 'public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:1.28');
    expect((await cli('apply')).code).toBe(0);
    // then desiredCount is still what autoscaling set, not the manifest's 2
    expect((await describeService('prod', 'web'))?.desiredCount).toBe(3);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const result = await cli('apply', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Plan: ${EXAMPLE_CREATED} to create`);
    expect(result.stdout).toMatch(/PreSync\s+Task\/web-migrate\s+runs before Service\/web and must exit 0/);
    expect(writes()).toEqual({});
  });

  it('--output json reports every entry and rollout as data', async () => {
    const result = await cli('apply', '--wait', '--output', 'json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      entries: { key: string; outcome: string; writes: string[] }[];
      rollouts: { service: string; state: string }[];
    };
    expect(parsed.summary.created).toBe(EXAMPLE_CREATED);
    expect(parsed.entries.find((e) => e.key === 'Service/web')?.writes).toEqual(['CreateService']);
    expect(parsed.rollouts.map((r) => [r.service, r.state])).toEqual([
      ['api', 'Healthy'],
      ['web', 'Healthy'],
      ['worker', 'Healthy'],
    ]);
  });

  it('exits 2 with a clear message when AWS is unreachable', async () => {
    const out = sink();
    const err = sink();
    const code = await runCli(['apply', '--path', dir, '--endpoint-url', 'http://127.0.0.1:9'], {
      stdout: out.stream,
      stderr: err.stream,
      env: {},
      cwd: dir,
      stopSignal: new AbortController().signal,
    });
    expect(code).toBe(2);
    expect(err.text()).toMatch(/cannot reach AWS/);
    expect(err.text()).not.toMatch(/at .*\.ts:\d+/);
  });
});
