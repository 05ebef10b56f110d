// The lease's writes (controller/lease decides when): create the anchor cluster, write and remove
// the lease tags. Kept here so every AWS write of the controller lives in apply/.
import {
  type Cluster,
  CreateClusterCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { type AwsClients, toAwsError } from '../aws/clients.js';

type Ecs = Pick<AwsClients, 'ecs'>;

export async function createLeaseAnchor(
  clients: Ecs,
  clusterName: string,
  tags: Readonly<Record<string, string>>,
): Promise<Cluster | undefined> {
  try {
    const out = await clients.ecs.send(
      new CreateClusterCommand({
        clusterName,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    );
    return out.cluster;
  } catch (error) {
    throw toAwsError('CreateCluster', error);
  }
}

export async function writeLeaseTags(
  clients: Ecs,
  arn: string,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  try {
    await clients.ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    );
  } catch (error) {
    throw toAwsError('TagResource', error);
  }
}

export async function removeLeaseTags(clients: Ecs, arn: string, keys: readonly string[]): Promise<void> {
  try {
    await clients.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [...keys] }));
  } catch (error) {
    throw toAwsError('UntagResource', error);
  }
}
