// Elastic Load Balancing v2 target groups (query protocol, API version 2015-12-01): CreateTargetGroup,
// DescribeTargetGroups, DeleteTargetGroup, with the defaults and validation of the ELB API reference —
// enough for a preflight to ask whether a service's target groups exist and what they carry. No load
// balancers, listeners or targets are modelled: every target group is unattached.
import { createHash } from 'node:crypto';
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { constraintMessage } from '../wire/query.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const;
const TARGET_TYPES = ['instance', 'ip', 'lambda', 'alb'] as const;
const IP_ADDRESS_TYPES = ['ipv4', 'ipv6'] as const;
/** The members CreateTargetGroup compares to decide "same settings" (idempotent) vs a duplicate name. */
const SETTINGS = [
  'Protocol',
  'ProtocolVersion',
  'Port',
  'VpcId',
  'HealthCheckProtocol',
  'HealthCheckPort',
  'HealthCheckEnabled',
  'HealthCheckPath',
  'HealthCheckIntervalSeconds',
  'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount',
  'UnhealthyThresholdCount',
  'Matcher',
  'TargetType',
  'IpAddressType',
] as const;

const validation = (message: string) => new ApiError('ValidationError', message);
const notFound = () => new ApiError('TargetGroupNotFound', 'One or more target groups not found');

function groups(region: RegionState): Record<string, JsonObject> {
  region.targetGroups ??= {};
  return region.targetGroups;
}

function text(input: JsonObject, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function strings(input: JsonObject, name: string): string[] {
  const value = input[name];
  return Array.isArray(value) ? value.map(String) : [];
}

function integer(
  input: JsonObject,
  name: string,
  member: string,
  min: number,
  max: number,
): number | undefined {
  const raw = text(input, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw validation(constraintMessage(raw, member, 'Member must be an integer'));
  if (value < min)
    throw validation(
      constraintMessage(raw, member, `Member must have value greater than or equal to ${min}`),
    );
  if (value > max)
    throw validation(constraintMessage(raw, member, `Member must have value less than or equal to ${max}`));
  return value;
}

function oneOf<T extends string>(
  input: JsonObject,
  name: string,
  member: string,
  values: readonly T[],
): T | undefined {
  const value = text(input, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value))
    throw validation(
      constraintMessage(value, member, `Member must satisfy enum value set: [${values.join(', ')}]`),
    );
  return value as T;
}

// The three naming rules of the API reference; the wording is ours where no published text was found.
function checkName(name: string | undefined): string {
  if (name === undefined) throw validation(constraintMessage(null, 'name', 'Member must not be null'));
  if (name.length < 1 || name.length > 32)
    throw validation(`Target group name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name))
    throw validation(
      `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`,
    );
  if (name.startsWith('-') || name.endsWith('-'))
    throw validation(`Target group name '${name}' cannot begin or end with '-'`);
  return name;
}

/** The target group as CreateTargetGroup would store it, defaults filled per protocol and target type. */
function targetGroupOf(ctx: OpContext, input: JsonObject): JsonObject {
  const name = checkName(text(input, 'Name'));
  const targetType = oneOf(input, 'TargetType', 'targetType', TARGET_TYPES) ?? 'instance';
  const protocol = oneOf(input, 'Protocol', 'protocol', PROTOCOLS);
  const port = integer(input, 'Port', 'port', 1, 65535);
  const vpcId = text(input, 'VpcId');
  const lambda = targetType === 'lambda';
  if (lambda) {
    if (protocol !== undefined || port !== undefined || vpcId !== undefined)
      throw validation('Protocol, port, and VPC ID are not supported for target groups of type lambda');
  } else {
    if (protocol === undefined) throw validation('A protocol must be specified');
    if (port === undefined) throw validation('A port must be specified');
    if (vpcId === undefined) throw validation('A VPC ID must be specified');
  }
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  if (targetType === 'alb' && protocol !== 'TCP')
    throw validation("Target groups of type 'alb' only support the TCP protocol");
  const healthCheckProtocol =
    oneOf(input, 'HealthCheckProtocol', 'healthCheckProtocol', ['HTTP', 'HTTPS', 'TCP'] as const) ??
    (lambda ? undefined : http ? protocol : protocol === 'GENEVE' ? 'HTTP' : 'TCP');
  if (http && healthCheckProtocol === 'TCP')
    throw validation(
      `Health check protocol 'TCP' is not supported for target groups with the ${protocol} protocol`,
    );
  const hcHttp = healthCheckProtocol === 'HTTP' || healthCheckProtocol === 'HTTPS' || lambda;
  const interval =
    integer(input, 'HealthCheckIntervalSeconds', 'healthCheckIntervalSeconds', 5, 300) ??
    (lambda ? 35 : protocol === 'GENEVE' ? 10 : 30);
  const timeout =
    integer(input, 'HealthCheckTimeoutSeconds', 'healthCheckTimeoutSeconds', 2, 120) ??
    (lambda ? 30 : protocol === 'HTTP' ? 6 : protocol === 'GENEVE' ? 5 : 10);
  if (timeout >= interval) throw validation('Health check interval must be greater than the timeout.');
  const matcher =
    typeof input.Matcher === 'object' && input.Matcher !== null && !Array.isArray(input.Matcher)
      ? (input.Matcher as JsonObject)
      : undefined;
  const id = createHash('sha256')
    .update(`${ctx.accountId}/${ctx.regionName}/${name}/${ctx.nowMs}`)
    .digest('hex')
    .slice(0, 16);
  return {
    TargetGroupArn: `arn:aws:elasticloadbalancing:${ctx.regionName}:${ctx.accountId}:targetgroup/${name}/${id}`,
    TargetGroupName: name,
    ...(protocol !== undefined ? { Protocol: protocol } : {}),
    ...(port !== undefined ? { Port: port } : {}),
    ...(vpcId !== undefined ? { VpcId: vpcId } : {}),
    ...(healthCheckProtocol !== undefined ? { HealthCheckProtocol: healthCheckProtocol } : {}),
    ...(lambda
      ? {}
      : {
          HealthCheckPort: text(input, 'HealthCheckPort') ?? (protocol === 'GENEVE' ? '80' : 'traffic-port'),
        }),
    HealthCheckEnabled:
      text(input, 'HealthCheckEnabled') === undefined
        ? !lambda
        : text(input, 'HealthCheckEnabled') === 'true',
    HealthCheckIntervalSeconds: interval,
    HealthCheckTimeoutSeconds: timeout,
    HealthyThresholdCount: integer(input, 'HealthyThresholdCount', 'healthyThresholdCount', 2, 10) ?? 5,
    UnhealthyThresholdCount:
      integer(input, 'UnhealthyThresholdCount', 'unhealthyThresholdCount', 2, 10) ?? (lambda ? 5 : 2),
    ...(hcHttp ? { HealthCheckPath: text(input, 'HealthCheckPath') ?? '/' } : {}),
    ...(hcHttp ? { Matcher: matcher ?? { HttpCode: '200' } } : {}),
    LoadBalancerArns: [],
    TargetType: targetType,
    ...(http ? { ProtocolVersion: text(input, 'ProtocolVersion') ?? 'HTTP1' } : {}),
    ...(lambda
      ? {}
      : { IpAddressType: oneOf(input, 'IpAddressType', 'ipAddressType', IP_ADDRESS_TYPES) ?? 'ipv4' }),
  };
}

function sameSettings(a: JsonObject, b: JsonObject): boolean {
  return SETTINGS.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

export function createTargetGroup(ctx: OpContext, input: JsonObject): Json {
  const wanted = targetGroupOf(ctx, input);
  const all = groups(ctx.region);
  const existing = Object.values(all).find((g) => g.TargetGroupName === wanted.TargetGroupName);
  if (existing) {
    // The API is idempotent: the same settings answer the existing group.
    if (sameSettings(existing, wanted)) return { TargetGroups: [existing] };
    throw new ApiError(
      'DuplicateTargetGroupName',
      `A target group with the same name '${String(wanted.TargetGroupName)}' exists, but with different settings`,
    );
  }
  if (Object.keys(all).length >= 3000)
    throw new ApiError(
      'TooManyTargetGroups',
      'You have reached the limit on the number of target groups for your AWS account',
    );
  all[String(wanted.TargetGroupArn)] = wanted;
  return { TargetGroups: [wanted] };
}

/** Any ARN or name that matches nothing fails the whole call, as ELB does. */
function present(picked: ReadonlyArray<JsonObject | undefined>): JsonObject[] {
  const found = picked.filter((g): g is JsonObject => g !== undefined);
  if (found.length < picked.length) throw notFound();
  return found;
}

export function describeTargetGroups(ctx: OpContext, input: JsonObject): Json {
  const arns = strings(input, 'TargetGroupArns');
  const names = strings(input, 'Names');
  const loadBalancer = text(input, 'LoadBalancerArn');
  const pageSize = integer(input, 'PageSize', 'pageSize', 1, 400) ?? 400;
  const filters = [arns.length > 0, names.length > 0, loadBalancer !== undefined].filter(Boolean).length;
  if (filters > 1)
    throw validation(
      'A load balancer ARN, target group names, or target group ARNs can be specified, but not together',
    );
  const all = groups(ctx.region);
  let found: JsonObject[];
  if (loadBalancer !== undefined) {
    // No load balancer exists in the emulator.
    throw new ApiError('LoadBalancerNotFound', 'One or more load balancers not found');
  } else if (arns.length > 0) {
    found = present(arns.map((arn) => all[arn]));
  } else if (names.length > 0) {
    const byName = new Map(Object.values(all).map((g) => [g.TargetGroupName, g]));
    found = present(names.map((name) => byName.get(name)));
  } else {
    found = Object.values(all).sort((a, b) =>
      String(a.TargetGroupArn).localeCompare(String(b.TargetGroupArn)),
    );
  }
  const start = Number(text(input, 'Marker') ?? 0) || 0;
  const page = found.slice(start, start + pageSize);
  return {
    TargetGroups: page,
    ...(start + pageSize < found.length ? { NextMarker: String(start + pageSize) } : {}),
  };
}

/** Deleting a target group that does not exist succeeds: the reference lists no not-found error. */
export function deleteTargetGroup(ctx: OpContext, input: JsonObject): Json {
  const arn = text(input, 'TargetGroupArn');
  if (arn === undefined)
    throw validation(constraintMessage(null, 'targetGroupArn', 'Member must not be null'));
  delete groups(ctx.region)[arn];
  return {};
}
