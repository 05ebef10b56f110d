// `apply` and `diff` with hook Tasks, as an Argo CD user expects of a sync and its preview: diff
// lists the hooks a deploy would run; apply runs the PreSync migration first and waits for it, does
// not update the service when it fails (exit 1, the SyncFail hook runs), and with --wait runs the
// PostSync hook once the service is Healthy. Real CLI, real SDK, the emulator on a fast real clock.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/git.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { webFleet } from '../helpers/web-fleet.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 50 } });

const cli = (dir: string, ...args: string[]) =>
  runCliCaptured(
    [
      ...args,
      '--path',
      dir,
      '--endpoint-url',
      env().url,
      ...(args[0] === 'apply' ? ['--wait-interval', '100ms'] : []),
    ],
    { env: { AWS_REGION: 'us-east-1' } },
  );

const NETWORK = `networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1b2c3d4e5f60001], securityGroups: [sg-0a1b2c3d4e5f60001]}`;

function hook(name: string, phase: string, exitCode: string): string {
  return `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: ${name}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: ${name}
      image: example/${name}:1
      environment: [{name: EMULATOR_EXIT_CODE, value: "${exitCode}"}]
---
apiVersion: ecs-gitops/v1
kind: Task
metadata:
  name: ${name}
  annotations:
    ecs-gitops/hook: ${phase}
${phase === 'SyncFail' ? '' : '    ecs-gitops/hook-for: Service/web\n'}spec:
  cluster: prod
  taskDefinition: ${name}
  launchType: FARGATE
  ${NETWORK}
`;
}

async function tasksOf(family: string): Promise<Task[]> {
  const { ecs } = env();
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    arns.push(
      ...((await ecs.send(new ListTasksCommand({ cluster: 'prod', family, desiredStatus }))).taskArns ?? []),
    );
  }
  return arns.length === 0
    ? []
    : ((await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? []);
}

async function webService() {
  return (await env().ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })))
    .services?.[0];
}

describe('apply and diff with hook Tasks', () => {
  it('diff lists the hooks; apply runs PreSync first, PostSync after --wait, and a failed PreSync stops the deploy (exit 1, SyncFail runs)', async () => {
    const tmp = await tempDir('apply-hooks-');
    try {
      const dir = join(tmp.path, 'fleet');
      await mkdir(dir);
      const write = async (files: Record<string, string>) => {
        for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
      };
      await write({
        'web.yaml': webFleet(),
        'migrate.yaml': hook('migrate', 'PreSync', '0'),
        'smoke.yaml': hook('smoke', 'PostSync', '0'),
        'cleanup.yaml': hook('cleanup', 'SyncFail', '0'),
      });

      // diff: the hooks a deploy of web would run, in text and JSON.
      const preview = await cli(dir, 'diff');
      expect(preview.stderr).toBe('');
      expect(preview.code).toBe(1);
      expect(preview.stdout).toMatch(/^Hooks \(run and apply wait for each/m);
      expect(preview.stdout).toMatch(
        /^ {2}PreSync {2}Task\/migrate +runs before Service\/web and must exit 0 for it to be updated$/m,
      );
      expect(preview.stdout).toMatch(/^ {2}PostSync Task\/smoke +runs once Service\/web is Healthy$/m);
      expect(preview.stdout).toMatch(/^ {2}SyncFail Task\/cleanup +runs if a hook of this revision fails$/m);
      const json = JSON.parse((await cli(dir, 'diff', '--output', 'json')).stdout) as { hooks: unknown[] };
      expect(json.hooks).toEqual([
        { phase: 'PreSync', task: 'Task/migrate', guards: ['Service/web'] },
        { phase: 'PostSync', task: 'Task/smoke', guards: ['Service/web'] },
        { phase: 'SyncFail', task: 'Task/cleanup', guards: [] },
      ]);
      // apply --dry-run shows the same and runs nothing.
      const dry = await cli(dir, 'apply', '--dry-run');
      expect(dry.stdout).toMatch(/PreSync {2}Task\/migrate/);
      expect(env().calls()['ecs:RunTask'] ?? 0).toBe(0);

      // apply --wait: the migration runs and exits 0 before web is created; the smoke test after it is Healthy.
      const first = await cli(dir, 'apply', '--wait');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/✓ Task\/migrate PreSync hook succeeded: .*exited 0/);
      expect(first.stdout).toMatch(/✓ Task\/smoke PostSync hook succeeded/);
      expect(first.stdout.indexOf('Task/migrate PreSync hook succeeded')).toBeLessThan(
        first.stdout.indexOf('+ Service/web created'),
      );
      const [migration] = await tasksOf('migrate');
      const service = await webService();
      expect(service?.createdAt?.getTime()).toBeGreaterThanOrEqual(migration!.executionStoppedAt!.getTime());
      expect(await tasksOf('smoke')).toHaveLength(1);
      expect(await tasksOf('cleanup')).toHaveLength(0);

      // The same revision again: nothing to deploy, no hook runs again.
      const again = await cli(dir, 'apply');
      expect(again.code).toBe(0);
      expect(await tasksOf('migrate')).toHaveLength(1);

      // A release whose migration exits 1: web keeps its image, exit 1, the SyncFail hook ran once.
      await write({
        'web.yaml': webFleet({ image: 'public.ecr.aws/nginx/nginx:1.28' }),
        'migrate.yaml': hook('migrate', 'PreSync', '1'),
      });
      const failed = await cli(dir, 'apply');
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /error: revision .*PreSync hook Task\/migrate failed: .*exited 1.*Service\/web not updated/,
      );
      expect(failed.stdout).toMatch(/x Task\/migrate PreSync hook failed/);
      expect(failed.stdout).toMatch(/✓ Task\/cleanup SyncFail hook succeeded/);
      expect(failed.stdout).not.toMatch(/Service\/web configured/);
      const td = (await webService())?.taskDefinition;
      expect(td).toMatch(/task-definition\/web:1$/);
      expect(await tasksOf('cleanup')).toHaveLength(1);
      expect(await tasksOf('smoke')).toHaveLength(1);
      // Applied again, the failure is remembered (the hook ledger): no second migration.
      const remembered = await cli(dir, 'apply');
      expect(remembered.code).toBe(1);
      expect(await tasksOf('migrate')).toHaveLength(2);
      expect(await tasksOf('cleanup')).toHaveLength(1);
    } finally {
      await tmp.cleanup();
    }
  }, 120_000);
});
