// Creates what a task definition depends on outside ECS, through the real create calls over the
// emulator's wire: an ECR repository and image, a Secrets Manager secret, SSM parameters, a log group,
// IAM roles and ELBv2 target groups.
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  type ProtocolEnum,
  type TargetTypeEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

export async function createPrerequisites(
  endpoint: string,
  wanted: {
    images?: ReadonlyArray<{ repository: string; tag: string }>;
    secrets?: readonly string[];
    parameters?: readonly string[];
    logGroups?: readonly string[];
    /** Roles by name, trusting the given service principal (default ecs-tasks.amazonaws.com). */
    roles?: ReadonlyArray<{ name: string; path?: string; trusts?: string }>;
    targetGroups?: ReadonlyArray<{
      name: string;
      protocol: ProtocolEnum;
      port: number;
      targetType?: TargetTypeEnum;
    }>;
  },
): Promise<{ secretArns: Record<string, string>; targetGroupArns: Record<string, string> }> {
  const config = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const ecr = new ECRClient(config);
  const sm = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const iam = new IAMClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const secretArns: Record<string, string> = {};
  const targetGroupArns: Record<string, string> = {};
  try {
    const repositories = new Set<string>();
    for (const { repository, tag } of wanted.images ?? []) {
      if (!repositories.has(repository)) {
        await ecr
          .send(new CreateRepositoryCommand({ repositoryName: repository }))
          .catch((error: { name?: string }) => {
            if (error.name !== 'RepositoryAlreadyExistsException') throw error;
          });
        repositories.add(repository);
      }
      const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${tag}` } });
      await ecr.send(
        new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: tag }),
      );
    }
    for (const name of wanted.secrets ?? []) {
      const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 's3cr3t' }));
      secretArns[name] = out.ARN ?? '';
    }
    for (const name of wanted.parameters ?? []) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'SecureString' }));
    }
    for (const name of wanted.logGroups ?? [])
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    for (const role of wanted.roles ?? []) {
      const trust = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: role.trusts ?? 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      };
      await iam.send(
        new CreateRoleCommand({
          RoleName: role.name,
          ...(role.path ? { Path: role.path } : {}),
          AssumeRolePolicyDocument: JSON.stringify(trust),
        }),
      );
    }
    for (const group of wanted.targetGroups ?? []) {
      const out = await elb.send(
        new CreateTargetGroupCommand({
          Name: group.name,
          Protocol: group.protocol,
          Port: group.port,
          VpcId: 'vpc-0abc',
          TargetType: group.targetType ?? 'ip',
        }),
      );
      targetGroupArns[group.name] = out.TargetGroups?.[0]?.TargetGroupArn ?? '';
    }
  } finally {
    for (const client of [ecr, sm, ssm, logs, iam, elb]) client.destroy();
  }
  return { secretArns, targetGroupArns };
}
