// AWS STS over its query protocol (form-encoded POST, XML answers, API version 2011-06-15):
// AssumeRole and GetCallerIdentity, validated as the STS API reference documents them. The
// credentials AssumeRole returns carry the role's account: calls signed with them reach that
// account's state, so one emulator serves several "accounts".
import type { ServerResponse } from 'node:http';
import type { Json } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { type QueryService, sendQueryError, sendQueryResult } from '../wire/query.js';
import { roleIdOf, type StsSession, StsSessions } from './sessions.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A role's MaxSessionDuration defaults to one hour; the emulator's roles keep the default. */
const MAX_SESSION_SECONDS = 3600;

export interface Caller {
  /** The session the request is signed with, if it is one AssumeRole issued. */
  readonly session?: StsSession;
  /** The emulator's own account, for long-term (non-STS) keys. */
  readonly defaultAccountId: string;
  readonly accessKeyId?: string;
}

function lengthError(field: string, value: string, min: number, max: number): ApiError | undefined {
  if (value.length < min)
    return new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
    );
  if (value.length > max)
    return new ApiError(
      'ValidationError',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  return undefined;
}

function assumeRole(params: URLSearchParams, sessions: StsSessions, nowMs: number): Json {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (roleArn === null)
    throw new ApiError('MissingParameter', 'The request must contain the parameter RoleArn.');
  if (sessionName === null)
    throw new ApiError('MissingParameter', 'The request must contain the parameter RoleSessionName.');
  const invalid =
    lengthError('roleArn', roleArn, 20, 2048) ?? lengthError('roleSessionName', sessionName, 2, 64);
  if (invalid) throw invalid;
  if (!SESSION_NAME.test(sessionName))
    throw new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  const externalId = params.get('ExternalId');
  if (externalId !== null) {
    const bad = lengthError('externalId', externalId, 2, 1224);
    if (bad) throw bad;
    if (!EXTERNAL_ID.test(externalId))
      throw new ApiError(
        'ValidationError',
        `1 validation error detected: Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
      );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new ApiError('ValidationError', `${roleArn} is invalid`);
  const durationText = params.get('DurationSeconds');
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900)
    throw new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  if (duration > 43200)
    throw new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
    );
  if (duration > MAX_SESSION_SECONDS)
    throw new ApiError(
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  const [, accountId = '', roleName = ''] = match;
  const session = sessions.issue({
    accountId,
    roleName,
    sessionName,
    roleId: roleIdOf(roleArn),
    expiresAtMs: nowMs + duration * 1000,
  });
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
  };
}

function callerIdentity(caller: Caller): Json {
  const session = caller.session;
  const account = session?.accountId ?? caller.defaultAccountId;
  return {
    UserId: session?.userId ?? account,
    Account: account,
    Arn: session?.arn ?? `arn:aws:iam::${account}:root`,
  };
}

/** Answers one STS query request. */
export function handleSts(
  res: ServerResponse,
  service: QueryService,
  raw: string,
  caller: Caller,
  sessions: StsSessions,
  nowMs: number,
): void {
  const params = new URLSearchParams(raw);
  const action = params.get('Action') ?? '';
  try {
    if (params.get('Version') !== '2011-06-15')
      throw new ApiError(
        'InvalidAction',
        `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
      );
    if (caller.session && caller.session.expiresAtMs <= nowMs)
      throw new ApiError('ExpiredToken', 'The security token included in the request is expired', 400);
    switch (action) {
      case 'AssumeRole':
        sendQueryResult(res, service, action, assumeRole(params, sessions, nowMs));
        return;
      case 'GetCallerIdentity':
        sendQueryResult(res, service, action, callerIdentity(caller));
        return;
      default:
        throw new ApiError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  } catch (error) {
    if (error instanceof ApiError) sendQueryError(res, service, error);
    else
      sendQueryError(
        res,
        service,
        new ApiError('InternalFailure', `Internal error: ${(error as Error).message}`, 500),
      );
  }
}

export { StsSessions };
