// Places where independent clients found the emulator differing from ECS: one test per finding,
// asserting ECS's own error code and message (or shape).
import {
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { errorOf, fargateTaskDefinition, givenCluster, givenService, givenTaskDefinition } from './world.js';

const env = useTestEmulator();

const container = { name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] };

function fargateWith(extra: Partial<RegisterTaskDefinitionCommandInput>): RegisterTaskDefinitionCommandInput {
  return fargateTaskDefinition('web', 'nginx:1.27', extra);
}

describe('Fargate-only restrictions on RegisterTaskDefinition', () => {
  const rejected: Array<[string, Partial<RegisterTaskDefinitionCommandInput>, string]> = [
    [
      'pidMode host',
      { pidMode: 'host' },
      "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
    ],
    ['ipcMode', { ipcMode: 'task' }, 'Tasks using the Fargate launch type do not support ipcMode.'],
    [
      'privileged containers',
      { containerDefinitions: [{ ...container, privileged: true }] },
      'Fargate compatible task definitions do not support privileged',
    ],
    [
      'devices',
      {
        containerDefinitions: [{ ...container, linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } }],
      },
      'Fargate compatible task definitions do not support devices',
    ],
    [
      'capabilities other than SYS_PTRACE',
      {
        containerDefinitions: [
          { ...container, linuxParameters: { capabilities: { add: ['SYS_PTRACE', 'NET_ADMIN'] } } },
        ],
      },
      'Fargate compatible task definitions only support adding the SYS_PTRACE kernel capability',
    ],
    [
      'docker volumes',
      { volumes: [{ name: 'data', dockerVolumeConfiguration: { driver: 'local' } }] },
      'Fargate compatible task definitions do not support dockerVolumeConfiguration',
    ],
    [
      'host paths',
      { volumes: [{ name: 'data', host: { sourcePath: '/var/data' } }] },
      'Fargate compatible task definitions do not support sourcePath',
    ],
    [
      'placement constraints',
      { placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t3.small' }] },
      'Fargate compatible task definitions do not support placementConstraints',
    ],
    [
      'hostPort different from containerPort',
      { containerDefinitions: [{ ...container, portMappings: [{ containerPort: 80, hostPort: 8080 }] }] },
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    ],
  ];
  for (const [what, extra, message] of rejected) {
    it(`rejects ${what} with ClientException`, async () => {
      const error = await errorOf(env().ecs.send(new RegisterTaskDefinitionCommand(fargateWith(extra))));
      expect(error).toMatchObject({ name: 'ClientException', message });
    });
  }

  it('accepts what Fargate allows: SYS_PTRACE, bind mounts without a host path, pidMode task', async () => {
    const out = await env().ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateWith({
          pidMode: 'task',
          volumes: [{ name: 'scratch' }],
          containerDefinitions: [
            { ...container, linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } } },
          ],
        }),
      ),
    );
    expect(out.taskDefinition?.pidMode).toBe('task');
  });

  it('allows the same features on an EC2 task definition', async () => {
    const out = await env().ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'agent',
        pidMode: 'host',
        ipcMode: 'host',
        networkMode: 'host',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [{ ...container, memory: 128, privileged: true }],
        volumes: [{ name: 'proc', host: { sourcePath: '/proc' } }],
      }),
    );
    expect(out.taskDefinition?.compatibilities).toEqual(['EXTERNAL', 'EC2']);
  });
});

describe('ListClusters and deleted clusters', () => {
  it('keeps listing a deleted cluster, which DescribeClusters shows INACTIVE', async () => {
    const { ecs } = env();
    await givenCluster(ecs, 'gone');
    await givenCluster(ecs, 'kept');
    await ecs.send(new DeleteClusterCommand({ cluster: 'gone' }));

    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:cluster/gone',
      'arn:aws:ecs:us-east-1:123456789012:cluster/kept',
    ]);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['gone', 'kept'] }));
    expect(described.clusters?.map((c) => [c.clusterName, c.status])).toEqual([
      ['gone', 'INACTIVE'],
      ['kept', 'ACTIVE'],
    ]);
    // ECS forgets it eventually (the emulator after an hour)
    env().advance(3601);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:cluster/kept',
    ]);
  });
});

describe('EFS volumes', () => {
  it('fills rootDirectory, transitEncryption and authorizationConfig.iam like DescribeTaskDefinition does', async () => {
    const { ecs } = env();
    await ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateWith({
          volumes: [
            { name: 'plain', efsVolumeConfiguration: { fileSystemId: 'fs-0abc' } },
            {
              name: 'ap',
              efsVolumeConfiguration: {
                fileSystemId: 'fs-0abc',
                transitEncryption: 'ENABLED',
                authorizationConfig: { accessPointId: 'fsap-0123' },
              },
            },
          ],
        }),
      ),
    );
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(out.taskDefinition?.volumes).toEqual([
      {
        name: 'plain',
        efsVolumeConfiguration: {
          fileSystemId: 'fs-0abc',
          rootDirectory: '/',
          transitEncryption: 'DISABLED',
        },
      },
      {
        name: 'ap',
        efsVolumeConfiguration: {
          fileSystemId: 'fs-0abc',
          rootDirectory: '/',
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: 'fsap-0123', iam: 'DISABLED' },
        },
      },
    ]);
  });

  it('requires transit encryption for IAM authorization', async () => {
    const error = await errorOf(
      env().ecs.send(
        new RegisterTaskDefinitionCommand(
          fargateWith({
            volumes: [
              {
                name: 'data',
                efsVolumeConfiguration: { fileSystemId: 'fs-0abc', authorizationConfig: { iam: 'ENABLED' } },
              },
            ],
          }),
        ),
      ),
    );
    expect(error.name).toBe('ClientException');
    expect(error.message).toMatch(/Transit encryption must be enabled/);
  });
});

describe('CreateCluster response', () => {
  it('echoes the settings and the tags it stored', async () => {
    const out = await env().ecs.send(
      new CreateClusterCommand({
        clusterName: 'prod',
        settings: [{ name: 'containerInsights', value: 'enhanced' }],
        tags: [{ key: 'team', value: 'web' }],
      }),
    );
    expect(out.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    expect(out.cluster?.tags).toEqual([{ key: 'team', value: 'web' }]);
    const plain = await env().ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
    expect(plain.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect(plain.cluster?.tags).toEqual([]);
  });
});

describe('DescribeServices failures', () => {
  it('names a missing service by its short ARN, without the cluster', async () => {
    await givenCluster(env().ecs);
    const out = await env().ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['ghost'] }));
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/ghost', reason: 'MISSING' },
    ]);
  });
});

describe('Application Auto Scaling enums', () => {
  it('rejects an unknown ServiceNamespace with the model validation message', async () => {
    const error = await errorOf(
      env().autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'foo' as never })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'foo' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [ecs, elasticmapreduce, ec2, appstream, dynamodb, rds, sagemaker, custom-resource, comprehend, lambda, cassandra, kafka, elasticache, neptune, workspaces]",
    );
  });

  it('lists every violation: namespace, dimension and policy type', async () => {
    const error = await errorOf(
      env().autoscaling.send(
        new PutScalingPolicyCommand({
          PolicyName: 'p',
          ServiceNamespace: 'foo' as never,
          ResourceId: 'service/prod/web',
          ScalableDimension: 'ecs:service:Desired' as never,
          PolicyType: 'Magic' as never,
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^3 validation errors detected: Value 'foo' at 'serviceNamespace' failed/);
    expect(error.message).toContain("; Value 'ecs:service:Desired' at 'scalableDimension' failed to satisfy");
    expect(error.message).toContain(
      "; Value 'Magic' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [StepScaling, TargetTrackingScaling, PredictiveScaling]",
    );
    const register = await errorOf(
      env().autoscaling.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/prod/web',
          ScalableDimension: 'ecs:service:desiredcount' as never,
        }),
      ),
    );
    expect(register.message).toMatch(
      /^1 validation error detected: Value 'ecs:service:desiredcount' at 'scalableDimension'/,
    );
    const deregister = await errorOf(
      env().autoscaling.send(
        new DeregisterScalableTargetCommand({
          ServiceNamespace: 'ECS' as never,
          ResourceId: 'service/prod/web',
          ScalableDimension: 'ecs:service:DesiredCount',
        }),
      ),
    );
    expect(deregister.message).toMatch(/^1 validation error detected: Value 'ECS' at 'serviceNamespace'/);
  });
});

describe('tagging', () => {
  it('refuses a short-format service ARN', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    await givenTaskDefinition(ecs);
    await givenService(ecs);
    const short = 'arn:aws:ecs:us-east-1:123456789012:service/web';
    for (const call of [
      ecs.send(new ListTagsForResourceCommand({ resourceArn: short })),
      ecs.send(new TagResourceCommand({ resourceArn: short, tags: [{ key: 'a', value: 'b' }] })),
    ]) {
      expect(await errorOf(call)).toMatchObject({
        name: 'InvalidParameterException',
        message: 'Long arn format must be used for tagging operations',
      });
    }
  });

  it('refuses an INACTIVE cluster with InvalidParameterException', async () => {
    const { ecs } = env();
    await givenCluster(ecs, 'gone');
    await ecs.send(new DeleteClusterCommand({ cluster: 'gone' }));
    const error = await errorOf(
      ecs.send(
        new TagResourceCommand({
          resourceArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/gone',
          tags: [{ key: 'a', value: 'b' }],
        }),
      ),
    );
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The specified cluster is inactive. Specify an active cluster and try again.',
    });
  });
});

describe('EXTERNAL deployment controller', () => {
  it('creates a service without a task definition', async () => {
    const { ecs } = env();
    await givenCluster(ecs);
    const out = await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'ext',
        desiredCount: 2,
        deploymentController: { type: 'EXTERNAL' },
      }),
    );
    expect(out.service).toMatchObject({
      serviceName: 'ext',
      status: 'ACTIVE',
      desiredCount: 2,
      deploymentController: { type: 'EXTERNAL' },
      deployments: [],
      taskSets: [],
    });
    expect(out.service?.taskDefinition).toBeUndefined();
    // the ECS controller still needs one
    const error = await errorOf(
      ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'ecs', desiredCount: 1 })),
    );
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: 'TaskDefinition can not be blank.',
    });
  });
});
