// Temporary credentials issued by AssumeRole: which account and role session each access key is.
// In memory only (a restarted emulator forgets them, as expired sessions are forgotten by AWS).
import { randomBytes } from 'node:crypto';

export interface StsSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  /** `AROA…:<session>`. */
  readonly userId: string;
  readonly expiresAtMs: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function token(length: number): string {
  const bytes = randomBytes(length);
  return [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export class StsSessions {
  private readonly byAccessKey = new Map<string, StsSession>();

  issue(input: {
    accountId: string;
    roleName: string;
    sessionName: string;
    roleId: string;
    expiresAtMs: number;
  }): StsSession {
    const session: StsSession = {
      // ASIA: the prefix AWS gives temporary (STS) access keys.
      accessKeyId: `ASIA${token(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      accountId: input.accountId,
      arn: `arn:aws:sts::${input.accountId}:assumed-role/${input.roleName}/${input.sessionName}`,
      userId: `${input.roleId}:${input.sessionName}`,
      expiresAtMs: input.expiresAtMs,
    };
    this.byAccessKey.set(session.accessKeyId, session);
    return session;
  }

  find(accessKeyId: string | undefined): StsSession | undefined {
    return accessKeyId === undefined ? undefined : this.byAccessKey.get(accessKeyId);
  }
}

/** A stable role id per role ARN (AWS's are `AROA` + 17 characters, fixed for the role's life). */
export function roleIdOf(roleArn: string): string {
  let hash = 2166136261;
  for (const char of roleArn) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  let id = '';
  for (let i = 0; i < 17; i++) {
    id += ALPHABET[hash % ALPHABET.length];
    hash = Math.imul(hash ^ i, 16777619) >>> 0;
  }
  return `AROA${id}`;
}
