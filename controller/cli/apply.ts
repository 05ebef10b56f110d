// `ecs-gitops apply`: make ECS match the manifests, once. Reads desired and live, plans, applies
// (ordered, idempotent, rate-limited), then reports the health of every service it touched.
// Exit 0 done (and with --wait: every rollout Healthy), 1 a rollout Degraded or timed out,
// 2 invalid manifests, AWS errors, failed entries, or a pass refused by a safety rail.
import { type Command, Option } from 'commander';
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
import { changeSetToJson, renderChangeSet } from '../plan/index.js';
import type { ChangeSet } from '../plan/model.js';
import { strategyChangeNotes } from '../plan/strategy-change.js';
import { keyString, type Outcome } from '../types.js';
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
    try {
      const pipeline = createPipeline(clients, config, {
        onProgress: (event) => {
          if (json || event.type !== 'done' || event.result.outcome === 'unchanged') return;
          writeLine(ctx.stdout, entryLine(event.result, color));
        },
      });
      const { live, changeSet } = await pipeline.preview(desired);

      if (dryRun) {
        if (json)
          writeLine(ctx.stdout, JSON.stringify({ dryRun: true, ...changeSetToJson(changeSet) }, null, 2));
        else ctx.stdout.write(renderChangeSet(changeSet, { color }));
        return;
      }
      // The prune rail refuses the whole pass: a mass deletion usually means the wrong folder or branch.
      const refused = refusedByPruneLimit(changeSet);
      if (refused) {
        writeLine(ctx.stderr, `error: ${refused}`);
        writeLine(ctx.stderr, 'nothing applied; re-run with --prune-confirm if these deletions are intended');
        ctx.setExitCode(2);
        return;
      }

      if (!json) {
        const s = changeSet.summary;
        writeLine(
          ctx.stdout,
          `Applying revision ${desired.revision}: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.adopt ? `${s.adopt} to adopt, ` : ''}${s.noop} in sync${s.blocked ? `, ${s.blocked} blocked` : ''}.`,
        );
        // A strategy change is the one update whose meaning the field list does not tell.
        for (const entry of changeSet.entries)
          for (const note of strategyChangeNotes(entry.diff))
            writeLine(ctx.stdout, `  # ${keyString(entry.key)}: ${note}`);
      }
      // The same writes and records `run` makes, so a controller started later tells drift from a deploy.
      const result = await pipeline.apply(changeSet, { live, signal: ctx.stopSignal });

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
      if (failed.length > 0) ctx.setExitCode(2);
      else if (unhealthy.length > 0) ctx.setExitCode(1);
    } catch (error) {
      writeLine(ctx.stderr, `error: ${describeAwsFailure(error, config)}`);
      ctx.setExitCode(2);
    } finally {
      clients.destroy();
    }
  });
}
