// Application Auto Scaling tags: a map {key: value} on scalable targets (the only taggable kind).
import type { OpContext } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { ApiError, validationException } from '../wire/errors.js';
import { aasInvalid, Input } from '../wire/input.js';

const MAX_TAGS = 50;

export function parseAasTags(value: Json | undefined): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationException('Tags must be a map.');
  const out: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value)) {
    if (key.length < 1 || key.length > 128)
      throw validationException('Tag keys must be between 1 and 128 characters.');
    if (key.toLowerCase().startsWith('aws:'))
      throw validationException('Tag keys beginning with aws: are reserved.');
    if (typeof tagValue !== 'string' || tagValue.length > 256) {
      throw validationException('Tag values must be strings of at most 256 characters.');
    }
    out[key] = tagValue;
  }
  return out;
}

export function setAasTags(ctx: OpContext, arn: string, tags: Record<string, string>, merge: boolean): void {
  const next = { ...(merge ? (ctx.region.autoscalingTags[arn] ?? {}) : {}), ...tags };
  if (Object.keys(next).length > MAX_TAGS) {
    throw new ApiError('TooManyTagsException', `A resource can have at most ${MAX_TAGS} tags.`);
  }
  ctx.region.autoscalingTags[arn] = next;
}

function requireTaggable(ctx: OpContext, arn: string): void {
  if (!ctx.region.scalableTargets.some((target) => target.arn === arn)) {
    throw new ApiError('ResourceNotFoundException', `Resource not found: ${arn}`);
  }
}

export function tagResource(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const arn = input.requiredString('ResourceARN');
  const tags = parseAasTags(input.raw('Tags'));
  if (!tags || Object.keys(tags).length === 0) throw validationException('Tags can not be empty.');
  requireTaggable(ctx, arn);
  setAasTags(ctx, arn, tags, true);
  return {};
}

export function untagResource(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const arn = input.requiredString('ResourceARN');
  const keys = input.strings('TagKeys') ?? [];
  requireTaggable(ctx, arn);
  const current = { ...(ctx.region.autoscalingTags[arn] ?? {}) };
  for (const key of keys) delete current[key];
  ctx.region.autoscalingTags[arn] = current;
  return {};
}

export function listTagsForResource(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, aasInvalid);
  const arn = input.requiredString('ResourceARN');
  requireTaggable(ctx, arn);
  return { Tags: { ...(ctx.region.autoscalingTags[arn] ?? {}) } };
}
