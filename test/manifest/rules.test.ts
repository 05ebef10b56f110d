// Semantic rules: what ECS / Application Auto Scaling reject at registration, caught first.
import { describe, expect, it } from 'vitest';
import { fargatePairProblem, parseCpu, parseMemory } from '../../controller/manifest/units.js';
import {
  CLUSTER,
  edit,
  FLEET,
  load,
  problemsOf,
  SCALING_POLICY,
  SERVICE,
  TASK_DEFINITION,
} from './helpers.js';

const td = (from: string, to: string) => edit(TASK_DEFINITION, from, to);
const messages = (files: Record<string, string>) =>
  problemsOf(files).map((line) => line.replace(/^[^ ]+ /, ''));

describe('cpu and memory units', () => {
  it('reads the forms ECS accepts', () => {
    expect([
      parseCpu('256'),
      parseCpu(1024),
      parseCpu('0.25 vCPU'),
      parseCpu('2vcpu'),
      parseCpu('1.3 vCPU'),
    ]).toEqual([256, 1024, 256, 2048, undefined]);
    expect([
      parseMemory('512'),
      parseMemory(2048),
      parseMemory('1 GB'),
      parseMemory('0.5GB'),
      parseMemory('512 MiB'),
    ]).toEqual([512, 2048, 1024, 512, 512]);
  });

  it('knows the Fargate cpu/memory table', () => {
    expect(fargatePairProblem(256, 512)).toBeUndefined();
    expect(fargatePairProblem(4096, 30720)).toBeUndefined();
    expect(fargatePairProblem(16384, 122880)).toBeUndefined();
    expect(fargatePairProblem(8192, 18432)).toBe(
      'Fargate does not support cpu 8192 with memory 18432 MiB; with cpu 8192 memory must be 16384–61440 in steps of 4096 MiB',
    );
    expect(fargatePairProblem(300, 512)).toMatch(/^Fargate does not support task cpu 300/);
  });
});

describe('task definition rules', () => {
  it('rejects Fargate cpu/memory pairs ECS rejects, in any unit form', () => {
    expect(problemsOf({ 'td.yaml': td('memory: "512"', 'memory: 4 GB') })).toEqual([
      'td.yaml:8:11: TaskDefinition/web: spec.memory: Fargate does not support cpu 256 with memory 4096 MiB; with cpu 256 memory must be 512, 1024, 2048 MiB',
    ]);
    expect(load({ 'td.yaml': td('cpu: "256"\n  memory: "512"', 'cpu: 1 vCPU\n  memory: 3 GB') }).ok).toBe(
      true,
    );
  });

  it('requires awsvpc, cpu and memory for Fargate', () => {
    const text = td('  networkMode: awsvpc\n  cpu: "256"\n  memory: "512"\n', '  networkMode: bridge\n');
    expect(messages({ 'td.yaml': text })).toEqual([
      'TaskDefinition/web: spec: Fargate requires task-level cpu',
      'TaskDefinition/web: spec: Fargate requires task-level memory',
      'TaskDefinition/web: spec.networkMode: Fargate requires networkMode "awsvpc", got "bridge"',
      expect.stringContaining('needs memory or memoryReservation'),
    ]);
  });

  it('requires unique container names and at least one essential container', () => {
    const text = td(
      '    - name: web\n      image: public.ecr.aws/nginx/nginx:1.27\n',
      '    - name: web\n      essential: false\n      image: a:1\n    - name: web\n      essential: false\n      image: b:1\n',
    );
    expect(messages({ 'td.yaml': text })).toEqual([
      'TaskDefinition/web: spec.containerDefinitions: at least one container must be essential (every container has essential: false)',
      'TaskDefinition/web: spec.containerDefinitions[1].name: container name "web" is already used by containerDefinitions[0]; names must be unique',
    ]);
  });

  it('requires hostPort to equal containerPort with awsvpc or host networking', () => {
    const text = td(
      'portMappings: [{containerPort: 80}]',
      'portMappings: [{containerPort: 80, hostPort: 8080}]',
    );
    expect(messages({ 'td.yaml': text })).toEqual([
      'TaskDefinition/web: spec.containerDefinitions[0].portMappings[0].hostPort: with networkMode "awsvpc" hostPort must equal containerPort (80) or be omitted, got 8080',
    ]);
    const host = `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: agent}
spec:
  networkMode: host
  containerDefinitions:
    - {name: agent, image: "a:1", memory: 128, portMappings: [{containerPort: 9100, hostPort: 9101}]}
`;
    expect(messages({ 'host.yaml': host })).toEqual([
      'TaskDefinition/agent: spec.containerDefinitions[0].portMappings[0].hostPort: with networkMode "host" hostPort must equal containerPort (9100) or be omitted, got 9101',
    ]);
    expect(load({ 'bridge.yaml': host.replace('host\n', 'bridge\n') }).ok).toBe(true);
  });

  it('requires container memory when the task has none', () => {
    const ec2 = `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: ec2}
spec:
  containerDefinitions:
    - {name: a, image: "a:1", memoryReservation: 64}
    - {name: b, image: "b:1"}
`;
    expect(problemsOf({ 'ec2.yaml': ec2 })).toEqual([
      'ec2.yaml:7:7: TaskDefinition/ec2: spec.containerDefinitions[1]: container "b" needs memory or memoryReservation when the task has no task-level memory',
    ]);
  });

  it('checks references between containers and volumes, and the firelens router', () => {
    const text = td(
      '      portMappings: [{containerPort: 80}]\n',
      [
        '      portMappings: [{containerPort: 80}]',
        '      dependsOn: [{containerName: sidecar, condition: START}]',
        '      mountPoints: [{sourceVolume: data, containerPath: /data}]',
        '      logConfiguration: {logDriver: awsfirelens}',
        '',
      ].join('\n'),
    );
    expect(messages({ 'td.yaml': text })).toEqual([
      'TaskDefinition/web: spec.containerDefinitions[0].dependsOn[0].containerName: no container named "sidecar" in this task definition',
      'TaskDefinition/web: spec.containerDefinitions[0].mountPoints[0].sourceVolume: no volume named "data" in spec.volumes',
      'TaskDefinition/web: spec.containerDefinitions[0].logConfiguration.logDriver: the awsfirelens log driver needs a log router container with firelensConfiguration in this task definition',
    ]);
  });

  it('rejects container memory above the task memory', () => {
    const text = td(
      '      image: public.ecr.aws/nginx/nginx:1.27\n',
      '      image: public.ecr.aws/nginx/nginx:1.27\n      memory: 1024\n',
    );
    expect(messages({ 'td.yaml': text })).toEqual([
      "TaskDefinition/web: spec.memory: the containers' memory adds up to 1024 MiB, more than the task's 512 MiB",
      "TaskDefinition/web: spec.containerDefinitions[0].memory: container memory (1024 MiB) exceeds the task's memory (512 MiB)",
    ]);
  });
});

describe('service, cluster and scaling policy rules', () => {
  it('checks a Service against its task definition and cluster', () => {
    const service = edit(
      edit(
        SERVICE,
        '  networkConfiguration:\n    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}\n',
        '',
      ),
      'launchType: FARGATE',
      'launchType: FARGATE\n  loadBalancers: [{targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1", containerName: web, containerPort: 8080}]',
    );
    expect(messages({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, service].join('---\n') })).toEqual([
      'Service/web: spec: TaskDefinition/web uses networkMode awsvpc, so the Service needs networkConfiguration.awsvpcConfiguration (subnets and security groups)',
      'Service/web: spec.loadBalancers[0].containerPort: container "web" in TaskDefinition/web has no port mapping for containerPort 8080',
    ]);
  });

  it('rejects launchType together with a capacity provider strategy, and providers the cluster lacks', () => {
    const cluster = edit(
      CLUSTER,
      'capacityProviders: [FARGATE, FARGATE_SPOT]',
      'capacityProviders: [FARGATE]',
    );
    const service = edit(
      SERVICE,
      'launchType: FARGATE',
      'launchType: FARGATE\n  capacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}]',
    );
    expect(messages({ 'fleet.yaml': [cluster, TASK_DEFINITION, service].join('---\n') })).toEqual([
      'Service/web: spec.capacityProviderStrategy: give launchType or capacityProviderStrategy, not both (ECS rejects the combination)',
      'Service/web: spec.capacityProviderStrategy[0].capacityProvider: capacity provider "FARGATE_SPOT" is not associated with Cluster/prod (add it to its spec.capacityProviders)',
    ]);
  });

  it('rejects a default strategy with providers the cluster does not list', () => {
    const cluster = edit(
      CLUSTER,
      'capacityProviders: [FARGATE, FARGATE_SPOT]',
      'capacityProviders: [FARGATE_SPOT]',
    );
    expect(messages({ 'c.yaml': cluster })).toEqual([
      'Cluster/prod: spec.defaultCapacityProviderStrategy[0].capacityProvider: capacity provider "FARGATE" is not in spec.capacityProviders; ECS only accepts providers associated with the cluster',
    ]);
  });

  it('requires minCapacity <= maxCapacity and exactly one metric per target tracking policy', () => {
    const policy = edit(
      edit(SCALING_POLICY, 'minCapacity: 2', 'minCapacity: 12'),
      'predefinedMetricType: ECSServiceAverageCPUUtilization, ',
      '',
    );
    expect(messages({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, SERVICE, policy].join('---\n') })).toEqual([
      'ScalingPolicy/web: spec.minCapacity: minCapacity (12) must be <= maxCapacity (10)',
      'ScalingPolicy/web: spec.targetTracking[0]: give exactly one of predefinedMetricType, predefinedMetricSpecification or customizedMetricSpecification (got 0)',
    ]);
  });

  it('accepts ALBRequestCountPerTarget with its resourceLabel and names the label when it is missing', () => {
    const alb = (spec: string) =>
      edit(
        SCALING_POLICY,
        '{policyName: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}',
        spec,
      );
    const labelled = alb(
      '{policyName: requests, targetValue: 500, predefinedMetricSpecification: {predefinedMetricType: ALBRequestCountPerTarget, resourceLabel: app/web/0123/targetgroup/web/4567}}',
    );
    const unlabelled = alb(
      '{policyName: requests, targetValue: 500, predefinedMetricSpecification: {predefinedMetricType: ALBRequestCountPerTarget}}',
    );
    expect(load({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, SERVICE, labelled].join('---\n') }).ok).toBe(true);
    expect(messages({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, SERVICE, unlabelled].join('---\n') })).toEqual(
      [
        'ScalingPolicy/web: spec.targetTracking[0].predefinedMetricSpecification: ALBRequestCountPerTarget needs resourceLabel (app/<load-balancer>/<id>/targetgroup/<target-group>/<id>)',
      ],
    );
  });

  it('checks scheduled action schedules and names', () => {
    const policy = `${SCALING_POLICY}  scheduledActions:
    - {scheduledActionName: night, schedule: "cron(0 22 * * ? *)", scalableTargetAction: {minCapacity: 1}}
    - {scheduledActionName: night, schedule: "every night", scalableTargetAction: {maxCapacity: 2}}
`;
    expect(messages({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, SERVICE, policy].join('---\n') })).toEqual([
      'ScalingPolicy/web: spec.scheduledActions[1].scheduledActionName: scheduled action "night" is defined twice',
      'ScalingPolicy/web: spec.scheduledActions[1].schedule: must be at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)',
    ]);
  });

  it('warns (without failing) when a pinned external revision shadows a managed family', () => {
    const result = load({ 'fleet.yaml': edit(FLEET, 'taskDefinition: web', 'taskDefinition: web:3') });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'pins a revision of family "web", which TaskDefinition/web manages; changes to that manifest will not deploy to this service (name the manifest instead: taskDefinition: web)',
    ]);
  });
});
