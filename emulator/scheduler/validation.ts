// Input checks of the EventBridge Scheduler API reference (lengths, patterns, enums, ranges), in
// the service's "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …" form.
import type { Json, JsonObject } from '../state.js';
import { ApiError } from '../wire/errors.js';

export const validation = (message: string) => new ApiError('ValidationException', message);
export const notFound = (message: string) => new ApiError('ResourceNotFoundException', message, 404);
export const conflict = (message: string) => new ApiError('ConflictException', message, 409);

export const NAME_PATTERN = /^[0-9a-zA-Z-_.]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;

function constraint(value: Json | undefined, path: string, rule: string): ApiError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return validation(
    `1 validation error detected: Value '${shown}' at '${path}' failed to satisfy constraint: ${rule}`,
  );
}

export function requireMember(value: Json | undefined, path: string): void {
  if (value === undefined || value === null) {
    throw constraint(null, path, 'Member must not be null');
  }
}

export function checkString(
  value: Json | undefined,
  path: string,
  rules: { min?: number; max: number; pattern?: RegExp; required?: boolean },
): string | undefined {
  if (value === undefined || value === null) {
    if (rules.required) requireMember(value, path);
    return undefined;
  }
  if (typeof value !== 'string') throw validation(`${path} must be a string.`);
  const min = rules.min ?? 1;
  if (value.length < min || value.length > rules.max) {
    throw constraint(value, path, `Member must have length between ${min} and ${rules.max}`);
  }
  if (rules.pattern && !rules.pattern.test(value)) {
    throw constraint(value, path, `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
  }
  return value;
}

export function checkEnum(
  value: Json | undefined,
  path: string,
  allowed: readonly string[],
  required = false,
): string | undefined {
  if (value === undefined || value === null) {
    if (required) requireMember(value, path);
    return undefined;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw constraint(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value;
}

export function checkInteger(
  value: Json | undefined,
  path: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validation(`${path} must be an integer.`);
  if (value < min) throw constraint(value, path, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(value, path, `Member must have value less than or equal to ${max}`);
  return value;
}

function objectAt(value: Json | undefined, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validation(`${path} must be an object.`);
  return value;
}

/** FlexibleTimeWindow: Mode OFF | FLEXIBLE; MaximumWindowInMinutes 1-1440, only and always with FLEXIBLE. */
export function checkFlexibleTimeWindow(value: Json | undefined): JsonObject {
  requireMember(value, 'flexibleTimeWindow');
  const window = objectAt(value, 'flexibleTimeWindow')!;
  const mode = checkEnum(window.Mode, 'flexibleTimeWindow.mode', ['OFF', 'FLEXIBLE'], true);
  const minutes = checkInteger(
    window.MaximumWindowInMinutes,
    'flexibleTimeWindow.maximumWindowInMinutes',
    1,
    1440,
  );
  if (mode === 'FLEXIBLE' && minutes === undefined) {
    throw validation('MaximumWindowInMinutes must be provided when the FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  if (mode === 'OFF' && minutes !== undefined) {
    throw validation('MaximumWindowInMinutes must not be provided when the FlexibleTimeWindow Mode is OFF.');
  }
  return minutes === undefined ? { Mode: mode! } : { Mode: mode!, MaximumWindowInMinutes: minutes };
}

/** Target with its ECS parameters, retry policy and dead-letter queue; returns it with the defaults filled. */
export function checkTarget(value: Json | undefined): JsonObject {
  requireMember(value, 'target');
  const target = objectAt(value, 'target')!;
  checkString(target.Arn, 'target.arn', { max: 1600, required: true });
  checkString(target.RoleArn, 'target.roleArn', { max: 1600, pattern: ROLE_ARN, required: true });
  checkString(target.Input, 'target.input', { max: 8192 });
  const out: JsonObject = structuredClone(target);
  const dlq = objectAt(target.DeadLetterConfig, 'target.deadLetterConfig');
  if (dlq) checkString(dlq.Arn, 'target.deadLetterConfig.arn', { max: 1600, pattern: SQS_ARN });
  const retry = objectAt(target.RetryPolicy, 'target.retryPolicy') ?? {};
  out.RetryPolicy = {
    MaximumEventAgeInSeconds:
      checkInteger(
        retry.MaximumEventAgeInSeconds,
        'target.retryPolicy.maximumEventAgeInSeconds',
        60,
        86400,
      ) ?? 86400,
    MaximumRetryAttempts:
      checkInteger(retry.MaximumRetryAttempts, 'target.retryPolicy.maximumRetryAttempts', 0, 185) ?? 185,
  };
  const ecs = objectAt(target.EcsParameters, 'target.ecsParameters');
  if (ecs) {
    checkString(ecs.TaskDefinitionArn, 'target.ecsParameters.taskDefinitionArn', {
      max: 1600,
      required: true,
    });
    checkEnum(ecs.LaunchType, 'target.ecsParameters.launchType', ['EC2', 'FARGATE', 'EXTERNAL']);
    checkEnum(ecs.PropagateTags, 'target.ecsParameters.propagateTags', ['TASK_DEFINITION']);
    checkString(ecs.Group, 'target.ecsParameters.group', { max: 255 });
    checkString(ecs.ReferenceId, 'target.ecsParameters.referenceId', { min: 0, max: 1024 });
    checkString(ecs.PlatformVersion, 'target.ecsParameters.platformVersion', { max: 64 });
    if (ecs.LaunchType !== undefined && ecs.CapacityProviderStrategy !== undefined) {
      throw validation('LaunchType and CapacityProviderStrategy cannot both be specified.');
    }
    const network = objectAt(ecs.NetworkConfiguration, 'target.ecsParameters.networkConfiguration');
    const vpc = objectAt(
      network?.awsvpcConfiguration,
      'target.ecsParameters.networkConfiguration.awsvpcConfiguration',
    );
    if (vpc) {
      const subnets = vpc.Subnets;
      if (!Array.isArray(subnets) || subnets.length < 1 || subnets.length > 16) {
        throw constraint(
          subnets,
          'target.ecsParameters.networkConfiguration.awsvpcConfiguration.subnets',
          'Member must have length between 1 and 16',
        );
      }
      checkEnum(
        vpc.AssignPublicIp,
        'target.ecsParameters.networkConfiguration.awsvpcConfiguration.assignPublicIp',
        ['ENABLED', 'DISABLED'],
      );
    }
    const tags = ecs.Tags;
    if (tags !== undefined && (!Array.isArray(tags) || tags.length > 50)) {
      throw constraint(tags, 'target.ecsParameters.tags', 'Member must have length less than or equal to 50');
    }
    out.EcsParameters = {
      ...structuredClone(ecs),
      TaskCount: checkInteger(ecs.TaskCount, 'target.ecsParameters.taskCount', 1, 10) ?? 1,
    };
  }
  return out;
}
