// Tags AWS itself puts on resources: CloudFormation tags what a stack creates with
// aws:cloudformation:stack-name / stack-id / logical-id, which ECS's own TagResource refuses
// ("Tag keys beginning with aws: are reserved"). The admin API sets them so tests can build
// resources "made by a stack" (the emulator has no CloudFormation).
import type { OpContext } from '../context.js';
import { mergeTags, setTags, tagsOf } from '../ecs/tag-store.js';
import type { JsonObject } from '../state.js';

export interface SystemTag {
  readonly key: string;
  readonly value: string;
}

/** The region an ARN lives in (`arn:aws:ecs:REGION:…`), for routing the admin call. */
export function regionOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:(?:ecs|application-autoscaling):([a-z0-9-]+):/.exec(arn)?.[1];
}

function parse(body: JsonObject): { arn: string; tags: SystemTag[] } {
  const arn = body.resourceArn;
  if (typeof arn !== 'string' || regionOfArn(arn) === undefined)
    throw new RangeError('resourceArn must be an ECS or Application Auto Scaling ARN');
  const raw = body.tags;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new RangeError('tags must be a non-empty list of {key, value}');
  const tags = raw.map((item) => {
    const tag = item as { key?: unknown; value?: unknown };
    if (typeof tag.key !== 'string' || tag.key === '' || typeof tag.value !== 'string')
      throw new RangeError('each tag needs a string key and value');
    return { key: tag.key, value: tag.value };
  });
  return { arn, tags };
}

/** Merges the tags into the resource's tags, reserved prefix allowed. Returns the resource's tags. */
export function putSystemTags(ctx: OpContext, body: JsonObject): SystemTag[] {
  const { arn, tags } = parse(body);
  if (arn.includes(':application-autoscaling:')) {
    const current = ctx.region.autoscalingTags[arn] ?? {};
    ctx.region.autoscalingTags[arn] = {
      ...current,
      ...Object.fromEntries(tags.map((t) => [t.key, t.value])),
    };
    return Object.entries(ctx.region.autoscalingTags[arn] ?? {}).map(([key, value]) => ({ key, value }));
  }
  setTags(ctx, arn, mergeTags(tagsOf(ctx, arn), tags));
  return tagsOf(ctx, arn);
}
