// Which cluster a request names, for every operation that takes a `cluster` member. Kept apart from
// clusters.ts (the cluster operations), which needs container-instances.ts: no import cycle.
import type { OpContext } from '../context.js';
import type { ClusterRecord } from '../state.js';
import { clusterNotFound } from '../wire/errors.js';
import type { Input } from '../wire/input.js';
import { nameFromArnOrName } from './arns.js';

export function clusterNameOf(input: Input): string {
  const value = input.string('cluster');
  return value === undefined || value === '' ? 'default' : nameFromArnOrName(value, 'cluster');
}

/** The ACTIVE cluster named by the request's `cluster` member (default: `default`). */
export function requireCluster(ctx: OpContext, input: Input): ClusterRecord {
  const cluster = ctx.region.clusters[clusterNameOf(input)];
  if (cluster?.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}
