// A varied ECS estate built the way teams build one without ecs-gitops: with the AWS SDK and with
// the `aws` CLI, directly against the emulator. 14 services over 3 clusters cover every bullet of the
// import round trip: EC2 and Fargate, load balancers, service registries, capacity provider
// strategies, placement constraints/strategies, circuit breaker and alarms, Service Connect, volumes
// (EFS, bind, docker), secrets, health checks, dependsOn, ulimits, linuxParameters, FireLens and
// logConfiguration, target tracking, step scaling and scheduled actions; plus the awkward cases:
// a pinned older revision, one task definition shared by two services with the same name in two
// clusters, and services owned by CloudFormation, Copilot and another ecs-gitops instance.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import type { TestEmulator } from '../helpers/emulator.js';

const run = promisify(execFile);
export const HAS_AWS_CLI = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role`;
const SUBNETS = ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'];
const NAMESPACE = `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:namespace/ns-shop0example1`;
const TARGET_GROUP = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/0123456789abcdef`;

/** Services the estate holds, by cluster. */
export const ESTATE_SERVICES = {
  'web-prod': ['admin', 'api', 'cfn-app', 'legacy-web', 'web'],
  batch: ['copilot-job', 'metrics', 'reports', 'worker'],
  mesh: ['cart', 'checkout', 'metrics', 'other-team'],
} as const;

/** The representative services of the golden test: Fargate web with ALB and autoscaling, EC2 worker with placement and volumes, Service Connect with secrets. */
export const GOLDEN_SERVICES = ['web', 'worker', 'cart'] as const;
export const GOLDEN_ESTATE = join(import.meta.dirname, '..', 'fixtures', 'import', 'estate.json');

/** The services import must not adopt without --adopt-owned, and who owns them. */
export const FOREIGN_SERVICES = {
  'cfn-app': 'CloudFormation',
  'copilot-job': 'Copilot',
  'other-team': 'ecs-gitops',
} as const;

async function aws(env: TestEmulator, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    'aws',
    [...args, '--endpoint-url', env.url, '--region', REGION, '--output', 'json'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
        AWS_SECRET_ACCESS_KEY: 'emulator-secret',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    },
  );
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

const awsvpc = (assignPublicIp: 'ENABLED' | 'DISABLED' = 'DISABLED') => ({
  awsvpcConfiguration: { subnets: SUBNETS, securityGroups: ['sg-0web1234'], assignPublicIp },
});

const awslogs = (group: string) => ({
  logDriver: 'awslogs' as const,
  options: { 'awslogs-group': group, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
});

export function webTaskDefinition(image: string): RegisterTaskDefinitionCommandInput {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    executionRoleArn: `${ROLE}/ecsTaskExecutionRole`,
    taskRoleArn: `${ROLE}/web-task`,
    containerDefinitions: [
      {
        name: 'web',
        image,
        essential: true,
        portMappings: [{ name: 'http', containerPort: 80, protocol: 'tcp', appProtocol: 'http' }],
        environment: [{ name: 'NGINX_ENTRYPOINT_QUIET_LOGS', value: '1' }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -fsS http://localhost/ || exit 1'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 10,
        },
        dependsOn: [{ containerName: 'log-router', condition: 'START' }],
        logConfiguration: {
          logDriver: 'awsfirelens',
          options: {
            Name: 'cloudwatch_logs',
            region: REGION,
            log_group_name: '/ecs/web',
            auto_create_group: 'true',
          },
        },
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
        essential: true,
        memoryReservation: 50,
        firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
        logConfiguration: awslogs('/ecs/web-firelens'),
      },
    ],
    tags: [{ key: 'team', value: 'web' }],
  };
}

const workerTaskDefinition: RegisterTaskDefinitionCommandInput = {
  family: 'worker',
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  taskRoleArn: `${ROLE}/worker-task`,
  volumes: [
    { name: 'scratch', host: { sourcePath: '/var/data/worker' } },
    {
      name: 'cache',
      dockerVolumeConfiguration: {
        scope: 'shared',
        autoprovision: true,
        driver: 'local',
        labels: { app: 'worker' },
      },
    },
    {
      name: 'shared-files',
      efsVolumeConfiguration: {
        fileSystemId: 'fs-0123456789abcdef0',
        rootDirectory: '/',
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: 'fsap-0123456789abcdef0', iam: 'ENABLED' },
      },
    },
    { name: 'tmp' },
  ],
  containerDefinitions: [
    {
      name: 'worker',
      image: 'public.ecr.aws/docker/library/python:3.12-slim',
      cpu: 256,
      memory: 512,
      memoryReservation: 256,
      command: ['python', '-m', 'worker'],
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      mountPoints: [
        { sourceVolume: 'scratch', containerPath: '/scratch' },
        { sourceVolume: 'cache', containerPath: '/cache' },
        { sourceVolume: 'shared-files', containerPath: '/mnt/shared', readOnly: true },
        { sourceVolume: 'tmp', containerPath: '/tmp' },
      ],
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
      linuxParameters: {
        initProcessEnabled: true,
        capabilities: { add: ['SYS_PTRACE'] },
        sharedMemorySize: 128,
      },
      environment: [{ name: 'QUEUE', value: 'jobs' }],
      stopTimeout: 60,
      logConfiguration: awslogs('/ecs/worker'),
    },
  ],
};

const cartTaskDefinition: RegisterTaskDefinitionCommandInput = {
  family: 'cart',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  executionRoleArn: `${ROLE}/ecsTaskExecutionRole`,
  containerDefinitions: [
    {
      name: 'cart',
      image: 'public.ecr.aws/shop/cart:4.2.0',
      portMappings: [{ name: 'http', containerPort: 8080, appProtocol: 'http' }],
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'REDIS_HOST', value: 'cart-cache.internal' },
      ],
      secrets: [
        { name: 'DATABASE_URL', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/cart/database-url` },
        {
          name: 'STRIPE_KEY',
          valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:cart/stripe-AbCdEf`,
        },
      ],
      healthCheck: { command: ['CMD', '/bin/healthcheck'], interval: 15 },
      logConfiguration: {
        ...awslogs('/ecs/cart'),
        secretOptions: [
          { name: 'apikey', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/cart/log-key` },
        ],
      },
    },
  ],
};

function simpleFargate(family: string, image: string, extra: Record<string, unknown> = {}) {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: family, image, portMappings: [{ containerPort: 8080 }], ...extra }],
  } as RegisterTaskDefinitionCommandInput;
}

/** Builds the estate; returns nothing (import reads it back). Needs the aws CLI. */
export async function buildEstate(env: TestEmulator): Promise<void> {
  const { ecs, autoscaling } = env;
  const register = (input: RegisterTaskDefinitionCommandInput) =>
    ecs.send(new RegisterTaskDefinitionCommand(input));
  const service = (input: CreateServiceCommandInput) => ecs.send(new CreateServiceCommand(input));
  const target = (cluster: string, name: string, min: number, max: number) =>
    autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: `service/${cluster}/${name}`,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: min,
        MaxCapacity: max,
      }),
    );

  // Clusters: the SDK for two, the CLI for the third.
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'web-prod',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      tags: [
        { key: 'team', value: 'web' },
        { key: 'env', value: 'prod' },
      ],
    }),
  );
  await aws(
    env,
    'ecs',
    'create-cluster',
    '--cluster-name',
    'batch',
    '--configuration',
    'executeCommandConfiguration={logging=DEFAULT}',
    '--tags',
    'key=team,value=data',
  );
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'mesh',
      capacityProviders: ['FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      serviceConnectDefaults: { namespace: NAMESPACE },
    }),
  );

  // web-prod
  await register(webTaskDefinition('public.ecr.aws/nginx/nginx:1.26'));
  await register(webTaskDefinition('public.ecr.aws/nginx/nginx:1.27'));
  await service({
    cluster: 'web-prod',
    serviceName: 'web',
    taskDefinition: 'web:2',
    desiredCount: 2,
    launchType: 'FARGATE',
    networkConfiguration: awsvpc(),
    loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 80 }],
    healthCheckGracePeriodSeconds: 60,
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['web-5xx', 'web-latency'], enable: true, rollback: true },
    },
    tags: [{ key: 'team', value: 'web' }],
  });
  await target('web-prod', 'web', 2, 10);
  await autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: 'cpu60',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/web-prod/web',
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleInCooldown: 120,
        ScaleOutCooldown: 60,
      },
    }),
  );
  await autoscaling.send(
    new PutScheduledActionCommand({
      ServiceNamespace: 'ecs',
      ResourceId: 'service/web-prod/web',
      ScalableDimension: 'ecs:service:DesiredCount',
      ScheduledActionName: 'night',
      Schedule: 'cron(0 22 * * ? *)',
      Timezone: 'Europe/Berlin',
      ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 4 },
    }),
  );
  await service({
    cluster: 'web-prod',
    serviceName: 'legacy-web',
    taskDefinition: 'web:1',
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: awsvpc(),
  });
  await register(simpleFargate('api', 'public.ecr.aws/shop/api:7.1.0'));
  await service({
    cluster: 'web-prod',
    serviceName: 'api',
    taskDefinition: 'api',
    desiredCount: 3,
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
    ],
    platformVersion: '1.4.0',
    networkConfiguration: awsvpc('ENABLED'),
    serviceRegistries: [
      { registryArn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:service/srv-api0example1`, port: 8080 },
    ],
    propagateTags: 'SERVICE',
    enableECSManagedTags: true,
    enableExecuteCommand: true,
  });
  // The admin console: registered and created with the aws CLI, on the cluster's default strategy.
  await aws(
    env,
    'ecs',
    'register-task-definition',
    '--cli-input-json',
    JSON.stringify(
      simpleFargate('admin', 'public.ecr.aws/shop/admin:1.0.3', {
        environment: [
          { name: 'ADMIN_TOKEN', value: 'changeme' },
          { name: 'PORT', value: '8080' },
        ],
      }),
    ),
  );
  await aws(
    env,
    'ecs',
    'create-service',
    '--cluster',
    'web-prod',
    '--service-name',
    'admin',
    '--task-definition',
    'admin',
    '--desired-count',
    '1',
    '--network-configuration',
    `awsvpcConfiguration={subnets=[${SUBNETS.join(',')}],securityGroups=[sg-0admin12]}`,
  );
  const cfnTd = (await register(simpleFargate('cfn-app', 'public.ecr.aws/shop/cfn-app:2.0.0')))
    .taskDefinition;
  const cfnService = (
    await service({
      cluster: 'web-prod',
      serviceName: 'cfn-app',
      taskDefinition: 'cfn-app',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: awsvpc(),
    })
  ).service;
  for (const arn of [cfnTd?.taskDefinitionArn, cfnService?.serviceArn]) {
    await env.admin('POST', '/_emulator/system-tags', {
      resourceArn: arn,
      tags: [
        { key: 'aws:cloudformation:stack-name', value: 'shop-legacy' },
        { key: 'aws:cloudformation:logical-id', value: 'CfnApp' },
      ],
    });
  }

  // batch: EC2 capacity
  await register(workerTaskDefinition);
  await service({
    cluster: 'batch',
    serviceName: 'worker',
    taskDefinition: 'worker',
    desiredCount: 2,
    launchType: 'EC2',
    placementConstraints: [
      { type: 'distinctInstance' },
      { type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m6i.*' },
    ],
    placementStrategy: [
      { type: 'spread', field: 'attribute:ecs.availability-zone' },
      { type: 'binpack', field: 'memory' },
    ],
    deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 },
    tags: [{ key: 'team', value: 'data' }],
  });
  // Reports: all through the aws CLI, scaled by a step policy.
  await aws(
    env,
    'ecs',
    'register-task-definition',
    '--family',
    'reports',
    '--container-definitions',
    JSON.stringify([
      { name: 'reports', image: 'public.ecr.aws/shop/reports:3.3.1', memory: 256, essential: true },
    ]),
  );
  await aws(
    env,
    'ecs',
    'create-service',
    '--cluster',
    'batch',
    '--service-name',
    'reports',
    '--task-definition',
    'reports:1',
    '--desired-count',
    '1',
    '--launch-type',
    'EC2',
  );
  await aws(
    env,
    'application-autoscaling',
    'register-scalable-target',
    '--service-namespace',
    'ecs',
    '--resource-id',
    'service/batch/reports',
    '--scalable-dimension',
    'ecs:service:DesiredCount',
    '--min-capacity',
    '1',
    '--max-capacity',
    '5',
  );
  await aws(
    env,
    'application-autoscaling',
    'put-scaling-policy',
    '--service-namespace',
    'ecs',
    '--resource-id',
    'service/batch/reports',
    '--scalable-dimension',
    'ecs:service:DesiredCount',
    '--policy-name',
    'queue-depth',
    '--policy-type',
    'StepScaling',
    '--step-scaling-policy-configuration',
    JSON.stringify({
      AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 100, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 100, ScalingAdjustment: 3 },
      ],
      Cooldown: 120,
      MetricAggregationType: 'Maximum',
    }),
  );
  await register({
    family: 'metrics-agent',
    requiresCompatibilities: ['EC2', 'FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'agent', image: 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300', essential: true },
    ],
  });
  await service({
    cluster: 'batch',
    serviceName: 'metrics',
    taskDefinition: 'metrics-agent:1',
    desiredCount: 1,
    launchType: 'EC2',
    networkConfiguration: awsvpc(),
  });
  await register(simpleFargate('copilot-job', 'public.ecr.aws/shop/job:0.9.0'));
  await service({
    cluster: 'batch',
    serviceName: 'copilot-job',
    taskDefinition: 'copilot-job',
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: awsvpc(),
    tags: [
      { key: 'copilot-application', value: 'shop' },
      { key: 'copilot-environment', value: 'prod' },
    ],
  });

  // mesh: Service Connect
  await register(cartTaskDefinition);
  await service({
    cluster: 'mesh',
    serviceName: 'cart',
    taskDefinition: 'cart',
    desiredCount: 2,
    networkConfiguration: awsvpc(),
    serviceConnectConfiguration: {
      enabled: true,
      namespace: NAMESPACE,
      services: [
        {
          portName: 'http',
          discoveryName: 'cart',
          clientAliases: [{ port: 80, dnsName: 'cart.shop' }],
        },
      ],
      logConfiguration: awslogs('/ecs/cart-connect'),
    },
    tags: [{ key: 'team', value: 'shop' }],
  });
  await register(simpleFargate('checkout', 'public.ecr.aws/shop/checkout:5.0.1'));
  await service({
    cluster: 'mesh',
    serviceName: 'checkout',
    taskDefinition: 'checkout',
    desiredCount: 2,
    networkConfiguration: awsvpc(),
    serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE },
  });
  await target('mesh', 'checkout', 2, 8);
  await autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: 'requests',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/mesh/checkout',
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 500,
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: 'app/shop/0123456789abcdef/targetgroup/checkout/0123456789abcdef',
        },
        DisableScaleIn: true,
      },
    }),
  );
  await service({
    cluster: 'mesh',
    serviceName: 'metrics',
    taskDefinition: 'metrics-agent:1',
    desiredCount: 1,
    networkConfiguration: awsvpc(),
  });
  await register(simpleFargate('other-team', 'public.ecr.aws/other/app:1.0.0'));
  await service({
    cluster: 'mesh',
    serviceName: 'other-team',
    taskDefinition: 'other-team',
    desiredCount: 1,
    networkConfiguration: awsvpc(),
    tags: [{ key: 'ecs-gitops/managed-by', value: 'team-b' }],
  });
}
