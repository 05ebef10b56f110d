// A stable fingerprint of what one manifest asks for. Equal fingerprints mean Git did not change the
// resource, which is what separates drift (live moved) from a deploy (desired moved).
import { createHash } from 'node:crypto';
import { stableStringify } from '../diff/normalize/values.js';
import type { DesiredResource } from '../manifest/model.js';
import { OWNERSHIP_TAGS, type ResourceKey } from '../types.js';

/** Hash of everything that shapes the resource in AWS; the file it lives in and labels do not count. */
export function fingerprintDesired(resource: DesiredResource): string {
  const { source: _source, metadata, ...rest } = resource;
  const shaping = { ...rest, annotations: metadata.annotations ?? {} };
  return createHash('sha256').update(stableStringify(shaping)).digest('hex').slice(0, 16);
}

/**
 * Fingerprints of a whole desired state. A Service that names a TaskDefinition manifest runs that
 * task definition's content, so an image change in Git is a Git change for the Service too (not
 * drift of the Service's taskDefinition field).
 */
export function fingerprintAll(resources: readonly DesiredResource[]): Map<string, string> {
  const own = new Map(resources.map((r) => [`${r.kind}/${r.name}`, fingerprintDesired(r)]));
  const all = new Map(own);
  for (const resource of resources) {
    if (resource.kind !== 'Service' || resource.taskDefinition.type !== 'manifest') continue;
    const key = `Service/${resource.name}`;
    const taskDefinition = own.get(`TaskDefinition/${resource.taskDefinition.name}`) ?? '';
    all.set(
      key,
      createHash('sha256')
        .update(`${own.get(key)}:${taskDefinition}`)
        .digest('hex')
        .slice(0, 16),
    );
  }
  return all;
}

/** The spec-hash tag written with every change: tells drift from a Git change after a restart. */
export function specHashTags(
  desired: readonly DesiredResource[],
): (key: ResourceKey) => Record<string, string> | undefined {
  const byKey = fingerprintAll(desired);
  return (key) => {
    const hash = byKey.get(`${key.kind}/${key.name}`);
    return hash ? { [OWNERSHIP_TAGS.specHash]: hash } : undefined;
  };
}
