// A ScheduledTask's ECS target is a RunTask template (EventBridge Scheduler's EcsParameters), so
// `run-task ScheduledTask/NAME` can run it now, outside the schedule, as the Scheduler would: the
// same cluster, task definition, launch/capacity, network, placement, overrides and tags, `count`
// from taskCount. Pure: a ScheduledTask in, the Task manifest its target stands for out.
import type { DesiredScheduledTask, DesiredTask } from './model.js';

export function taskOfSchedule(schedule: DesiredScheduledTask): DesiredTask {
  const {
    cluster: _cluster,
    taskDefinition: _taskDefinition,
    roleArn: _role,
    ...target
  } = schedule.spec.target;
  const { taskCount, tags, retryPolicy: _retry, deadLetterConfig: _dlq, ...runTask } = target;
  return {
    kind: 'Task',
    name: schedule.name,
    key: { kind: 'Task', name: schedule.name },
    metadata: schedule.metadata,
    policy: schedule.policy,
    source: schedule.source,
    cluster: schedule.cluster,
    taskDefinition: schedule.taskDefinition,
    spec: { ...runTask, ...(taskCount !== undefined ? { count: taskCount } : {}) },
    tags: { ...(tags ?? {}) },
  };
}
