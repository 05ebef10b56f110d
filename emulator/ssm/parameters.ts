// AWS Systems Manager Parameter Store (AmazonSSM, AWS JSON 1.1): PutParameter and GetParameters.
// GetParameters answers the names it cannot find in InvalidParameters (not as an error), accepts
// names and ARNs, and returns SecureString values only as stored ciphertext stand-ins unless
// WithDecryption is true.
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { Input } from '../wire/input.js';

const invalid = (message: string) => new ApiError('ValidationException', message);
const TYPES = new Set(['String', 'StringList', 'SecureString']);

function parameters(region: RegionState): Record<string, JsonObject> {
  region.ssmParameters ??= {};
  return region.ssmParameters;
}

/** `arn:aws:ssm:region:acct:parameter/a/b` → `/a/b`; `a/b` (ARN form without slash) → `a/b`. */
function nameOf(ctx: OpContext, nameOrArn: string): string | undefined {
  const match = /^arn:aws:ssm:([^:]+):(\d{12}):parameter(\/.*)$/.exec(nameOrArn);
  if (!match) return nameOrArn;
  if (match[1] !== ctx.regionName || match[2] !== ctx.accountId) return undefined;
  const path = match[3] ?? '';
  // `parameter/name` names the top-level parameter `name`; `parameter/a/b` names `/a/b`.
  return path.split('/').length > 2 ? path : path.slice(1);
}

export function putParameter(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const name = input.requiredString('Name');
  const value = input.requiredString('Value');
  const type = input.string('Type') ?? 'String';
  if (!TYPES.has(type))
    throw invalid(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  const all = parameters(ctx.region);
  const existing = all[name];
  if (existing && input.boolean('Overwrite') !== true) {
    throw new ApiError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
  const version = Number(existing?.Version ?? 0) + 1;
  const arnName = name.startsWith('/') ? name : `/${name}`;
  all[name] = {
    Name: name,
    Type: type,
    Value: value,
    Version: version,
    LastModifiedDate: ctx.nowMs / 1000,
    ARN: `arn:aws:ssm:${ctx.regionName}:${ctx.accountId}:parameter${arnName}`,
    DataType: 'text',
  };
  return { Version: version, Tier: 'Standard' };
}

export function getParameters(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const names = input.strings('Names') ?? [];
  if (names.length === 0 || names.length > 10) {
    throw invalid(
      `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length ${names.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  const decrypt = input.boolean('WithDecryption') === true;
  const found: JsonObject[] = [];
  const missing: string[] = [];
  for (const requested of names) {
    const name = nameOf(ctx, requested);
    const parameter = name ? parameters(ctx.region)[name] : undefined;
    if (!parameter) {
      missing.push(requested);
      continue;
    }
    const hidden = parameter.Type === 'SecureString' && !decrypt;
    found.push({ ...parameter, ...(hidden ? { Value: `kms:encrypted:${String(parameter.Name)}` } : {}) });
  }
  return { Parameters: found, InvalidParameters: missing };
}
