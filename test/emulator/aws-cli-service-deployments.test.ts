// The Debian `aws` CLI (botocore) drives a canary deployment paused at a PAUSE hook through
// list-service-deployments, describe-service-deployments, describe-service-revisions,
// continue-service-deployment and stop-service-deployment.
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { useTestEmulator } from '../helpers/emulator.js';

if (!hasAwsCli) console.warn('aws-cli-service-deployments.test.ts: skipped — the `aws` CLI is not installed');

const env = useTestEmulator();
const aws = (...args: string[]) => awsCli(env().url, 'us-east-1', ...args);

const SERVICE = {
  cluster: 'cli',
  serviceName: 'web',
  taskDefinition: 'web',
  desiredCount: 1,
  launchType: 'FARGATE',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0abc'] } },
  loadBalancers: [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1',
      containerName: 'web',
      containerPort: 80,
      advancedConfiguration: {
        alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2',
        productionListenerRule:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/3/4/5',
        roleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
      },
    },
  ],
  deploymentConfiguration: {
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
  },
};

type Deployment = {
  serviceDeploymentArn: string;
  status: string;
  lifecycleStage?: string;
  targetServiceRevision: { arn: string; requestedProductionTrafficWeight?: number };
  lifecycleHookDetails?: { hookId: string; status: string }[];
};

describe.skipIf(!hasAwsCli)('the aws CLI and service deployments', () => {
  it('lists, describes, continues and stops a paused canary deployment', async () => {
    const e = env();
    await aws('ecs', 'create-cluster', '--cluster-name', 'cli');
    const taskDefinition = {
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }],
    };
    await aws('ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(taskDefinition));
    await aws('ecs', 'create-service', '--cli-input-json', JSON.stringify(SERVICE));
    const describe = async (arn: string) =>
      (
        (await aws('ecs', 'describe-service-deployments', '--service-deployment-arns', arn)) as {
          serviceDeployments: Deployment[];
        }
      ).serviceDeployments[0]!;
    const listed = (await aws('ecs', 'list-service-deployments', '--cluster', 'cli', '--service', 'web')) as {
      serviceDeployments: {
        serviceDeploymentArn: string;
        status: string;
        targetServiceRevisionArn: string;
      }[];
    };
    expect(listed.serviceDeployments).toHaveLength(1);
    const arn = listed.serviceDeployments[0]!.serviceDeploymentArn;
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/cli\/web\/[\w-]{22}$/);
    // the deployment pauses before the canary shift
    e.advance(20);
    const paused = await describe(arn);
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' });
    const revision = (await aws(
      'ecs',
      'describe-service-revisions',
      '--service-revision-arns',
      paused.targetServiceRevision.arn,
    )) as { serviceRevisions: { taskDefinition: string; containerImages: { image: string }[] }[] };
    expect(revision.serviceRevisions[0]).toMatchObject({
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      containerImages: [{ image: 'nginx:1.27' }],
    });
    // continue: the canary weight is shifted
    await aws(
      'ecs',
      'continue-service-deployment',
      '--service-deployment-arn',
      arn,
      '--hook-id',
      paused.lifecycleHookDetails![0]!.hookId,
      '--action',
      'CONTINUE',
    );
    e.advance(2);
    const canary = await describe(arn);
    expect(canary).toMatchObject({
      lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      targetServiceRevision: { requestedProductionTrafficWeight: 10 },
    });
    // stop: rolled back
    await aws('ecs', 'stop-service-deployment', '--service-deployment-arn', arn, '--stop-type', 'ROLLBACK');
    expect((await describe(arn)).status).toBe('ROLLBACK_REQUESTED');
    await expect(
      aws('ecs', 'continue-service-deployment', '--service-deployment-arn', `${arn}x`, '--hook-id', 'h'),
    ).rejects.toThrow(/ServiceDeploymentNotFoundException/);
  }, 90_000);
});
