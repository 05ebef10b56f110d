// TagResource / UntagResource / ListTagsForResource on ECS resources (the tag data and its limits
// are in tag-store.ts).
import type { OpContext } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { ApiError, invalidParameter } from '../wire/errors.js';
import { Input } from '../wire/input.js';
import { findService } from './services-store.js';
import { mergeTags, parseTags, setTags, tagsJson, tagsOf } from './tag-store.js';
import { findTaskDefinitionByArn } from './task-definitions.js';

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
