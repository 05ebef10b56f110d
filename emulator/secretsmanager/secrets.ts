// AWS Secrets Manager (secretsmanager, AWS JSON 1.1): CreateSecret and DescribeSecret, so a
// preflight can ask whether a secret a task definition references exists. Values are kept but
// never returned (there is no GetSecretValue here).
import { randomBytes } from 'node:crypto';
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { Input } from '../wire/input.js';

const invalid = (message: string) => new ApiError('InvalidParameterException', message);
const notFound = () =>
  new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

function secrets(region: RegionState): Record<string, JsonObject> {
  region.secrets ??= {};
  return region.secrets;
}

// ARNs end in -<6 random characters>; a secret is found by name, full ARN or ARN without the suffix.
function find(ctx: OpContext, id: string): JsonObject | undefined {
  const all = secrets(ctx.region);
  if (all[id]) return all[id];
  return Object.values(all).find((s) => s.ARN === id || String(s.ARN).replace(/-[A-Za-z0-9]{6}$/, '') === id);
}

export function createSecret(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const name = input.requiredString('Name');
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name))
    throw invalid(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  if (secrets(ctx.region)[name]) {
    throw new ApiError(
      'ResourceExistsException',
      `The operation failed because the secret ${name} already exists.`,
    );
  }
  const suffix = randomBytes(6)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 6);
  const arn = `arn:aws:secretsmanager:${ctx.regionName}:${ctx.accountId}:secret:${name}-${suffix}`;
  secrets(ctx.region)[name] = {
    ARN: arn,
    Name: name,
    ...(input.string('Description') ? { Description: input.string('Description') as string } : {}),
    CreatedDate: ctx.nowMs / 1000,
    LastChangedDate: ctx.nowMs / 1000,
  };
  return { ARN: arn, Name: name, VersionId: randomBytes(16).toString('hex') };
}

export function describeSecret(ctx: OpContext, body: JsonObject): Json {
  const id = new Input(body, invalid).requiredString('SecretId');
  const secret = find(ctx, id);
  if (!secret) throw notFound();
  return secret;
}
