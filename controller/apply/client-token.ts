// CreateService's clientToken: the same manifest at the same revision always yields the same token,
// so a create retried by the SDK, or re-sent after a crash, is recognised by ECS as the same request
// instead of making a second service. ECS allows up to 36 ASCII characters.
import { createHash } from 'node:crypto';
import { stableStringify } from '../diff/normalize/values.js';
import { keyString, type ResourceKey } from '../types.js';

export const CLIENT_TOKEN_MAX_LENGTH = 36;

/** 32 hex characters (128 bits of SHA-256) of instance, key, revision and the exact request. */
export function serviceClientToken(
  instance: string,
  key: ResourceKey,
  revision: string,
  input: unknown,
): string {
  return createHash('sha256')
    .update(stableStringify({ instance, key: keyString(key), revision, input }))
    .digest('hex')
    .slice(0, 32);
}
