// Tags are compared as maps. AWS-reserved `aws:` tags and the controller's own bookkeeping tags
// (revision, source, fingerprint) are not part of the desired state; managed-by matters for
// ownership only and is reported through `owned`, not as a field change.
import { OWNERSHIP_TAGS } from '../types.js';

/** Tag keys written by the controller itself: never diffed. */
export const CONTROLLER_TAG_KEYS: ReadonlySet<string> = new Set([
  OWNERSHIP_TAGS.managedBy,
  OWNERSHIP_TAGS.revision,
  OWNERSHIP_TAGS.source,
  'ecs-gitops/fingerprint',
  OWNERSHIP_TAGS.specHash,
  OWNERSHIP_TAGS.taskDefinition,
]);

type TagList = readonly { readonly key?: string; readonly value?: string }[];
type PascalTagList = readonly { readonly Key?: string; readonly Value?: string }[];

/** ECS `[{key, value}]`, Application Auto Scaling `[{Key, Value}]` or a map → a plain map. */
export function tagsToMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const tag of tags as TagList & PascalTagList) {
      const item = tag as { key?: string; value?: string; Key?: string; Value?: string };
      const key = item.key ?? item.Key;
      if (key !== undefined) out[key] = item.value ?? item.Value ?? '';
    }
  } else if (tags && typeof tags === 'object') {
    for (const [key, value] of Object.entries(tags)) out[key] = String(value ?? '');
  }
  return out;
}

/** The user-visible tags: drops `aws:*` and the controller's own keys. */
export function comparableTags(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const map = tagsToMap(tags);
  for (const key of Object.keys(map).sort()) {
    if (key.startsWith('aws:') || CONTROLLER_TAG_KEYS.has(key)) continue;
    out[key] = map[key] as string;
  }
  return out;
}

/** True when the tags carry `ecs-gitops/managed-by=<instance>`. */
export function isOwnedBy(tags: unknown, instance: string): boolean {
  return tagsToMap(tags)[OWNERSHIP_TAGS.managedBy] === instance;
}
