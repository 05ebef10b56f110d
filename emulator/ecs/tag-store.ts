// ECS tags as stored per ARN: list form [{key, value}], the documented limits (50 per resource, key
// 128, value 256, the aws: prefix reserved). The tagging operations are in tags.ts; this file
// imports no resource module, so every resource module can use it.
import type { OpContext } from '../context.js';
import type { Json, JsonObject, Tag } from '../state.js';
import { invalidParameter } from '../wire/errors.js';

export const MAX_TAGS = 50;

export function parseTags(value: Json | undefined, member = 'tags'): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParameter(`${member} must be a list.`);
  return value.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalidParameter(`${member} must be a list of objects.`);
    }
    const key = item.key;
    const tagValue = item.value ?? '';
    if (typeof key !== 'string' || key.length === 0) throw invalidParameter('Tag key must not be empty.');
    if (typeof tagValue !== 'string') throw invalidParameter('Tag value must be a string.');
    validateTag(key, tagValue);
    return { key, value: tagValue };
  });
}

export function validateTag(key: string, value: string): void {
  if (key.length > 128) throw invalidParameter('Tag keys must be between 1 and 128 characters.');
  if (value.length > 256) throw invalidParameter('Tag values must be less than or equal to 256 characters.');
  if (key.toLowerCase().startsWith('aws:')) {
    throw invalidParameter('Tag keys beginning with aws: are reserved for system use.');
  }
}

/** Merges `added` into `current` (same key → new value), enforcing the per-resource limit. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) byKey.set(tag.key, tag.value);
  if (byKey.size > MAX_TAGS) {
    throw invalidParameter(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export function tagsOf(ctx: OpContext, arn: string): Tag[] {
  return ctx.region.tags[arn] ?? [];
}

export function setTags(ctx: OpContext, arn: string, tags: readonly Tag[]): void {
  if (tags.length === 0) delete ctx.region.tags[arn];
  else ctx.region.tags[arn] = tags.map((tag) => ({ ...tag }));
}

export function tagsJson(tags: readonly Tag[]): JsonObject[] {
  return tags.map((tag) => ({ key: tag.key, value: tag.value }));
}
