// The Task kind: a RunTask input with hook annotations, validated with file:line:column problems.
import { describe, expect, it } from 'vitest';
import { hooksDue, hookToken } from '../../controller/plan/hooks.js';
import { edit, FLEET, load, problemsOf, resourcesOf } from './helpers.js';

const MIGRATE = `apiVersion: ecs-gitops/v1
kind: Task
metadata:
  name: migrate
  annotations:
    ecs-gitops/hook: PreSync
    ecs-gitops/hook-for: Service/web
    ecs-gitops/hook-timeout: 10m
spec:
  cluster: prod
  taskDefinition: web
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
  overrides:
    containerOverrides: [{name: web, command: [./migrate, up]}]
`;

describe('kind: Task', () => {
  it('given a PreSync hook for Service/web, then it loads with its cluster, task definition, guards and timeout', () => {
    const task = resourcesOf({ 'fleet.yaml': FLEET, 'migrate.yaml': MIGRATE }).find((r) => r.kind === 'Task');
    expect(task).toMatchObject({
      kind: 'Task',
      name: 'migrate',
      cluster: { type: 'manifest', clusterName: 'prod' },
      taskDefinition: { type: 'manifest', name: 'web', family: 'web' },
      hook: { phase: 'PreSync', for: ['web'], timeoutSeconds: 600 },
      spec: { launchType: 'FARGATE', overrides: { containerOverrides: [{ name: 'web' }] } },
    });
    expect(task && 'spec' in task && 'cluster' in task.spec).toBe(false);
  });

  it('reports bad hook annotations, unknown guards and containers, and a missing network with file:line', () => {
    const bad = edit(
      edit(
        edit(MIGRATE, 'ecs-gitops/hook: PreSync', 'ecs-gitops/hook: PreSnyc'),
        'ecs-gitops/hook-for: Service/web',
        'ecs-gitops/hook-for: Service/wbe, Cluster/prod',
      ),
      'ecs-gitops/hook-timeout: 10m',
      'ecs-gitops/hook-timeout: soon',
    );
    const problems = problemsOf({
      'fleet.yaml': FLEET,
      'migrate.yaml': edit(
        edit(
          bad,
          '  overrides:\n    containerOverrides: [{name: web,',
          '  overrides:\n    containerOverrides: [{name: wbe,',
        ),
        '  networkConfiguration:\n    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}\n',
        '',
      ),
    });
    expect(problems).toEqual([
      'migrate.yaml:6:22: Task/migrate: metadata.annotations["ecs-gitops/hook"]: invalid value "PreSnyc" for annotation ecs-gitops/hook; use PreSync or PostSync or SyncFail (did you mean "PreSync"?)',
      'migrate.yaml:7:26: Task/migrate: metadata.annotations["ecs-gitops/hook-for"]: Service "wbe" is not defined in this repository (did you mean "web"?); a hook guards Service manifests',
      'migrate.yaml:7:26: Task/migrate: metadata.annotations["ecs-gitops/hook-for"]: "Cluster/prod" is not Service/NAME; a hook guards Services (comma-separated for several)',
      'migrate.yaml:8:30: Task/migrate: metadata.annotations["ecs-gitops/hook-timeout"]: invalid hook timeout "soon"; use seconds or a duration like 90s, 10m, 2h (at most 24h)',
      'migrate.yaml:10:3: Task/migrate: spec: TaskDefinition/web uses networkMode awsvpc, so the Task needs networkConfiguration.awsvpcConfiguration (subnets and security groups)',
      'migrate.yaml:14:33: Task/migrate: spec.overrides.containerOverrides[0].name: TaskDefinition/web has no container named "wbe" (did you mean "web"?)',
    ]);
  });

  it('refuses hook annotations on other kinds and hook-for without hook', () => {
    const problems = problemsOf({
      'fleet.yaml': edit(
        FLEET,
        'metadata: {name: web}\nspec:\n  cluster: prod',
        'metadata: {name: web, annotations: {ecs-gitops/hook: PreSync}}\nspec:\n  cluster: prod',
      ),
      'migrate.yaml': edit(MIGRATE, '    ecs-gitops/hook: PreSync\n', ''),
    });
    expect(
      problems.some((p) => /Service\/web: .*annotation ecs-gitops\/hook only applies to a Task/.test(p)),
    ).toBe(true);
    expect(problems.some((p) => /Task\/migrate: .*ecs-gitops\/hook-for needs ecs-gitops\/hook/.test(p))).toBe(
      true,
    );
  });

  it('a hook is due only when a service it guards is deployed; its token depends on revision and task only', () => {
    const result = load({ 'fleet.yaml': FLEET, 'migrate.yaml': MIGRATE });
    if (!result.ok) throw new Error('expected a valid revision');
    expect(hooksDue(result.desired, 'PreSync', new Set())).toEqual([]);
    const due = hooksDue(result.desired, 'PreSync', new Set(['Service/web' as const]));
    expect(due.map((d) => [d.task.name, d.deploying])).toEqual([['migrate', ['Service/web']]]);
    expect(due[0]?.token).toBe(hookToken('test', 'migrate', 'PreSync'));
    expect(hookToken('test', 'migrate', 'PreSync')).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(hookToken('other', 'migrate', 'PreSync')).not.toBe(hookToken('test', 'migrate', 'PreSync'));
  });
});
