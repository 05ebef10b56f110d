import { describe, expect, it } from 'vitest';
import { CLUSTER, edit, problemsOf, resourcesOf, TASK_DEFINITION } from './helpers.js';

const CANARY = `apiVersion: ecs-gitops/v1
kind: Service
metadata:
  name: web
  annotations:
    ecs-gitops/approval: manual
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 2
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
  deploymentConfiguration:
    strategy: CANARY
    lifecycleHooks:
      - {targetType: AWS_LAMBDA, hookTargetArn: "arn:aws:lambda:us-east-1:123456789012:function:smoke", roleArn: "arn:aws:iam::123456789012:role/hooks", lifecycleStages: [POST_SCALE_UP]}
`;

const files = (service: string) => ({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, service].join('---\n') });

function deploymentConfiguration(service: string) {
  const found = resourcesOf(files(service)).find((r) => r.kind === 'Service');
  if (found?.kind !== 'Service') throw new Error('no service');
  return found.spec.deploymentConfiguration as { lifecycleHooks?: unknown[] };
}

describe('ecs-gitops/approval', () => {
  it('appends a PAUSE hook before every production shift of a CANARY service, keeping its own hooks', () => {
    expect(deploymentConfiguration(CANARY).lifecycleHooks).toEqual([
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke',
        roleArn: 'arn:aws:iam::123456789012:role/hooks',
        lifecycleStages: ['POST_SCALE_UP'],
      },
      { targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] },
    ]);
  });

  it('waits after the test traffic shift for BLUE_GREEN, or at the stages approval-stages names', () => {
    const blueGreen = edit(CANARY, 'strategy: CANARY', 'strategy: BLUE_GREEN\n    bakeTimeInMinutes: 5');
    expect(deploymentConfiguration(blueGreen).lifecycleHooks?.at(-1)).toEqual({
      targetType: 'PAUSE',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    });
    const named = edit(
      CANARY,
      'ecs-gitops/approval: manual',
      'ecs-gitops/approval: manual\n    ecs-gitops/approval-stages: "POST_SCALE_UP, POST_PRODUCTION_TRAFFIC_SHIFT"',
    );
    expect(deploymentConfiguration(named).lifecycleHooks?.at(-1)).toEqual({
      targetType: 'PAUSE',
      lifecycleStages: ['POST_SCALE_UP', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
    });
  });

  it('names the file, line and annotation of a gate that cannot work', () => {
    // line 26, column 26: the value of ecs-gitops/approval in the joined file
    expect([CLUSTER, TASK_DEFINITION, CANARY].join('---\n').split('\n')[25]).toBe(
      '    ecs-gitops/approval: manual',
    );
    const rolling = edit(CANARY, 'strategy: CANARY', 'strategy: ROLLING');
    expect(problemsOf(files(rolling))).toEqual([
      expect.stringMatching(
        /^fleet\.yaml:26:26: Service\/web: metadata\.annotations\["ecs-gitops\/approval"\]: a deployment gate needs deploymentConfiguration\.strategy BLUE_GREEN, LINEAR or CANARY/,
      ),
    ]);
    const typo = edit(CANARY, 'approval: manual', 'approval: manul');
    expect(problemsOf(files(typo))[0]).toMatch(
      /invalid value "manul" for annotation ecs-gitops\/approval; use manual or none/,
    );
    const stage = edit(
      CANARY,
      'ecs-gitops/approval: manual',
      'ecs-gitops/approval: manual\n    ecs-gitops/approval-stages: PRODUCTION_TRAFFIC_SHIFT',
    );
    expect(problemsOf(files(stage))[0]).toMatch(/a gate cannot wait at "PRODUCTION_TRAFFIC_SHIFT"/);
    const badOption = edit(
      CANARY,
      'ecs-gitops/approval: manual',
      'ecs-gitops/analysis: "http://checks/web count=0"',
    );
    expect(problemsOf(files(badOption))[0]).toMatch(/invalid analysis option "count=0"/);
    const notUrl = edit(CANARY, 'ecs-gitops/approval: manual', 'ecs-gitops/analysis: checks/web');
    expect(problemsOf(files(notUrl))[0]).toMatch(/expected an http\(s\) URL/);
  });

  it('ecs-gitops/analysis alone puts the same PAUSE hook in, answered by the HTTP check', () => {
    const analysis = edit(
      CANARY,
      'ecs-gitops/approval: manual',
      'ecs-gitops/analysis: "http://checks.internal/web/health count=5 interval=30s timeout=2s"',
    );
    const service = resourcesOf(files(analysis)).find((r) => r.kind === 'Service');
    if (service?.kind !== 'Service') throw new Error('no service');
    expect(service.gate).toEqual({
      stages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
      manual: false,
      analysis: {
        url: 'http://checks.internal/web/health',
        count: 5,
        intervalSeconds: 30,
        timeoutSeconds: 2,
      },
    });
    expect(deploymentConfiguration(analysis).lifecycleHooks?.at(-1)).toEqual({
      targetType: 'PAUSE',
      lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
    });
  });

  it('changes nothing without the annotation', () => {
    const plain = edit(CANARY, '  annotations:\n    ecs-gitops/approval: manual\n', '');
    expect(deploymentConfiguration(plain).lifecycleHooks).toHaveLength(1);
  });
});
