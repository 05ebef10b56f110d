// What a task definition depends on outside ECS, read from its spec: images, secrets, log groups,
// its roles; and what a service's load balancers name: target groups and container ports.
// Pure: parsing only, so each reference can be checked (and tested) on its own.
import type { DesiredService, DesiredTaskDefinition } from '../manifest/model.js';

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

export interface RoleRef {
  /** Which of the task definition's roles: the agent's (pulls, secrets, logs) or the task's own. */
  readonly use: 'execution' | 'task';
  /** What the manifest wrote: a role ARN or (taskRoleArn only) a role name. */
  readonly value: string;
  /** GetRole takes the name: the last segment of the ARN's path. */
  readonly roleName: string;
  /** The ARN as written, when it is one: GetRole's answer must be this exact role (path, account). */
  readonly arn?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

export function parseRole(use: RoleRef['use'], value: string): RoleRef {
  const match = ROLE_ARN.exec(value);
  return match ? { use, value, roleName: match[1] ?? value, arn: value } : { use, value, roleName: value };
}

export interface TaskDefinitionReferences {
  readonly images: ReadonlyArray<{ readonly container: string; readonly ref: ImageRef }>;
  readonly secrets: ReadonlyArray<{ readonly container: string; readonly ref: SecretRef }>;
  readonly logGroups: readonly LogGroupRef[];
  readonly roles: readonly RoleRef[];
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
  const roles: RoleRef[] = [];
  if (resource.spec.executionRoleArn) roles.push(parseRole('execution', resource.spec.executionRoleArn));
  if (resource.spec.taskRoleArn) roles.push(parseRole('task', resource.spec.taskRoleArn));
  return { images, secrets, logGroups, roles };
}

export interface TargetGroupRef {
  readonly targetGroupArn: string;
  /** The target group's region, from its ARN. */
  readonly region: string;
  readonly containerName?: string;
  readonly containerPort?: number;
}

const TARGET_GROUP_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/;

/** The target groups a service's `loadBalancers` (and a blue/green alternate) route to. */
export function serviceTargetGroups(resource: DesiredService, region: string): TargetGroupRef[] {
  return (resource.spec.loadBalancers ?? []).flatMap((lb) =>
    [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn].flatMap((arn) =>
      arn
        ? [
            {
              targetGroupArn: arn,
              region: TARGET_GROUP_ARN.exec(arn)?.[1] ?? region,
              ...(lb.containerName ? { containerName: lb.containerName } : {}),
              ...(lb.containerPort !== undefined ? { containerPort: lb.containerPort } : {}),
            },
          ]
        : [],
    ),
  );
}
