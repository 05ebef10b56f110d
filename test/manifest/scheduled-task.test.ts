// The ScheduledTask kind: an EventBridge Scheduler schedule with an ECS target, validated as the
// Scheduler API would (expression, timezone, window, dates) with file:line:column problems.
import { describe, expect, it } from 'vitest';
import { scheduleExpressionProblem } from '../../controller/manifest/scheduled-task-rules.js';
import { CLUSTER, edit, problemsOf, resourcesOf, TASK_DEFINITION } from './helpers.js';

const NIGHTLY = `apiVersion: ecs-gitops/v1
kind: ScheduledTask
metadata: {name: nightly}
spec:
  scheduleExpression: cron(0 3 * * ? *)
  scheduleExpressionTimezone: Europe/Berlin
  flexibleTimeWindow: {mode: FLEXIBLE, maximumWindowInMinutes: 15}
  target:
    cluster: prod
    taskDefinition: web
    roleArn: arn:aws:iam::123456789012:role/ecs-gitops-scheduler
    launchType: FARGATE
    networkConfiguration:
      awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
`;

const FLEET = [CLUSTER, TASK_DEFINITION].join('---\n');

describe('kind: ScheduledTask', () => {
  it('loads with its schedule name, cluster and task definition resolved', () => {
    const scheduled = resourcesOf({ 'fleet.yaml': FLEET, 'nightly.yaml': NIGHTLY }).find(
      (r) => r.kind === 'ScheduledTask',
    );
    expect(scheduled).toMatchObject({
      scheduleName: 'nightly',
      cluster: { type: 'manifest', clusterName: 'prod' },
      taskDefinition: { type: 'manifest', name: 'web' },
    });
  });

  it('reports a bad expression, timezone, window and an unknown task definition with file:line', () => {
    const bad = edit(
      edit(edit(NIGHTLY, 'cron(0 3 * * ? *)', 'cron(0 3 * * * *)'), 'Europe/Berlin', 'Mars/Olympus'),
      'taskDefinition: web',
      'taskDefinition: wbe',
    );
    const problems = problemsOf({
      'fleet.yaml': FLEET,
      'nightly.yaml': edit(bad, '{mode: FLEXIBLE, maximumWindowInMinutes: 15}', '{mode: FLEXIBLE}'),
    });
    expect(problems).toEqual([
      'nightly.yaml:5:23: ScheduledTask/nightly: spec.scheduleExpression: exactly one of day-of-month and day-of-week must be "?" (e.g. cron(0 3 * * ? *))',
      'nightly.yaml:6:31: ScheduledTask/nightly: spec.scheduleExpressionTimezone: "Mars/Olympus" is not an IANA timezone (e.g. Europe/Berlin, America/New_York, UTC)',
      'nightly.yaml:7:23: ScheduledTask/nightly: spec.flexibleTimeWindow: mode FLEXIBLE needs maximumWindowInMinutes (1-1440)',
      'nightly.yaml:10:21: ScheduledTask/nightly: spec.target.taskDefinition: TaskDefinition "wbe" is not defined in this repository (did you mean "web"?); an external task definition must be given as family:revision or as its ARN',
    ]);
  });

  it('accepts the Scheduler expression forms and refuses the rest', () => {
    for (const ok of [
      'rate(1 minute)',
      'rate(5 minutes)',
      'at(2030-01-01T00:00:00)',
      'cron(0/15 8-17 ? * MON-FRI *)',
      'cron(0 10 L * ? *)',
    ]) {
      expect(scheduleExpressionProblem(ok), ok).toBeUndefined();
    }
    for (const bad of [
      'rate(0 minutes)',
      'every day',
      'cron(0 3 * *)',
      'cron(0 3 ? * ? *)',
      'at(2030-13-01T00:00:00)',
    ]) {
      expect(scheduleExpressionProblem(bad), bad).toBeDefined();
    }
  });
});
