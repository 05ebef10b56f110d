// The enum members of the Application Auto Scaling service model, checked the way the service's
// request validation does: every violation listed in one ValidationException, members named in
// lowerCamelCase ("1 validation error detected: Value 'foo' at 'serviceNamespace' failed to …").
import { validationException } from '../wire/errors.js';
import type { Input } from '../wire/input.js';

export const SERVICE_NAMESPACES = [
  'ecs',
  'elasticmapreduce',
  'ec2',
  'appstream',
  'dynamodb',
  'rds',
  'sagemaker',
  'custom-resource',
  'comprehend',
  'lambda',
  'cassandra',
  'kafka',
  'elasticache',
  'neptune',
  'workspaces',
] as const;

export const SCALABLE_DIMENSIONS = [
  'ecs:service:DesiredCount',
  'ec2:spot-fleet-request:TargetCapacity',
  'elasticmapreduce:instancegroup:InstanceCount',
  'appstream:fleet:DesiredCapacity',
  'dynamodb:table:ReadCapacityUnits',
  'dynamodb:table:WriteCapacityUnits',
  'dynamodb:index:ReadCapacityUnits',
  'dynamodb:index:WriteCapacityUnits',
  'rds:cluster:ReadReplicaCount',
  'sagemaker:variant:DesiredInstanceCount',
  'custom-resource:ResourceType:Property',
  'comprehend:document-classifier-endpoint:DesiredInferenceUnits',
  'comprehend:entity-recognizer-endpoint:DesiredInferenceUnits',
  'lambda:function:ProvisionedConcurrency',
  'cassandra:table:ReadCapacityUnits',
  'cassandra:table:WriteCapacityUnits',
  'kafka:broker-storage:VolumeSize',
  'elasticache:cache-cluster:Nodes',
  'elasticache:replication-group:NodeGroups',
  'elasticache:replication-group:Replicas',
  'neptune:cluster:ReadReplicaCount',
  'sagemaker:variant:DesiredProvisionedConcurrency',
  'sagemaker:inference-component:DesiredCopyCount',
  'workspaces:workspacespool:DesiredUserSessions',
] as const;

export const POLICY_TYPES = ['StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const;

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  ServiceNamespace: SERVICE_NAMESPACES,
  ScalableDimension: SCALABLE_DIMENSIONS,
  PolicyType: POLICY_TYPES,
};

const lowerCamel = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);

/** Throws one ValidationException listing every enum member of `members` with a value outside its set. */
export function checkEnums(input: Input, members: readonly string[]): void {
  const violations: string[] = [];
  for (const member of members) {
    const allowed = ENUMS[member];
    const value = input.raw(member);
    if (allowed === undefined || typeof value !== 'string' || allowed.includes(value)) continue;
    violations.push(
      `Value '${value}' at '${lowerCamel(member)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  if (violations.length === 0) return;
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  throw validationException(`${count} detected: ${violations.join('; ')}`);
}
