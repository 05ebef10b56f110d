// Application Auto Scaling reads: scalable targets by ResourceIds (≤ 50 per call), their policies and
// scheduled actions (per target for a few, one namespace-wide paginated listing for many), tags.
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { AwsClients } from '../aws/clients.js';
import { chunk, mapLimit, plain } from './batch.js';
import { callAws, READ_CONCURRENCY } from './ecs-reads.js';
import type { LiveScalableTarget, LiveScalingPolicy, LiveScheduledAction } from './model.js';

const NAMESPACE = 'ecs';
const DIMENSION = 'ecs:service:DesiredCount';

/**
 * Above this many targets, one namespace-wide listing (50 per page) is cheaper than one call per
 * target; below it, per-target calls avoid reading unrelated policies of a big account.
 */
export const PER_TARGET_LIMIT = 10;

export async function describeScalableTargets(
  clients: AwsClients,
  resourceIds: readonly string[],
): Promise<Map<string, LiveScalableTarget>> {
  const out = new Map<string, LiveScalableTarget>();
  await mapLimit(chunk(resourceIds, 50), READ_CONCURRENCY, async (batch) => {
    let NextToken: string | undefined;
    do {
      const response = await callAws('DescribeScalableTargets', () =>
        clients.autoscaling.send(
          new DescribeScalableTargetsCommand({
            ServiceNamespace: NAMESPACE,
            ResourceIds: batch,
            ScalableDimension: DIMENSION,
            NextToken,
          }),
        ),
      );
      for (const target of response.ScalableTargets ?? []) {
        if (target.ResourceId) out.set(target.ResourceId, plain(target));
      }
      NextToken = response.NextToken;
    } while (NextToken);
  });
  return out;
}

/** A policy or scheduled action: both name their target by these two fields. */
type TargetItem = {
  readonly ResourceId?: string | undefined;
  readonly ScalableDimension?: string | undefined;
};

type Lister<T extends TargetItem> = (
  resourceId: string | undefined,
  nextToken: string | undefined,
) => Promise<{ items: readonly T[]; next?: string | undefined }>;

async function listAll<T extends TargetItem>(
  lister: Lister<T>,
  resourceId: string | undefined,
): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await lister(resourceId, next);
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

async function groupedByTarget<T extends TargetItem>(
  lister: Lister<T>,
  resourceIds: readonly string[],
): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>(resourceIds.map((id) => [id, []]));
  const wanted = new Set(resourceIds);
  if (resourceIds.length <= PER_TARGET_LIMIT) {
    await mapLimit(resourceIds, READ_CONCURRENCY, async (id) => {
      out.set(id, await listAll(lister, id));
    });
    return out;
  }
  for (const item of await listAll(lister, undefined)) {
    const id = item.ResourceId;
    if (typeof id === 'string' && wanted.has(id) && item.ScalableDimension === DIMENSION)
      out.get(id)?.push(item);
  }
  return out;
}

export function describeScalingPolicies(clients: AwsClients, resourceIds: readonly string[]) {
  return groupedByTarget(async (ResourceId, NextToken) => {
    const response = await callAws('DescribeScalingPolicies', () =>
      clients.autoscaling.send(
        new DescribeScalingPoliciesCommand({
          ServiceNamespace: NAMESPACE,
          ...(ResourceId ? { ResourceId, ScalableDimension: DIMENSION } : {}),
          MaxResults: 50,
          NextToken,
        }),
      ),
    );
    return { items: plain(response.ScalingPolicies ?? []), next: response.NextToken };
  }, resourceIds);
}

export function describeScheduledActions(clients: AwsClients, resourceIds: readonly string[]) {
  return groupedByTarget(async (ResourceId, NextToken) => {
    const response = await callAws('DescribeScheduledActions', () =>
      clients.autoscaling.send(
        new DescribeScheduledActionsCommand({
          ServiceNamespace: NAMESPACE,
          ...(ResourceId ? { ResourceId, ScalableDimension: DIMENSION } : {}),
          MaxResults: 50,
          NextToken,
        }),
      ),
    );
    return { items: plain(response.ScheduledActions ?? []), next: response.NextToken };
  }, resourceIds);
}

export async function scalableTargetTags(clients: AwsClients, arn: string): Promise<Record<string, string>> {
  const response = await callAws('ListTagsForResource', () =>
    clients.autoscaling.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
  );
  return { ...(response.Tags ?? {}) };
}

/** Scalable targets of these services with their policies and scheduled actions (only targets that exist). */
export async function readScaling(clients: AwsClients, resourceIds: readonly string[]) {
  const targets =
    resourceIds.length > 0
      ? await describeScalableTargets(clients, resourceIds)
      : new Map<string, LiveScalableTarget>();
  const existing = [...targets.keys()].sort();
  const [policies, actions] =
    existing.length > 0
      ? await Promise.all([
          describeScalingPolicies(clients, existing),
          describeScheduledActions(clients, existing),
        ])
      : [new Map<string, LiveScalingPolicy[]>(), new Map<string, LiveScheduledAction[]>()];
  return { targets, policies, actions };
}
