// Creates what a task definition depends on outside ECS, through the real create calls over the
// emulator's wire: an ECR repository and image, a Secrets Manager secret, SSM parameters, a log group.
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
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
  },
): Promise<{ secretArns: Record<string, string> }> {
  const config = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const ecr = new ECRClient(config);
  const sm = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const secretArns: Record<string, string> = {};
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
  } finally {
    for (const client of [ecr, sm, ssm, logs]) client.destroy();
  }
  return { secretArns };
}
