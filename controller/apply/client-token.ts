// CreateService's clientToken: the same manifest at the same revision always yields the same token,
// so a create retried by the SDK, or re-sent after a crash, is recognised by ECS as the same request
// instead of making a second service. ECS allows up to 36 ASCII characters.
import { createHash } from 'node:crypto';
import { keyString, type ResourceKey } from '../types.js';

export const CLIENT_TOKEN_MAX_LENGTH = 36;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, stable(record[key])]),
    );
  }
  return value;
}

/** 32 hex characters (128 bits of SHA-256) of instance, key, revision and the exact request. */
export function serviceClientToken(
  instance: string,
  key: ResourceKey,
  revision: string,
  input: unknown,
): string {
  return createHash('sha256')
    .update(JSON.stringify(stable({ instance, key: keyString(key), revision, input })))
    .digest('hex')
    .slice(0, 32);
}
