// Manifests and readings shared by the hook end-to-end tests: hook Tasks whose containers exit with
// the code EMULATOR_EXIT_CODE names, the example web service with another image, and what the
// emulator and the alert receiver saw.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import type { HookPhase } from '../../controller/manifest/model.js';
import { EXAMPLES, type Harness, waitForStatus } from './harness.js';

export interface HookTaskOptions {
  readonly name: string;
  readonly phase: HookPhase;
  readonly exitCode: string;
  readonly runSeconds?: string;
  /** `Service/web` by default; null: the whole revision. */
  readonly hookFor?: string | null;
}

/** A TaskDefinition and a hook Task of the same name, in the example fleet's cluster and subnets. */
export function hookTask(options: HookTaskOptions): string {
  const hookFor = options.hookFor === undefined ? 'Service/web' : options.hookFor;
  return `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: ${options.name}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: ${options.name}
      image: example/web-${options.name}:1
      environment:
        - {name: EMULATOR_EXIT_CODE, value: "${options.exitCode}"}
        - {name: EMULATOR_RUN_SECONDS, value: "${options.runSeconds ?? '5'}"}
      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/${options.name}, awslogs-region: us-east-1, awslogs-stream-prefix: ${options.name}}
---
apiVersion: ecs-gitops/v1
kind: Task
metadata:
  name: ${options.name}
  annotations:
    ecs-gitops/hook: ${options.phase}
${hookFor ? `    ecs-gitops/hook-for: ${hookFor}\n` : ''}spec:
  cluster: prod
  taskDefinition: ${options.name}
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1b2c3d4e5f60001], securityGroups: [sg-0a1b2c3d4e5f60001]}
`;
}

/** The PreSync migration guarding web (the shape docs/tasks.md shows). */
export function migration(exitCode: string, runSeconds = '5'): string {
  return hookTask({ name: 'migrate', phase: 'PreSync', exitCode, runSeconds });
}

export async function webWith(image: string): Promise<string> {
  const web = await readFile(join(EXAMPLES, 'web.yaml'), 'utf8');
  return web.replace('public.ecr.aws/nginx/nginx:1.27', image);
}

export async function webImage(h: Harness): Promise<string | undefined> {
  const out = await h.emulator.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  const td = await h.emulator.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: out.services![0]!.taskDefinition! }),
  );
  return td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'web')?.image;
}

/** Every task (running or stopped) of a task definition family in the prod cluster. */
export async function tasksOf(h: Harness, family: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const out = await h.emulator.ecs.send(new ListTasksCommand({ cluster: 'prod', family, desiredStatus }));
    arns.push(...(out.taskArns ?? []));
  }
  if (arns.length === 0) return [];
  return (await h.emulator.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? [];
}

export function syncFailedAlerts(h: Harness): Array<{ resource?: string; message?: string }> {
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

/** Waits for `count` more passes of the running controller (steady resyncs). */
export async function morePasses(h: Harness, count = 3): Promise<void> {
  const passes = h.app.reconciler.passes;
  await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + count, 15_000);
}
