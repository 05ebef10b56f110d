// End-to-end: a PreSync migration hook guarding the web service, with `run`'s controller against a
// real Git remote and the emulator (its tasks exit with the code EMULATOR_EXIT_CODE names).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, type Harness, startHarness, waitForStatus } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function migration(exitCode: string, runSeconds = '5'): string {
  return `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: migrate}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: migrate
      image: example/web-migrations:1
      environment:
        - {name: EMULATOR_EXIT_CODE, value: "${exitCode}"}
        - {name: EMULATOR_RUN_SECONDS, value: "${runSeconds}"}
      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/migrate, awslogs-region: us-east-1, awslogs-stream-prefix: migrate}
---
apiVersion: ecs-gitops/v1
kind: Task
metadata:
  name: migrate
  annotations:
    ecs-gitops/hook: PreSync
    ecs-gitops/hook-for: Service/web
spec:
  cluster: prod
  taskDefinition: migrate
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1b2c3d4e5f60001], securityGroups: [sg-0a1b2c3d4e5f60001]}
`;
}

async function webWith(image: string): Promise<string> {
  const web = await readFile(join(EXAMPLES, 'web.yaml'), 'utf8');
  return web.replace('public.ecr.aws/nginx/nginx:1.27', image);
}

async function webImage(h: Harness): Promise<string | undefined> {
  const out = await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  const td = await h.emulator.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: out.services![0]!.taskDefinition! }),
  );
  return td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'web')?.image;
}

async function hookTasks(h: Harness): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const out = await h.emulator.ecs.send(
      new ListTasksCommand({ cluster: 'prod', family: 'migrate', desiredStatus }),
    );
    arns.push(...(out.taskArns ?? []));
  }
  return arns;
}

function syncFailedAlerts(h: Harness): Array<{ resource?: string; message?: string }> {
  return h.receiver.received
    .map(
      (r) =>
        JSON.parse(r.body) as {
          type?: string;
          event?: { type?: string; resource?: string; message?: string };
        },
    )
    .map((body) => body.event ?? (body as { type?: string; resource?: string; message?: string }))
    .filter((event) => event.type === 'SyncFailed');
}

describe('PreSync hook Tasks, end to end', () => {
  it('runs the migration before the service update, blocks the update when it exits 1 (one alert), and never runs it twice across a restart', async () => {
    harness = await startHarness();
    const h = harness;
    await waitForStatus(
      h.app,
      (s) => s.resources.length === 7 && s.resources.every((r) => r.sync === 'Synced'),
    );

    // 1. A commit changes the image and brings the migration: the task runs first, exits 0, then web updates.
    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('0'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28 with its migration',
    );
    const first = await waitForStatus(
      h.app,
      (s) =>
        s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Healthy' &&
        s.resources.find((r) => r.key === 'Service/web')?.sync === 'Synced',
      30_000,
    );
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.28');
    const runs = first.resources.find((r) => r.key === 'Task/migrate')?.hookRuns ?? [];
    expect(runs[0]).toMatchObject({ phase: 'PreSync', state: 'Succeeded', exitCodes: { migrate: 0 } });
    const [taskArn] = await hookTasks(h);
    const task = (await h.emulator.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn!] })))
      .tasks![0]!;
    const service = (
      await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))
    ).services![0]!;
    const primary = service.deployments!.find((d) => d.status === 'PRIMARY')!;
    // The guarded update was made only after every essential container had exited.
    expect(primary.createdAt!.getTime()).toBeGreaterThanOrEqual(task.executionStoppedAt!.getTime());
    expect(await hookTasks(h)).toHaveLength(1);

    // 2. The next migration exits 1: web is not updated, Failed with the exit code and the log stream, one alert.
    await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('1'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.29'),
      },
      'web 1.29, migration fails',
    );
    const failed = await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.sync === 'Failed',
      30_000,
    );
    const failedTask = failed.resources.find((r) => r.key === 'Task/migrate')!;
    expect(failedTask.health).toBe('Degraded');
    expect(failedTask.healthMessage).toMatch(/container migrate exited 1/);
    expect(failedTask.healthMessage).toMatch(/Essential container in task exited/);
    expect(failedTask.healthMessage).toMatch(/logs: \/ecs\/migrate:migrate\/migrate\/[0-9a-f]{32}/);
    const web = failed.resources.find((r) => r.key === 'Service/web')!;
    expect(web.sync).toBe('OutOfSync');
    expect(web.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'hook-failed',
    });
    // Several resync passes later: still 1.28, still one alert, still no second run.
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 3, 15_000);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.28');
    const alerts = syncFailedAlerts(h).filter((a) => a.resource === 'Task/migrate');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toMatch(
      /PreSync hook Task\/migrate failed: .*exited 1.*Service\/web not updated/,
    );
    expect(await hookTasks(h)).toHaveLength(2);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="failed"} 1');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="succeeded"} 1');

    // 3. A restart while the next migration runs does not start it twice.
    await h.repo.commit({ 'manifests/migrate.yaml': migration('0', '120') }, 'slow migration that succeeds');
    await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Progressing',
      30_000,
    );
    expect(await hookTasks(h)).toHaveLength(3);
    await h.app.stop();
    await h.start();
    await waitForStatus(
      h.app,
      (s) =>
        s.resources.find((r) => r.key === 'Task/migrate')?.health === 'Healthy' &&
        s.resources.find((r) => r.key === 'Service/web')?.sync === 'Synced',
      30_000,
    );
    expect(await hookTasks(h)).toHaveLength(3);
    expect(await webImage(h)).toBe('public.ecr.aws/nginx/nginx:1.29');
  }, 120_000);
});
