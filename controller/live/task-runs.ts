// Reads run-to-completion tasks (hook runs, run-task): DescribeTasks, at most 100 per call.
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import type { TaskRunView } from '../health/task-run.js';
import { callAws } from './ecs-reads.js';

export async function describeTaskRuns(
  clients: Pick<AwsClients, 'ecs'>,
  cluster: string,
  taskArns: readonly string[],
): Promise<TaskRunView[]> {
  const views: TaskRunView[] = [];
  for (let start = 0; start < taskArns.length; start += 100) {
    const out = await callAws('DescribeTasks', () =>
      clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(start, start + 100) })),
    );
    for (const task of out.tasks ?? []) {
      views.push({
        taskArn: task.taskArn ?? '',
        lastStatus: task.lastStatus ?? 'UNKNOWN',
        ...(task.stopCode ? { stopCode: task.stopCode } : {}),
        ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
        containers: (task.containers ?? []).map((container) => ({
          name: container.name ?? '',
          ...(container.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
          ...(container.reason ? { reason: container.reason } : {}),
        })),
      });
    }
    // A task ECS no longer knows (stopped over an hour ago) is reported as STOPPED without codes.
    for (const failure of out.failures ?? []) {
      if (failure.arn)
        views.push({
          taskArn: failure.arn,
          lastStatus: 'STOPPED',
          stoppedReason: `task ${failure.reason ?? 'MISSING'}`,
          containers: [],
        });
    }
  }
  return views;
}
