// The read calls of preflight checks (ecs-gitops verify, and before registering a changed task
// definition or deploying a service): ECR images, Secrets Manager secrets, SSM parameters, CloudWatch
// Logs groups, IAM roles and ELBv2 target groups. Reads only; one SDK client per service and region
// (images, log groups and target groups may live in other regions).
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type AwsCallCounter, type AwsServiceName, countCalls } from '../aws/clients.js';
import { requestHandlerOptions } from '../aws/http-options.js';
import type { AwsConfig } from '../config.js';

/** What a read found: present, missing (with the AWS answer), or the read itself failed. */
export type Lookup = { readonly found: true } | { readonly found: false; readonly reason: string };

/** GetRole's answer: the role's ARN and its trust policy (URL-decoded JSON). */
export type RoleLookup =
  | { readonly found: true; readonly arn: string; readonly trustPolicy: string }
  | { readonly found: false; readonly reason: string };

/** DescribeTargetGroups' answer for one target group: what a service's tasks must match. */
export type TargetGroupLookup =
  | {
      readonly found: true;
      readonly protocol?: string;
      readonly port?: number;
      readonly targetType?: string;
    }
  | { readonly found: false; readonly reason: string };

export interface PreflightReader {
  image(
    registryId: string,
    region: string,
    repository: string,
    ref: { tag?: string; digest?: string },
  ): Promise<Lookup>;
  secret(region: string, secretId: string): Promise<Lookup>;
  parameters(region: string, names: readonly string[]): Promise<ReadonlyMap<string, Lookup>>;
  logGroup(region: string, name: string): Promise<Lookup>;
  /** IAM is global: `region` only picks the client (a target's endpoint and credentials). */
  role(region: string, roleName: string): Promise<RoleLookup>;
  targetGroup(region: string, targetGroupArn: string): Promise<TargetGroupLookup>;
  destroy(): void;
}

/** A read that could not answer (access denied, unreachable) is not a finding: it propagates. */
const MISSING = new Set([
  'ImageNotFoundException',
  'RepositoryNotFoundException',
  'ResourceNotFoundException',
  'NoSuchEntityException',
  'TargetGroupNotFoundException',
]);

type Missing = { readonly found: false; readonly reason: string };

function missing(error: unknown): Missing {
  const e = error as { name?: string; message?: string };
  if (e.name && MISSING.has(e.name)) return { found: false, reason: `${e.name}: ${e.message ?? ''}`.trim() };
  throw error;
}

export interface PreflightReaderOptions {
  /** A target's assumed role: its images, secrets and log groups live in its account. */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** The controller's call counter, so preflight reads show in metrics and benchmarks. */
  readonly counter?: AwsCallCounter;
}

export function createPreflightReader(aws: AwsConfig, options: PreflightReaderOptions = {}): PreflightReader {
  const clients = new Map<string, { destroy(): void }>();
  function client<T extends { destroy(): void; readonly middlewareStack: unknown }>(
    kind: AwsServiceName,
    region: string,
    make: (config: object) => T,
  ): T {
    const key = `${kind}:${region}`;
    let found = clients.get(key) as T | undefined;
    if (!found) {
      found = make({
        region,
        maxAttempts: aws.maxAttempts,
        requestHandler: requestHandlerOptions(aws),
        ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
      if (options.counter) countCalls(found, kind, options.counter);
      clients.set(key, found);
    }
    return found;
  }
  return {
    async image(registryId, region, repository, ref) {
      const ecr = client('ecr', region, (c) => new ECRClient(c));
      try {
        const out = await ecr.send(
          new DescribeImagesCommand({
            registryId,
            repositoryName: repository,
            imageIds: [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' }],
          }),
        );
        return (out.imageDetails?.length ?? 0) > 0
          ? { found: true }
          : { found: false, reason: 'no image details' };
      } catch (error) {
        return missing(error);
      }
    },
    async secret(region, secretId) {
      const sm = client('secretsmanager', region, (c) => new SecretsManagerClient(c));
      try {
        await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
        return { found: true };
      } catch (error) {
        return missing(error);
      }
    },
    async parameters(region, names) {
      const ssm = client('ssm', region, (c) => new SSMClient(c));
      const result = new Map<string, Lookup>();
      for (let i = 0; i < names.length; i += 10) {
        const batch = names.slice(i, i + 10);
        // Existence only: values are never decrypted nor read into the controller.
        const out = await ssm.send(new GetParametersCommand({ Names: [...batch], WithDecryption: false }));
        const invalid = new Set(out.InvalidParameters ?? []);
        for (const name of batch) {
          result.set(
            name,
            invalid.has(name) ? { found: false, reason: 'InvalidParameters: not found' } : { found: true },
          );
        }
      }
      return result;
    },
    async logGroup(region, name) {
      const logs = client('logs', region, (c) => new CloudWatchLogsClient(c));
      let nextToken: string | undefined;
      do {
        const out = await logs.send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: name, ...(nextToken ? { nextToken } : {}) }),
        );
        if (out.logGroups?.some((g) => g.logGroupName === name)) return { found: true };
        nextToken = out.nextToken;
      } while (nextToken);
      return { found: false, reason: 'DescribeLogGroups: no such group' };
    },
    async role(region, roleName) {
      const iam = client('iam', region, (c) => new IAMClient(c));
      try {
        const out = await iam.send(new GetRoleCommand({ RoleName: roleName }));
        // IAM answers policy documents URL-encoded (RFC 3986); the SDK leaves them so.
        return {
          found: true,
          arn: out.Role?.Arn ?? '',
          trustPolicy: decodeURIComponent(out.Role?.AssumeRolePolicyDocument ?? ''),
        };
      } catch (error) {
        return missing(error);
      }
    },
    async targetGroup(region, targetGroupArn) {
      const elb = client('elasticloadbalancing', region, (c) => new ElasticLoadBalancingV2Client(c));
      try {
        const out = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }));
        const group = out.TargetGroups?.[0];
        if (!group) return { found: false, reason: 'DescribeTargetGroups: no such target group' };
        return {
          found: true,
          ...(group.Protocol ? { protocol: group.Protocol } : {}),
          ...(group.Port !== undefined ? { port: group.Port } : {}),
          ...(group.TargetType ? { targetType: group.TargetType } : {}),
        };
      } catch (error) {
        return missing(error);
      }
    },
    destroy() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
