// The outcome of a run-to-completion task, from DescribeTasks: Running until every task is
// STOPPED; Succeeded when every essential container of every task exited 0; Failed otherwise, with
// the reasons people need to act (stopCode and stoppedReason, each non-zero exit code, the
// CloudWatch log stream when the container logs with awslogs). Pure.
import type { DesiredState, DesiredTask } from '../manifest/model.js';

export interface TaskRunContainer {
  readonly name: string;
  readonly exitCode?: number;
  /** Why the container stopped (e.g. CannotPullContainerError …). */
  readonly reason?: string;
}

export interface TaskRunView {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly TaskRunContainer[];
}

/** What the task definition says of a container: essential (default true) and its awslogs stream. */
export interface ContainerLogging {
  readonly name: string;
  readonly essential: boolean;
  /** awslogs-group and awslogs-stream-prefix, when the container logs with awslogs. */
  readonly awslogs?: { readonly group: string; readonly streamPrefix?: string };
}

export type TaskRunOutcome =
  | { readonly state: 'Running'; readonly message: string }
  | {
      readonly state: 'Succeeded';
      readonly message: string;
      readonly exitCodes: Readonly<Record<string, number>>;
    }
  | {
      readonly state: 'Failed';
      readonly message: string;
      readonly exitCodes: Readonly<Record<string, number>>;
      readonly stoppedReason?: string;
      readonly logStreams: readonly string[];
    };

const taskId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** awslogs names a task's stream `<prefix>/<container>/<task id>` (no prefix: no predictable name). */
export function logStreamOf(container: ContainerLogging, taskArn: string): string | undefined {
  const logs = container.awslogs;
  if (!logs?.streamPrefix) return undefined;
  return `${logs.group}:${logs.streamPrefix}/${container.name}/${taskId(taskArn)}`;
}

export function evaluateTaskRun(
  tasks: readonly TaskRunView[],
  containers: readonly ContainerLogging[],
): TaskRunOutcome {
  if (tasks.length === 0) return { state: 'Running', message: 'waiting for the task to be described' };
  const running = tasks.filter((task) => task.lastStatus !== 'STOPPED');
  if (running.length > 0) {
    const states = [...new Set(running.map((task) => task.lastStatus))].join(', ');
    return { state: 'Running', message: `${running.length} of ${tasks.length} task(s) ${states}` };
  }
  const essential = new Map(containers.map((c) => [c.name, c]));
  const exitCodes: Record<string, number> = {};
  const problems: string[] = [];
  const logStreams: string[] = [];
  let stoppedReason: string | undefined;
  for (const task of tasks) {
    const id = taskId(task.taskArn);
    let failed = false;
    for (const container of task.containers) {
      const definition = essential.get(container.name);
      if (definition && !definition.essential) continue;
      const label = tasks.length > 1 ? `${id}/${container.name}` : container.name;
      if (container.exitCode !== undefined) exitCodes[label] = container.exitCode;
      if (container.exitCode === 0) continue;
      failed = true;
      problems.push(
        container.exitCode === undefined
          ? `container ${container.name} has no exit code${container.reason ? ` (${container.reason})` : ''}`
          : `container ${container.name} exited ${container.exitCode}${container.reason ? ` (${container.reason})` : ''}`,
      );
      const stream = definition ? logStreamOf(definition, task.taskArn) : undefined;
      if (stream) logStreams.push(stream);
    }
    if (failed) {
      stoppedReason ??= task.stoppedReason;
      problems.unshift(
        `task ${id} stopped: ${task.stopCode ?? 'unknown'}: ${task.stoppedReason ?? 'no reason given'}`,
      );
    }
  }
  if (problems.length === 0) {
    const codes = Object.entries(exitCodes)
      .map(([name, code]) => `${name}=${code}`)
      .join(', ');
    return { state: 'Succeeded', message: `exited 0 (${codes || 'no essential container'})`, exitCodes };
  }
  const logs = logStreams.length > 0 ? `; logs: ${logStreams.join(', ')}` : '';
  return {
    state: 'Failed',
    message: `${problems.join('; ')}${logs}`,
    exitCodes,
    ...(stoppedReason ? { stoppedReason } : {}),
    logStreams,
  };
}

/** Essential containers and their awslogs streams, from the Task's TaskDefinition manifest. */
export function containersOf(task: DesiredTask, desired: DesiredState): ContainerLogging[] {
  if (task.taskDefinition.type !== 'manifest') return [];
  const name = task.taskDefinition.name;
  const definition = desired.resources.find((r) => r.kind === 'TaskDefinition' && r.name === name);
  if (definition?.kind !== 'TaskDefinition') return [];
  return definition.spec.containerDefinitions.map((container) => {
    const log = container.logConfiguration;
    const options = (log?.options ?? {}) as Record<string, string>;
    const group = options['awslogs-group'];
    return {
      name: container.name,
      essential: container.essential !== false,
      ...(log?.logDriver === 'awslogs' && group
        ? {
            awslogs: {
              group,
              ...(options['awslogs-stream-prefix'] ? { streamPrefix: options['awslogs-stream-prefix'] } : {}),
            },
          }
        : {}),
    };
  });
}
