// The lease's own AWS calls: read the anchor cluster with its tags, create it, write and remove the
// lease tags. They live here, not in live/ and apply/, because they touch only the lease's anchor
// cluster — never a resource of the fleet — and the lease must work before and without a reconcile
// pass. The import-graph rules (.dependency-cruiser.cjs) allow exactly this file to send them.
import {
  type Cluster,
  CreateClusterCommand,
  DescribeClustersCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { type AwsClients, toAwsError } from '../aws/clients.js';

type Ecs = Pick<AwsClients, 'ecs'>;

// The lease may be handed a bare ECSClient (tests, a second account): name the operation either way.
async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toAwsError(operation, error);
  }
}

/** The anchor cluster with its tags, or undefined when it does not exist (or is INACTIVE). */
export async function describeLeaseAnchor(clients: Ecs, clusterName: string): Promise<Cluster | undefined> {
  const out = await call('DescribeClusters', () =>
    clients.ecs.send(new DescribeClustersCommand({ clusters: [clusterName], include: ['TAGS'] })),
  );
  const cluster = out.clusters?.find((c) => c.clusterName === clusterName);
  return cluster && cluster.status !== 'INACTIVE' ? cluster : undefined;
}

export async function createLeaseAnchor(
  clients: Ecs,
  clusterName: string,
  tags: Readonly<Record<string, string>>,
): Promise<Cluster | undefined> {
  const out = await call('CreateCluster', () =>
    clients.ecs.send(
      new CreateClusterCommand({
        clusterName,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    ),
  );
  return out.cluster;
}

export async function writeLeaseTags(
  clients: Ecs,
  arn: string,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  await call('TagResource', () =>
    clients.ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    ),
  );
}

export async function removeLeaseTags(clients: Ecs, arn: string, keys: readonly string[]): Promise<void> {
  await call('UntagResource', () =>
    clients.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [...keys] })),
  );
}
