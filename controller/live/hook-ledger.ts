// Reads the hook ledger (reconcile/hook-ledger.ts): the tags of the controller's own, empty
// `ecs-gitops-hooks-<instance>` cluster. A cluster of that name without the marker tag is not
// ours: it is read as empty, and the writer refuses to use it.
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { HOOK_LEDGER_TAGS } from '../reconcile/hook-ledger.js';
import { callAws } from './ecs-reads.js';

export interface LedgerCluster {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Carries the marker tag of this instance. */
  readonly ours: boolean;
}

export async function describeHookLedger(
  clients: Pick<AwsClients, 'ecs'>,
  clusterName: string,
  instance: string,
): Promise<LedgerCluster | undefined> {
  const out = await callAws('DescribeClusters', () =>
    clients.ecs.send(new DescribeClustersCommand({ clusters: [clusterName], include: ['TAGS'] })),
  );
  const cluster = out.clusters?.find((c) => c.clusterName === clusterName && c.status !== 'INACTIVE');
  if (!cluster?.clusterArn) return undefined;
  const tags = Object.fromEntries((cluster.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));
  return { arn: cluster.clusterArn, tags, ours: tags[HOOK_LEDGER_TAGS.for] === instance };
}

export async function readHookLedger(
  clients: Pick<AwsClients, 'ecs'>,
  clusterName: string,
  instance: string,
): Promise<Readonly<Record<string, string>>> {
  const ledger = await describeHookLedger(clients, clusterName, instance);
  return ledger?.ours ? ledger.tags : {};
}
