// `ecs-gitops apply`: make ECS match the manifests, once. Reads desired and live, plans, applies
// (ordered, idempotent, rate-limited), then reports the health of every service it touched.
// Hook Tasks run as under `run` (cli/apply-hooks.ts): a pass applies what no PreSync hook holds
// back, and passes repeat while a hook runs. Exit 0 done (and with --wait: every rollout Healthy),
// 1 a rollout Degraded or timed out, or a hook failed, 2 invalid manifests, AWS errors, failed
// entries, or a pass refused by a safety rail.
import { setTimeout as delay } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { hookPort } from '../apply/hook-runner.js';
import type { ApplyEntryResult, ApplyResult } from '../apply/model.js';
import { createAwsClients } from '../aws/clients.js';
import {
  addAwsOptions,
  addReconcileOptions,
  addSourceOptions,
  parseDuration,
  resolveConfig,
} from '../config.js';
import { formatProblem } from '../errors.js';
import { followRollouts, type RolloutResult, type RolloutTarget } from '../live/rollout.js';
import { describeProblemCount } from '../manifest/index.js';
import { createPipeline } from '../pipeline/index.js';
import { deployingServices, hookPlanText, plannedHooks } from '../plan/hooks.js';
import { changeSetToJson, renderChangeSet } from '../plan/index.js';
import type { BlockReason, ChangeSet } from '../plan/model.js';
import { strategyChangeNotes } from '../plan/strategy-change.js';
import { keyString, type Outcome } from '../types.js';
import { ApplyHooks, heldByFailedHooks } from './apply-hooks.js';
import { type CliContext, useColor, writeLine } from './context.js';
import { describeAwsFailure } from './diff.js';
import { loadDesired } from './load-desired.js';

const SYMBOL: Record<Outcome, string> = {
  created: '+',
  configured: '~',
  deleted: '-',
  unchanged: '=',
  skipped: '!',
  failed: 'x',
};

const COLOR: Record<Outcome, number> = {
  created: 32,
  configured: 33,
  deleted: 31,
  unchanged: 2,
  skipped: 36,
  failed: 31,
};

function paint(enabled: boolean, code: number, text: string): string {
  return enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function entryLine(result: ApplyEntryResult, color: boolean): string {
  const head = paint(color, COLOR[result.outcome], `${SYMBOL[result.outcome]} ${keyString(result.key)}`);
  return `${head} ${result.outcome}: ${result.message}`;
}

export function summaryOf(result: ApplyResult): Record<Outcome, number> {
  const counts: Record<Outcome, number> = {
    created: 0,
    configured: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
    failed: 0,
  };
  for (const entry of result.entries) counts[entry.outcome] += 1;
  return counts;
}

function rolloutLine(rollout: RolloutResult, color: boolean): string {
  const code = rollout.state === 'Healthy' ? 32 : rollout.state === 'Degraded' ? 31 : 33;
  return `  ${rollout.cluster}/${rollout.service}  ${paint(color, code, rollout.state)}  ${rollout.message}`;
}

/** Services whose CreateService / UpdateService went through in this pass. */
function touchedServices(result: ApplyResult): RolloutTarget[] {
  return result.entries.flatMap((entry) =>
    entry.service && (entry.outcome === 'created' || entry.outcome === 'configured')
      ? [
          {
            cluster: entry.service.cluster,
            service: entry.service.serviceName,
            deploymentId: entry.deploymentId,
          },
        ]
      : [],
  );
}

function refusedByPruneLimit(changeSet: ChangeSet): string | undefined {
  return changeSet.entries.find((entry) => entry.blocked?.reason === 'prune-limit')?.blocked?.message;
}

/** A later pass's result replaces an earlier one unless it only found the earlier write done. */
function merge(entries: Map<string, ApplyEntryResult>, result: ApplyResult): void {
  for (const entry of result.entries) {
    const key = keyString(entry.key);
    const previous = entries.get(key);
    const settled = previous && previous.outcome !== 'skipped' && previous.outcome !== 'unchanged';
    if (!settled || (entry.outcome !== 'unchanged' && entry.outcome !== 'skipped')) entries.set(key, entry);
  }
}

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('apply')
    .description('apply the manifests to ECS (exit 0 done, 1 rollout degraded, 2 error)')
    .addOption(new Option('--dry-run', 'print the plan and write nothing').env('ECS_GITOPS_DRY_RUN'))
    .addOption(new Option('--wait', 'follow the rollouts until Healthy or Degraded').env('ECS_GITOPS_WAIT'))
    .addOption(
      new Option('--wait-timeout <duration>', 'give up waiting after this long (default 10m)').env(
        'ECS_GITOPS_WAIT_TIMEOUT',
      ),
    )
    .addOption(
      new Option('--wait-interval <duration>', 'poll interval while waiting (default 5s)').env(
        'ECS_GITOPS_WAIT_INTERVAL',
      ),
    );
  addSourceOptions(command);
  addAwsOptions(command);
  addReconcileOptions(command);
  command.action(async (raw: Record<string, unknown>) => {
    // Bad flags and unreadable sources surface through runCli: `error: <message>` and exit 2.
    const config = resolveConfig(raw, ctx.env);
    const pollMs = parseDuration(typeof raw.waitInterval === 'string' ? raw.waitInterval : '5s');
    const dryRun = raw.dryRun === true || raw.dryRun === 'true';
    const wait = raw.wait === true || raw.wait === 'true';
    const json = config.output === 'json';
    const color = !json && useColor(ctx);

    const loaded = await loadDesired(config, ctx.cwd);
    // An invalid revision is never applied, so it can never look like a deletion.
    if (!loaded.result.ok) {
      for (const problem of loaded.result.problems) writeLine(ctx.stderr, formatProblem(problem));
      writeLine(
        ctx.stderr,
        `error: ${describeProblemCount(loaded.result.problems.length, loaded.result.problemCount)} in the manifests; nothing applied, nothing pruned`,
      );
      ctx.setExitCode(2);
      return;
    }
    const desired = loaded.result.desired;

    const clients = createAwsClients(config.aws);
    const say = (line: string) => {
      if (!json) writeLine(ctx.stdout, line);
    };
    const hooks =
      !dryRun && ApplyHooks.wanted(desired)
        ? new ApplyHooks(hookPort(clients, config.instance), config.instance, say)
        : undefined;
    try {
      const pipeline = createPipeline(clients, config, {
        onProgress: (event) => {
          if (event.type !== 'done' || event.result.outcome === 'unchanged') return;
          // A held update is told by its hook's line, once, not by every pass.
          if (event.result.skipReason === 'hook-pending') return;
          say(entryLine(event.result, color));
        },
      });
      const entries = new Map<string, ApplyEntryResult>();
      let held: Array<[string, string]> = [];
      let diffs: ReturnType<typeof pipeline.diff> = [];
      for (let pass = 0; ; pass += 1) {
        const live = await pipeline.readLive(desired, { discoverOrphans: config.prune });
        diffs = pipeline.diff(desired, live);
        // PreSync hooks hold back the updates they guard until they exited 0.
        const blocked = new Map<string, { reason: BlockReason; message: string }>();
        const hookRunning = hooks ? await hooks.preSync(desired, diffs, blocked) : false;
        hooks?.report(desired);
        const changeSet = pipeline.plan(diffs, { revision: desired.revision, blocked });

        if (pass === 0) {
          const planned = plannedHooks(desired, deployingServices(changeSet));
          if (dryRun) {
            if (json)
              writeLine(
                ctx.stdout,
                JSON.stringify({ dryRun: true, ...changeSetToJson(changeSet), hooks: planned }, null, 2),
              );
            else ctx.stdout.write(renderChangeSet(changeSet, { color }) + hookPlanText(planned));
            return;
          }
          // The prune rail refuses the whole pass: a mass deletion usually means the wrong folder or branch.
          const refused = refusedByPruneLimit(changeSet);
          if (refused) {
            writeLine(ctx.stderr, `error: ${refused}`);
            writeLine(
              ctx.stderr,
              'nothing applied; re-run with --prune-confirm if these deletions are intended',
            );
            ctx.setExitCode(2);
            return;
          }
          const s = changeSet.summary;
          say(
            `Applying revision ${desired.revision}: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.adopt ? `${s.adopt} to adopt, ` : ''}${s.noop} in sync${s.blocked ? `, ${s.blocked} blocked` : ''}.`,
          );
          // A strategy change is the one update whose meaning the field list does not tell.
          for (const entry of changeSet.entries)
            for (const note of strategyChangeNotes(entry.diff)) say(`  # ${keyString(entry.key)}: ${note}`);
        }
        // The same writes and records `run` makes, so a controller started later tells drift from a deploy.
        merge(entries, await pipeline.apply(changeSet, { live, signal: ctx.stopSignal }));
        hooks?.report(desired);
        held = heldByFailedHooks(blocked);
        if (!hookRunning || ctx.stopSignal.aborted) break;
        await delay(pollMs, undefined, { signal: ctx.stopSignal }).catch(() => undefined);
      }
      const result: ApplyResult = {
        revision: desired.revision,
        dryRun: false,
        entries: [...entries.values()],
      };

      const targets = touchedServices(result);
      let rollouts: RolloutResult[] = [];
      if (targets.length > 0) {
        if (wait && !json) writeLine(ctx.stdout, `Waiting for ${targets.length} rollout(s)…`);
        rollouts = await followRollouts(clients, targets, {
          // Without --wait: one look, to report where each rollout stands.
          timeoutMs: wait ? config.waitTimeoutMs : 0,
          pollMs,
          signal: ctx.stopSignal,
          ...(wait && !json
            ? { onUpdate: (r: RolloutResult) => writeLine(ctx.stdout, rolloutLine(r, color)) }
            : {}),
        });
      }

      // PostSync hooks run once the services they guard are Healthy: only --wait knows that.
      if (hooks && !ctx.stopSignal.aborted && (wait || held.length > 0 || hooks.failures.length > 0)) {
        const health = new Map(rollouts.map((r) => [`${r.cluster}/${r.service}`, r.state as string]));
        const byKey = new Map<string, string>();
        // A service this apply did not roll out runs what Git says already.
        for (const d of diffs)
          if (wait && d.desired?.kind === 'Service')
            byKey.set(
              keyString(d.key),
              health.get(`${d.desired.cluster.clusterName}/${d.desired.serviceName}`) ?? 'Healthy',
            );
        // Without --wait, only the SyncFail runs a failure started are followed to their end.
        await hooks.follow(desired, diffs, (key) => byKey.get(key), {
          pollMs,
          timeoutMs: config.waitTimeoutMs,
          signal: ctx.stopSignal,
        });
      }
      const counts = summaryOf(result);
      const failed = result.entries.filter((e) => e.outcome === 'failed');
      const unhealthy = rollouts.filter(
        (r) => r.state === 'Degraded' || r.state === 'Missing' || (wait && r.timedOut),
      );
      if (json) {
        writeLine(
          ctx.stdout,
          JSON.stringify(
            {
              revision: result.revision,
              summary: counts,
              entries: result.entries.map((e) => ({ ...e, key: keyString(e.key) })),
              rollouts: rollouts.map(({ live: _live, ...r }) => r),
              ...(hooks ? { hooks: hooks.runs(desired) } : {}),
            },
            null,
            2,
          ),
        );
      } else {
        writeLine(
          ctx.stdout,
          `Apply: ${counts.created} created, ${counts.configured} configured, ${counts.deleted} deleted, ${counts.unchanged} unchanged, ${counts.skipped} skipped, ${counts.failed} failed.`,
        );
        for (const entry of result.entries.filter(
          (e) => e.outcome === 'skipped' && e.skipReason !== 'sync-disabled',
        )) {
          writeLine(ctx.stdout, entryLine(entry, color));
        }
        if (rollouts.length > 0) {
          writeLine(ctx.stdout, wait ? 'Services:' : 'Services (not waited for; use --wait to follow):');
          for (const rollout of rollouts) writeLine(ctx.stdout, rolloutLine(rollout, color));
        }
      }
      for (const entry of failed) {
        writeLine(ctx.stderr, `error: ${keyString(entry.key)}: ${entry.message}`);
      }
      // A failure told before (the ledger remembers it) is named by the updates it still holds.
      const hookFailures = hooks?.failures ?? [];
      for (const message of hookFailures) writeLine(ctx.stderr, `error: ${message}`);
      if (hookFailures.length === 0)
        for (const [key, message] of held) writeLine(ctx.stderr, `error: ${key}: ${message}`);
      if (failed.length > 0) ctx.setExitCode(2);
      else if (unhealthy.length > 0 || held.length > 0 || hookFailures.length > 0) ctx.setExitCode(1);
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
    } finally {
      clients.destroy();
    }
  });
}
