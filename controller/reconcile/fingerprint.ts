// A stable fingerprint of what one manifest asks for. Equal fingerprints mean Git did not change the
// resource, which is what separates drift (live moved) from a deploy (desired moved).
import { createHash } from 'node:crypto';
import type { DesiredResource } from '../manifest/model.js';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, stable((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function stableJson(value: unknown): string {
  return JSON.stringify(stable(value));
}

/** Hash of everything that shapes the resource in AWS; the file it lives in and labels do not count. */
export function fingerprintDesired(resource: DesiredResource): string {
  const { source: _source, metadata, ...rest } = resource;
  const shaping = { ...rest, annotations: metadata.annotations ?? {} };
  return createHash('sha256').update(stableJson(shaping)).digest('hex').slice(0, 16);
}
