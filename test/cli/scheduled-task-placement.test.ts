// A ScheduledTask that places its tasks (EC2: placementConstraints, placementStrategy) or spreads
// them over capacity providers round-trips through the emulator's EventBridge Scheduler over the
// real SDK: apply creates the schedule, and diff then finds it in sync (no perpetual update).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, TEST_REGION, useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 } });
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schedule-placement-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCliCaptured([...args, '--path', dir, '--endpoint-url', env().url], { env: { AWS_REGION: 'us-east-1' } });

const FLEET = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: batch}
spec:
  capacityProviders: [FARGATE, FARGATE_SPOT]
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: report}
spec:
  requiresCompatibilities: [EC2]
  networkMode: bridge
  memory: "512"
  containerDefinitions:
    - {name: report, image: example/report:1}
---
apiVersion: ecs-gitops/v1
kind: ScheduledTask
metadata: {name: placed-report}
spec:
  scheduleExpression: rate(1 day)
  target:
    cluster: batch
    taskDefinition: report
    roleArn: arn:aws:iam::123456789012:role/ecs-gitops-scheduler
    launchType: EC2
    placementConstraints:
      - {type: memberOf, expression: "attribute:ecs.instance-type =~ t3.*"}
      - {type: distinctInstance}
    placementStrategy:
      - {type: spread, field: "attribute:ecs.availability-zone"}
      - {type: binpack, field: memory}
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: sweep}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: sweep, image: example/sweep:1}
---
apiVersion: ecs-gitops/v1
kind: ScheduledTask
metadata: {name: spot-sweep}
spec:
  scheduleExpression: rate(1 hour)
  target:
    cluster: batch
    taskDefinition: sweep
    roleArn: arn:aws:iam::123456789012:role/ecs-gitops-scheduler
    capacityProviderStrategy:
      - {capacityProvider: FARGATE_SPOT, weight: 3}
      - {capacityProvider: FARGATE, weight: 1, base: 1}
    networkConfiguration:
      awsvpcConfiguration: {subnets: [subnet-0a1b2c3d4e5f60001]}
`;

describe('ScheduledTask placement through the Scheduler', () => {
  it('given placement and a capacity provider strategy, when applied, then GetSchedule holds them in the API shape and diff is in sync', async () => {
    await writeFile(join(dir, 'fleet.yaml'), FLEET);
    const applied = await cli('apply');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);

    const scheduler = new SchedulerClient({
      endpoint: env().url,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
    });
    const placed = await scheduler.send(
      new GetScheduleCommand({ Name: 'placed-report', GroupName: 'ecs-gitops' }),
    );
    expect(placed.Target?.EcsParameters?.PlacementConstraints).toEqual([
      { type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' },
      { type: 'distinctInstance' },
    ]);
    expect(placed.Target?.EcsParameters?.PlacementStrategy).toEqual([
      { type: 'spread', field: 'attribute:ecs.availability-zone' },
      { type: 'binpack', field: 'memory' },
    ]);
    const spot = await scheduler.send(
      new GetScheduleCommand({ Name: 'spot-sweep', GroupName: 'ecs-gitops' }),
    );
    expect(spot.Target?.EcsParameters?.CapacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
    ]);

    const diff = await cli('diff');
    expect(diff.stdout).toMatch(/No changes|in sync/i);
    expect(diff.code).toBe(0);
  });
});
