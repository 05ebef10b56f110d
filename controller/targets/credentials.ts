// A target's AWS credentials: its role assumed through STS with the default chain's credentials,
// refreshed by the SDK provider before they expire; without a role, the default chain itself.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsConfig } from '../config.js';
import type { Target } from './targets-file.js';

export function targetCredentials(target: Target, aws: AwsConfig): AwsCredentialIdentityProvider | undefined {
  if (!target.roleArn) return undefined;
  return fromTemporaryCredentials({
    params: {
      RoleArn: target.roleArn,
      RoleSessionName: `ecs-gitops-${target.name}`.slice(0, 64),
      ...(target.externalId ? { ExternalId: target.externalId } : {}),
      DurationSeconds: 3600,
    },
    clientConfig: {
      region: target.region,
      // The emulator (or any compatible endpoint) serves STS on the same URL; real AWS uses its own.
      ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}),
    },
  });
}
