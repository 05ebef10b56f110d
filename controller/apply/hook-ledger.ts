// Writes the hook ledger (reconcile/hook-ledger.ts) as tags of the controller's own, empty cluster,
// created on the first write. It carries no ecs-gitops/managed-by tag, so prune never deletes it,
// and no manifest describes it, so it never shows as drift.
import { CreateClusterCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ecs';
import { type AwsClients, toAwsError } from '../aws/clients.js';
import { EcsGitopsError } from '../errors.js';
import { describeHookLedger } from '../live/hook-ledger.js';
import { HOOK_LEDGER_TAGS } from '../reconcile/hook-ledger.js';

export class HookLedgerError extends EcsGitopsError {
  override readonly code = 'HookLedgerError';
}

const list = (tags: Readonly<Record<string, string>>) =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

async function send<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsError(operation, error);
  }
}

/** A writer that remembers the ledger cluster's ARN once it found or created it. */
export function hookLedgerWriter(
  clients: Pick<AwsClients, 'ecs'>,
  clusterName: string,
  instance: string,
): (set: Readonly<Record<string, string>>, remove: readonly string[]) => Promise<void> {
  let arn: string | undefined;
  async function ledgerArn(): Promise<string> {
    if (arn) return arn;
    const found = await describeHookLedger(clients, clusterName, instance);
    if (found && !found.ours) {
      throw new HookLedgerError(
        `cluster ${clusterName} exists without the tag ${HOOK_LEDGER_TAGS.for}=${instance}: not used as this controller's hook ledger`,
      );
    }
    if (found) {
      arn = found.arn;
      return arn;
    }
    const created = await send('CreateCluster', () =>
      clients.ecs.send(
        new CreateClusterCommand({ clusterName, tags: list({ [HOOK_LEDGER_TAGS.for]: instance }) }),
      ),
    );
    if (!created.cluster?.clusterArn)
      throw new HookLedgerError(`CreateCluster ${clusterName} returned no ARN`);
    arn = created.cluster.clusterArn;
    return arn;
  }
  return async (set, remove) => {
    const resourceArn = await ledgerArn();
    // Removing first keeps the cluster under ECS's 50 tags while records are replaced.
    if (remove.length > 0)
      await send('UntagResource', () =>
        clients.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: [...remove] })),
      );
    if (Object.keys(set).length > 0)
      await send('TagResource', () =>
        clients.ecs.send(new TagResourceCommand({ resourceArn, tags: list(set) })),
      );
  };
}
