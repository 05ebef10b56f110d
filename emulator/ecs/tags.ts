// ECS tags: list form [{key, value}], limits as documented (50 per resource, key 128, value 256,
// the aws: prefix reserved), and TagResource / UntagResource / ListTagsForResource.
import type { OpContext } from '../context.js';
import type { Json, JsonObject, Tag } from '../state.js';
import { ApiError, invalidParameter } from '../wire/errors.js';
import { Input } from '../wire/input.js';
import { findService } from './services-store.js';
import { findTaskDefinitionByArn } from './task-definitions.js';

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

// Tags can be put on clusters, services, task definitions and tasks; the resource must exist.
function assertTaggable(ctx: OpContext, arn: string): void {
  const match = /^arn:aws:ecs:[^:]+:[^:]+:(cluster|service|task-definition|task)\/(.+)$/.exec(arn);
  if (!match) throw invalidParameter('The ARN provided is invalid.');
  const [, kind, rest = ''] = match;
  // Services and tasks in the old short ARN format (no cluster name) cannot carry tags.
  if ((kind === 'service' || kind === 'task') && !rest.includes('/')) {
    throw invalidParameter('Long arn format must be used for tagging operations');
  }
  if (kind === 'cluster' && ctx.region.clusters[rest]?.status === 'INACTIVE') {
    throw invalidParameter('The specified cluster is inactive. Specify an active cluster and try again.');
  }
  const found = (() => {
    switch (kind) {
      case 'cluster':
        return ctx.region.clusters[rest]?.status === 'ACTIVE';
      case 'service': {
        const [cluster = '', ...name] = rest.split('/');
        const service = findService(ctx, cluster, name.join('/'));
        return service !== undefined && service.status !== 'INACTIVE';
      }
      case 'task-definition':
        return findTaskDefinitionByArn(ctx, arn) !== undefined;
      default:
        return Object.values(ctx.region.tasks).some((task) => task.taskArn === arn);
    }
  })();
  if (!found) throw new ApiError('ResourceNotFoundException', 'The specified resource could not be found.');
}

export function tagResource(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const arn = input.requiredString('resourceArn');
  const tags = parseTags(input.raw('tags'));
  if (tags.length === 0) throw invalidParameter('Tags can not be empty.');
  assertTaggable(ctx, arn);
  setTags(ctx, arn, mergeTags(tagsOf(ctx, arn), tags));
  return {};
}

export function untagResource(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const arn = input.requiredString('resourceArn');
  const keys = input.strings('tagKeys') ?? [];
  assertTaggable(ctx, arn);
  setTags(
    ctx,
    arn,
    tagsOf(ctx, arn).filter((tag) => !keys.includes(tag.key)),
  );
  return {};
}

export function listTagsForResource(ctx: OpContext, body: JsonObject): Json {
  const arn = new Input(body).requiredString('resourceArn');
  assertTaggable(ctx, arn);
  return { tags: tagsJson(tagsOf(ctx, arn)) };
}
