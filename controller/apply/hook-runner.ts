// The hook gate's port on real AWS (reconcile/hooks.ts): RunTask / DescribeTasks / StopTask for the
// runs, the ledger cluster's tags for its memory. `run` and `apply` use the same one, so a hook
// `apply` ran for a revision is one the controller will not run again, and the other way round.
import type { AwsClients } from '../aws/clients.js';
import { readHookLedger } from '../live/hook-ledger.js';
import { describeTaskRuns } from '../live/task-runs.js';
import { ledgerClusterName } from '../reconcile/hook-ledger.js';
import type { HookPort } from '../reconcile/hooks.js';
import { OWNERSHIP_TAGS } from '../types.js';
import { hookLedgerWriter } from './hook-ledger.js';
import { runTask, stopTask } from './run-task.js';

export function hookPort(
  clients: Pick<AwsClients, 'ecs'>,
  instance: string,
  options: { readonly target?: string } = {},
): HookPort {
  const ledger = ledgerClusterName(instance, options.target);
  return {
    run: (request) =>
      runTask(clients, {
        ...request,
        // The hook's tasks carry the ownership record, so people can tell who started them.
        tags: { ...request.tags, [OWNERSHIP_TAGS.managedBy]: instance },
      }),
    describe: (cluster, taskArns) => describeTaskRuns(clients, cluster, taskArns),
    stop: (cluster, taskArn, reason) => stopTask(clients, cluster, taskArn, reason),
    ledger: {
      read: () => readHookLedger(clients, ledger, instance),
      write: hookLedgerWriter(clients, ledger, instance),
    },
  };
}
