// Starts run-to-completion tasks (hooks, run-task) and stops them (a hook past its timeout).
// RunTask carries a clientToken: the same token and request return the tasks the first call
// started, so a retry or a restarted controller never starts a second run.
import { RunTaskCommand, type RunTaskCommandInput, StopTaskCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { toAwsError } from '../aws/clients.js';

export interface RunTaskRequest {
  readonly cluster: string;
  readonly taskDefinition: string;
  /** The Task manifest's spec: RunTask input members other than cluster, taskDefinition, tags. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly clientToken: string;
  readonly startedBy: string;
}

export interface RunTaskResult {
  readonly taskArns: readonly string[];
  /** Tasks ECS could not place (reason per ARN). */
  readonly failures: readonly string[];
}

export async function runTask(
  clients: Pick<AwsClients, 'ecs'>,
  request: RunTaskRequest,
): Promise<RunTaskResult> {
  const input = {
    ...(request.spec as Partial<RunTaskCommandInput>),
    cluster: request.cluster,
    taskDefinition: request.taskDefinition,
    clientToken: request.clientToken,
    startedBy: request.startedBy,
    ...(Object.keys(request.tags).length > 0
      ? { tags: Object.entries(request.tags).map(([key, value]) => ({ key, value })) }
      : {}),
  } as RunTaskCommandInput;
  try {
    const out = await clients.ecs.send(new RunTaskCommand(input));
    return {
      taskArns: (out.tasks ?? []).map((task) => task.taskArn ?? '').filter((arn) => arn !== ''),
      failures: (out.failures ?? []).map((failure) => `${failure.arn ?? ''} ${failure.reason ?? ''}`.trim()),
    };
  } catch (error) {
    throw toAwsError('RunTask', error);
  }
}

export async function stopTask(
  clients: Pick<AwsClients, 'ecs'>,
  cluster: string,
  taskArn: string,
  reason: string,
): Promise<void> {
  try {
    await clients.ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
  } catch (error) {
    throw toAwsError('StopTask', error);
  }
}
