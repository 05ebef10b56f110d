// `ecs-gitops run-task Task/NAME`: runs a Task manifest (or `ScheduledTask/NAME`: the RunTask its
// schedule makes) once, on demand, and follows it to its exit code (exit 0 when every essential
// container exited 0, 1 when the task failed, 2 on an error). Its
// TaskDefinition manifest must already be registered (apply or run first); the run carries a fresh
// clientToken, so each invocation is its own run.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { runTask } from '../apply/run-task.js';
import { createAwsClients } from '../aws/clients.js';
import { addAwsOptions, addSourceOptions, resolveConfig } from '../config.js';
import { diffResources } from '../diff/index.js';
import { formatProblem } from '../errors.js';
import { containersOf, evaluateTaskRun } from '../health/task-run.js';
import { readLive } from '../live/index.js';
import { describeTaskRuns } from '../live/task-runs.js';
import type { DesiredResource, DesiredScheduledTask, DesiredTask } from '../manifest/model.js';
import { taskOfSchedule } from '../manifest/schedule-run.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { type CliContext, writeLine } from './context.js';
import { describeAwsFailure } from './diff.js';
import { loadDesired } from './load-desired.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Task manifest `Task/NAME` (or NAME), or the run a `ScheduledTask/NAME`'s target makes. */
function runnable(
  resources: readonly DesiredResource[],
  wanted: string,
): { task: DesiredTask; label: string } | { missing: string } {
  const schedule = /^ScheduledTask\/(.+)$/.exec(wanted)?.[1];
  const kind = schedule !== undefined ? 'ScheduledTask' : 'Task';
  const name = schedule ?? wanted.replace(/^Task\//, '');
  const found = resources.find(
    (r): r is DesiredScheduledTask | DesiredTask => r.kind === kind && r.name === name,
  );
  if (found?.kind === 'ScheduledTask') return { task: taskOfSchedule(found), label: `${kind}/${name}` };
  if (found?.kind === 'Task') return { task: found, label: `${kind}/${name}` };
  const names = resources.filter((r) => r.kind === kind).map((r) => `${kind}/${r.name}`);
  return {
    missing: `no ${kind}/${name} in the manifests${names.length ? ` (there is ${names.join(', ')})` : ''}`,
  };
}

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('run-task')
    .argument(
      '<task>',
      'the Task manifest to run, as Task/NAME (or NAME), or ScheduledTask/NAME to run its target now',
    )
    .description(
      "run a Task manifest (or a ScheduledTask's target) once and follow it to its exit code (exit 0 ok, 1 failed, 2 error)",
    )
    .option('--poll-interval <duration>', 'how often to look at the task (ms)', '2000');
  addSourceOptions(command);
  addAwsOptions(command);
  command.action(async (name: string, raw: Record<string, unknown>) => {
    const config = resolveConfig(raw, ctx.env);
    const { result } = await loadDesired(config, ctx.cwd);
    if (!result.ok) {
      for (const problem of result.problems) writeLine(ctx.stderr, formatProblem(problem));
      writeLine(ctx.stderr, 'error: the manifests have problems; nothing run');
      ctx.setExitCode(2);
      return;
    }
    const found = runnable(result.desired.resources, name);
    if ('missing' in found) {
      writeLine(ctx.stderr, `error: ${found.missing}`);
      ctx.setExitCode(2);
      return;
    }
    const { task, label } = found;
    const clients = createAwsClients(config.aws);
    try {
      let taskDefinition: string;
      if (task.taskDefinition.type === 'external') {
        taskDefinition = task.taskDefinition.value;
      } else {
        const tdName = task.taskDefinition.name;
        const live = await readLive(clients, result.desired, {
          instance: config.instance,
          discoverOrphans: false,
        });
        const diff = diffResources(result.desired, live, {
          instance: config.instance,
          pruneCandidates: false,
        }).find((d) => d.key.kind === 'TaskDefinition' && d.key.name === tdName);
        const arn = diff?.action === 'noop' ? diff.taskDefinition?.arn : undefined;
        if (!arn) {
          writeLine(
            ctx.stderr,
            `error: TaskDefinition/${tdName} as Git has it is not registered yet; run \`ecs-gitops apply\` (or the controller) first`,
          );
          ctx.setExitCode(2);
          return;
        }
        taskDefinition = arn;
      }
      const started = await runTask(clients, {
        cluster: task.cluster.clusterName,
        taskDefinition,
        spec: task.spec as Record<string, unknown>,
        tags: { ...task.tags, [OWNERSHIP_TAGS.managedBy]: config.instance },
        clientToken: `ecs-gitops-run-${randomUUID()}`,
        startedBy: 'ecs-gitops-run-task',
      });
      if (started.taskArns.length === 0) {
        writeLine(
          ctx.stderr,
          `error: RunTask started no task: ${started.failures.join('; ') || 'no reason given'}`,
        );
        ctx.setExitCode(1);
        return;
      }
      writeLine(ctx.stdout, `started ${started.taskArns.join(', ')} (${taskDefinition})`);
      const interval = Math.max(10, Number(raw.pollInterval) || 2000);
      const containers = containersOf(task, result.desired);
      for (;;) {
        const views = await describeTaskRuns(clients, task.cluster.clusterName, started.taskArns);
        const outcome = evaluateTaskRun(views, containers);
        if (outcome.state === 'Succeeded') {
          writeLine(ctx.stdout, `${label} succeeded: ${outcome.message}`);
          return;
        }
        if (outcome.state === 'Failed') {
          writeLine(ctx.stdout, `${label} failed: ${outcome.message}`);
          ctx.setExitCode(1);
          return;
        }
        await sleep(interval);
      }
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
    } finally {
      clients.destroy();
    }
  });
}
