// `apply` runs hook Tasks as `run` does (docs/tasks.md#apply-and-diff), because a sync that skipped
// the migration its release needs is what an Argo CD user would never expect: a PreSync hook that
// guards a service the plan deploys runs first and is waited for; the guarded update goes ahead
// when every essential container exited 0, and stays undone when it failed (exit 1, the SyncFail
// hooks run); with --wait, PostSync hooks run once the services are Healthy. Same gate, clientTokens
// and ledger as the controller, so neither runs a hook the other already ran for this revision.
import { setTimeout as delay } from 'node:timers/promises';
import type { ResourceDiff } from '../diff/model.js';
import type { DesiredState } from '../manifest/model.js';
import type { BlockReason } from '../plan/model.js';
import { HookGate, type HookPort } from '../reconcile/hooks.js';
import type { HookRunStatus } from '../status/model.js';
import { type KeyString, keyString } from '../types.js';

type Blocked = Map<string, { reason: BlockReason; message: string }>;

export class ApplyHooks {
  private readonly gate: HookGate;
  private readonly told = new Set<string>();
  /** SyncFailed messages, one per failed run. */
  readonly failures: string[] = [];

  constructor(
    port: HookPort,
    instance: string,
    private readonly say: (line: string) => void,
  ) {
    this.gate = new HookGate(port, {
      instance,
      now: () => new Date(),
      publish: (event) => {
        if (event.type === 'SyncFailed') this.failures.push(event.message);
      },
      warn: (message) => say(`warning: ${message}`),
    });
  }

  static wanted(desired: DesiredState): boolean {
    return desired.resources.some((r) => r.kind === 'Task' && r.hook !== undefined);
  }

  /**
   * Holds back (in `blocked`) the updates whose PreSync hooks have not succeeded, starting or
   * following them. True while one still runs: apply what is not held, wait, and look again.
   */
  preSync(desired: DesiredState, diffs: readonly ResourceDiff[], blocked: Blocked): Promise<boolean> {
    // A manual apply deploys whatever differs, so every service update it makes is guarded.
    const deploying = new Set<KeyString>(
      diffs
        .filter((d) => d.key.kind === 'Service' && d.action !== 'noop' && d.action !== 'delete')
        .map((d) => keyString(d.key))
        .filter((key) => !blocked.has(key)),
    );
    return this.gate.preSync({ desired, diffs, deploying, writable: true, blocked });
  }

  /**
   * Runs the PostSync hooks of what was deployed once `healthOf` says Healthy, and follows every
   * run still going (SyncFail too) to its end. Without health (`healthOf` knows nothing), a
   * PostSync hook stays due — recorded in the ledger for the controller — and is not waited for.
   */
  async follow(
    desired: DesiredState,
    diffs: readonly ResourceDiff[],
    healthOf: (key: KeyString) => string | undefined,
    options: { readonly pollMs: number; readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const pending = await this.gate.postSync(desired, diffs, healthOf, true);
      this.report(desired);
      const running = this.runs(desired).some((run) => run.state === 'Running');
      if (!running && !pending) return;
      if (options.signal?.aborted || Date.now() > deadline) return;
      if (!running && !healthKnown(desired, healthOf)) return;
      await delay(options.pollMs, undefined, options.signal ? { signal: options.signal } : {}).catch(
        () => undefined,
      );
    }
  }

  /** This revision's hook runs, each line printed once per state. */
  report(desired: DesiredState): void {
    for (const task of desired.resources) {
      if (task.kind !== 'Task' || !task.hook) continue;
      for (const run of this.gate.runsOf(task.name)) {
        if (run.revision !== desired.revision) continue;
        const id = `${run.phase}\u0000${task.name}\u0000${run.startedAt}\u0000${run.state}`;
        if (this.told.has(id)) continue;
        this.told.add(id);
        this.say(runLine(task.name, run));
      }
    }
  }

  runs(desired: DesiredState): Array<HookRunStatus & { task: string }> {
    return desired.resources.flatMap((task) =>
      task.kind === 'Task' && task.hook
        ? this.gate
            .runsOf(task.name)
            .filter((run) => run.revision === desired.revision)
            .map((run) => ({ task: `Task/${task.name}`, ...run }))
        : [],
    );
  }
}

function healthKnown(desired: DesiredState, healthOf: (key: KeyString) => string | undefined): boolean {
  return desired.resources.some((r) => r.kind === 'Service' && healthOf(keyString(r.key)) !== undefined);
}

const MARK = { Running: '…', Succeeded: '✓', Failed: 'x' } as const;

function runLine(task: string, run: HookRunStatus): string {
  const what = run.state === 'Running' ? 'running' : run.state.toLowerCase();
  return `${MARK[run.state]} Task/${task} ${run.phase} hook ${what}: ${run.message}`;
}

/** The guarded updates a failed PreSync hook stopped, with why. */
export function heldByFailedHooks(blocked: Blocked): Array<[string, string]> {
  return [...blocked].filter(([, b]) => b.reason === 'hook-failed').map(([key, b]) => [key, b.message]);
}
