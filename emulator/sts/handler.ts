// AWS STS over its query protocol (form-encoded POST, XML answers, API version 2011-06-15):
// AssumeRole and GetCallerIdentity, validated as the STS API reference documents them. The
// credentials AssumeRole returns carry the role's account: calls signed with them reach that
// account's state, so one emulator serves several "accounts".
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { roleIdOf, type StsSession, StsSessions } from './sessions.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A role's MaxSessionDuration defaults to one hour; the emulator's roles keep the default. */
const MAX_SESSION_SECONDS = 3600;

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

export function sendStsError(res: ServerResponse, error: StsError): void {
  const requestId = randomUUID();
  send(
    res,
    error.status,
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n  <Error>\n    <Type>${error.type}</Type>\n    <Code>${error.code}</Code>\n    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    requestId,
  );
}

function respond(res: ServerResponse, action: string, result: string): void {
  const requestId = randomUUID();
  send(
    res,
    200,
    `<${action}Response xmlns="${STS_NAMESPACE}">\n  <${action}Result>\n${result}  </${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    requestId,
  );
}

/** Whether a request is for STS: a form-encoded body naming an Action (the query protocol). */
export function isStsRequest(contentType: string | undefined, raw: string): boolean {
  return /application\/x-www-form-urlencoded/i.test(contentType ?? '') && /(^|&)Action=/.test(raw);
}

export interface Caller {
  /** The session the request is signed with, if it is one AssumeRole issued. */
  readonly session?: StsSession;
  /** The emulator's own account, for long-term (non-STS) keys. */
  readonly defaultAccountId: string;
  readonly accessKeyId?: string;
}

function lengthError(field: string, value: string, min: number, max: number): StsError | undefined {
  if (value.length < min)
    return new StsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
    );
  if (value.length > max)
    return new StsError(
      'ValidationError',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  return undefined;
}

function assumeRole(params: URLSearchParams, sessions: StsSessions, nowMs: number): string {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (roleArn === null)
    throw new StsError('MissingParameter', 'The request must contain the parameter RoleArn.');
  if (sessionName === null)
    throw new StsError('MissingParameter', 'The request must contain the parameter RoleSessionName.');
  const invalid =
    lengthError('roleArn', roleArn, 20, 2048) ?? lengthError('roleSessionName', sessionName, 2, 64);
  if (invalid) throw invalid;
  if (!SESSION_NAME.test(sessionName))
    throw new StsError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  const externalId = params.get('ExternalId');
  if (externalId !== null) {
    const bad = lengthError('externalId', externalId, 2, 1224);
    if (bad) throw bad;
    if (!EXTERNAL_ID.test(externalId))
      throw new StsError(
        'ValidationError',
        `1 validation error detected: Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
      );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new StsError('ValidationError', `${roleArn} is invalid`);
  const durationText = params.get('DurationSeconds');
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900)
    throw new StsError(
      'ValidationError',
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  if (duration > 43200)
    throw new StsError(
      'ValidationError',
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
    );
  if (duration > MAX_SESSION_SECONDS)
    throw new StsError(
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
  return [
    '    <Credentials>',
    `      <AccessKeyId>${session.accessKeyId}</AccessKeyId>`,
    `      <SecretAccessKey>${escapeXml(session.secretAccessKey)}</SecretAccessKey>`,
    `      <SessionToken>${escapeXml(session.sessionToken)}</SessionToken>`,
    `      <Expiration>${new Date(session.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z')}</Expiration>`,
    '    </Credentials>',
    '    <AssumedRoleUser>',
    `      <AssumedRoleId>${escapeXml(session.userId)}</AssumedRoleId>`,
    `      <Arn>${escapeXml(session.arn)}</Arn>`,
    '    </AssumedRoleUser>',
    '',
  ].join('\n');
}

function callerIdentity(caller: Caller): string {
  const session = caller.session;
  const account = session?.accountId ?? caller.defaultAccountId;
  const arn = session?.arn ?? `arn:aws:iam::${account}:root`;
  const userId = session?.userId ?? account;
  return `    <UserId>${escapeXml(userId)}</UserId>\n    <Account>${account}</Account>\n    <Arn>${escapeXml(arn)}</Arn>\n`;
}

/** Answers one STS query request. */
export function handleSts(
  res: ServerResponse,
  raw: string,
  caller: Caller,
  sessions: StsSessions,
  nowMs: number,
): void {
  const params = new URLSearchParams(raw);
  const action = params.get('Action') ?? '';
  try {
    if (params.get('Version') !== '2011-06-15')
      throw new StsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
      );
    if (caller.session && caller.session.expiresAtMs <= nowMs)
      throw new StsError('ExpiredToken', 'The security token included in the request is expired', 400);
    switch (action) {
      case 'AssumeRole':
        respond(res, action, assumeRole(params, sessions, nowMs));
        return;
      case 'GetCallerIdentity':
        respond(res, action, callerIdentity(caller));
        return;
      default:
        throw new StsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  } catch (error) {
    if (error instanceof StsError) sendStsError(res, error);
    else
      sendStsError(
        res,
        new StsError('InternalFailure', `Internal error: ${(error as Error).message}`, 500, 'Receiver'),
      );
  }
}

export { StsSessions };
