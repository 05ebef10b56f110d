// What a task definition depends on outside ECS, read from its spec: images, secrets, log groups.
// Pure: parsing only, so each reference can be checked (and tested) on its own.
import type { DesiredTaskDefinition } from '../manifest/model.js';

export type ImageRef =
  | {
      readonly kind: 'ecr';
      readonly image: string;
      readonly registryId: string;
      readonly region: string;
      readonly repository: string;
      readonly tag?: string;
      readonly digest?: string;
    }
  | { readonly kind: 'other'; readonly image: string; readonly registry: string };

export type SecretRef =
  | {
      readonly kind: 'secretsmanager';
      readonly valueFrom: string;
      readonly region: string;
      readonly secretId: string;
    }
  | { readonly kind: 'ssm'; readonly valueFrom: string; readonly region: string; readonly name: string };

export interface LogGroupRef {
  readonly container: string;
  readonly group: string;
  readonly region: string;
  readonly createGroup: boolean;
}

const ECR =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/;

export function parseImage(image: string): ImageRef {
  const match = ECR.exec(image);
  if (match) {
    return {
      kind: 'ecr',
      image,
      registryId: match[1] ?? '',
      region: match[2] ?? '',
      repository: match[3] ?? '',
      ...(match[5] ? { digest: match[5] } : { tag: match[4] ?? 'latest' }),
    };
  }
  const first = image.split('/')[0] ?? '';
  const registry = image.includes('/') && /[.:]/.test(first) ? first : 'docker.io';
  return { kind: 'other', image, registry };
}

// `arn:aws:secretsmanager:region:acct:secret:name-AbCdEf[:json-key:version-stage:version-id]`:
// DescribeSecret takes the ARN up to the secret name.
export function parseSecret(valueFrom: string, defaultRegion: string): SecretRef {
  const parts = valueFrom.split(':');
  if (parts[0] === 'arn' && parts[2] === 'secretsmanager') {
    return {
      kind: 'secretsmanager',
      valueFrom,
      region: parts[3] ?? defaultRegion,
      secretId: parts.slice(0, 7).join(':'),
    };
  }
  if (parts[0] === 'arn' && parts[2] === 'ssm')
    return { kind: 'ssm', valueFrom, region: parts[3] ?? defaultRegion, name: valueFrom };
  return { kind: 'ssm', valueFrom, region: defaultRegion, name: valueFrom };
}

interface ContainerLike {
  readonly name?: string;
  readonly image?: string;
  readonly secrets?: ReadonlyArray<{ readonly valueFrom?: string }>;
  readonly logConfiguration?: {
    readonly logDriver?: string;
    readonly options?: Readonly<Record<string, string>>;
    readonly secretOptions?: ReadonlyArray<{ readonly valueFrom?: string }>;
  };
}

export interface TaskDefinitionReferences {
  readonly images: ReadonlyArray<{ readonly container: string; readonly ref: ImageRef }>;
  readonly secrets: ReadonlyArray<{ readonly container: string; readonly ref: SecretRef }>;
  readonly logGroups: readonly LogGroupRef[];
}

export function taskDefinitionReferences(
  resource: DesiredTaskDefinition,
  region: string,
): TaskDefinitionReferences {
  const containers = (resource.spec.containerDefinitions ?? []) as readonly ContainerLike[];
  const images: Array<{ container: string; ref: ImageRef }> = [];
  const secrets: Array<{ container: string; ref: SecretRef }> = [];
  const logGroups: LogGroupRef[] = [];
  for (const container of containers) {
    const name = container.name ?? '?';
    if (container.image) images.push({ container: name, ref: parseImage(container.image) });
    const valueFroms = [...(container.secrets ?? []), ...(container.logConfiguration?.secretOptions ?? [])];
    for (const secret of valueFroms) {
      if (secret.valueFrom) secrets.push({ container: name, ref: parseSecret(secret.valueFrom, region) });
    }
    const log = container.logConfiguration;
    const group = log?.options?.['awslogs-group'];
    if (log?.logDriver === 'awslogs' && group) {
      logGroups.push({
        container: name,
        group,
        region: log.options?.['awslogs-region'] ?? region,
        createGroup: log.options?.['awslogs-create-group'] === 'true',
      });
    }
  }
  return { images, secrets, logGroups };
}
