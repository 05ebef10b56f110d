// Amazon CloudWatch Logs (Logs_20140328, AWS JSON 1.1): CreateLogGroup and DescribeLogGroups (by
// prefix, sorted by name, paged with nextToken), so a preflight can ask whether an awslogs group exists.
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { Input } from '../wire/input.js';

const invalid = (message: string) => new ApiError('InvalidParameterException', message);
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

function groups(region: RegionState): Record<string, JsonObject> {
  region.logGroups ??= {};
  return region.logGroups;
}

export function createLogGroup(ctx: OpContext, body: JsonObject): Json {
  const name = new Input(body, invalid).requiredString('logGroupName');
  if (!LOG_GROUP_NAME.test(name)) {
    throw invalid(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  const all = groups(ctx.region);
  if (all[name])
    throw new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists');
  all[name] = {
    logGroupName: name,
    creationTime: Math.round(ctx.nowMs),
    metricFilterCount: 0,
    arn: `arn:aws:logs:${ctx.regionName}:${ctx.accountId}:log-group:${name}:*`,
    logGroupArn: `arn:aws:logs:${ctx.regionName}:${ctx.accountId}:log-group:${name}`,
    storedBytes: 0,
    logGroupClass: 'STANDARD',
  };
  return {};
}

export function describeLogGroups(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const prefix = input.string('logGroupNamePrefix') ?? '';
  const limit = input.integer('limit') ?? 50;
  if (limit < 1 || limit > 50)
    throw invalid(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`,
    );
  const names = Object.keys(groups(ctx.region))
    .filter((name) => name.startsWith(prefix))
    .sort();
  const start = Number(input.string('nextToken') ?? 0) || 0;
  const page = names.slice(start, start + limit);
  return {
    logGroups: page.map((name) => groups(ctx.region)[name] as JsonObject),
    ...(start + limit < names.length ? { nextToken: String(start + limit) } : {}),
  };
}
