// AWS IAM roles (query protocol, API version 2010-05-08): CreateRole, GetRole, DeleteRole, as the
// IAM API reference documents them — enough for a preflight to ask whether a task's roles exist and
// whom they trust. IAM is global: roles belong to the account, not to a region. Names are unique
// regardless of case. Trust policy documents come back URL-encoded (RFC 3986), as IAM returns them.
import type { OpContext } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { roleIdOf } from '../sts/sessions.js';
import { ApiError } from '../wire/errors.js';
import { constraintMessage } from '../wire/query.js';

const ROLE_NAME = /^[\w+=,.@-]+$/;
const PATH = /^(?:\/|\/[\u0021-\u007E]+\/)$/;
/** Tab, line feed, carriage return and U+0020–U+00FF: the pattern of assumeRolePolicyDocument. */
function policyText(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (!(code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xff))) return false;
  }
  return text.length > 0;
}

const validation = (message: string) => new ApiError('ValidationError', message);

function roles(ctx: OpContext): Record<string, JsonObject> {
  ctx.state.iam ??= { roles: {} };
  return ctx.state.iam.roles;
}

/** encodeURIComponent leaves `!'()*` alone; RFC 3986 reserves them, and IAM encodes them. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function text(input: JsonObject, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredName(input: JsonObject): string {
  const name = text(input, 'RoleName');
  if (name === undefined) throw validation(constraintMessage(null, 'roleName', 'Member must not be null'));
  if (name.length < 1 || name.length > 64)
    throw validation(
      constraintMessage(
        name,
        'roleName',
        name.length < 1
          ? 'Member must have length greater than or equal to 1'
          : 'Member must have length less than or equal to 64',
      ),
    );
  if (!ROLE_NAME.test(name))
    throw validation(
      constraintMessage(name, 'roleName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]+'),
    );
  return name;
}

function noSuchRole(name: string): ApiError {
  return new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
}

function present(role: JsonObject, full: boolean): JsonObject {
  const { AssumeRolePolicyDocument, MaxSessionDuration, Description, Tags, ...identity } = role;
  return {
    ...identity,
    AssumeRolePolicyDocument: rfc3986(String(AssumeRolePolicyDocument)),
    ...(Description !== undefined ? { Description } : {}),
    ...(full ? { MaxSessionDuration: MaxSessionDuration ?? 3600 } : {}),
    ...(Array.isArray(Tags) && Tags.length > 0 ? { Tags } : {}),
    ...(full ? { RoleLastUsed: {} } : {}),
  };
}

function tagsOf(input: JsonObject): JsonObject[] {
  const tags = Array.isArray(input.Tags) ? (input.Tags as JsonObject[]) : [];
  if (tags.length > 50)
    throw validation(constraintMessage(null, 'tags', 'Member must have length less than or equal to 50'));
  for (const tag of tags) {
    const key = text(tag, 'Key');
    if (key === undefined)
      throw validation(constraintMessage(null, 'tags.member.key', 'Member must not be null'));
    if (text(tag, 'Value') === undefined)
      throw validation(constraintMessage(null, 'tags.member.value', 'Member must not be null'));
  }
  return tags.map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value) }));
}

export function createRole(ctx: OpContext, input: JsonObject): Json {
  const name = requiredName(input);
  const document = text(input, 'AssumeRolePolicyDocument');
  if (document === undefined)
    throw validation(constraintMessage(null, 'assumeRolePolicyDocument', 'Member must not be null'));
  if (document.length > 131072 || !policyText(document))
    throw validation(
      constraintMessage(
        document,
        'assumeRolePolicyDocument',
        'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
      ),
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new ApiError('MalformedPolicyDocument', 'This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed))
    throw new ApiError('MalformedPolicyDocument', 'Syntax errors in policy.');
  const path = text(input, 'Path') ?? '/';
  if (path.length > 512 || !PATH.test(path))
    throw validation(
      constraintMessage(
        path,
        'path',
        'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
      ),
    );
  const description = text(input, 'Description');
  if (description !== undefined && description.length > 1000)
    throw validation(
      constraintMessage(description, 'description', 'Member must have length less than or equal to 1000'),
    );
  const durationText = text(input, 'MaxSessionDuration');
  const duration = durationText === undefined ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 3600 || duration > 43200)
    throw validation(
      constraintMessage(
        durationText ?? null,
        'maxSessionDuration',
        duration < 3600
          ? 'Member must have value greater than or equal to 3600'
          : 'Member must have value less than or equal to 43200',
      ),
    );
  const tags = tagsOf(input);
  const all = roles(ctx);
  if (all[name.toLowerCase()])
    throw new ApiError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
  const arn = `arn:aws:iam::${ctx.accountId}:role${path}${name}`;
  const role: JsonObject = {
    Path: path,
    RoleName: name,
    RoleId: roleIdOf(arn),
    Arn: arn,
    CreateDate: new Date(ctx.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    AssumeRolePolicyDocument: document,
    MaxSessionDuration: duration,
    ...(description !== undefined ? { Description: description } : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
  all[name.toLowerCase()] = role;
  return { Role: present(role, false) };
}

export function getRole(ctx: OpContext, input: JsonObject): Json {
  const name = requiredName(input);
  const role = roles(ctx)[name.toLowerCase()];
  if (!role) throw noSuchRole(name);
  return { Role: present(role, true) };
}

/** Attached or inline policies are not modelled, so DeleteConflict never arises. */
export function deleteRole(ctx: OpContext, input: JsonObject): Json {
  const name = requiredName(input);
  const all = roles(ctx);
  if (!all[name.toLowerCase()]) throw noSuchRole(name);
  delete all[name.toLowerCase()];
  return null;
}
