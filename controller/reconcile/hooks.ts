// Hook Tasks around a deploy (docs/tasks.md). Level-triggered like the rest of the loop: each pass
// looks at what the plan is about to deploy, starts the PreSync hooks that guard it (RunTask with a
// clientToken derived from revision + task, so a retry or a restarted controller gets the same task
// back instead of a second run), holds the guarded updates while the hook runs, lets them go when
// every essential container exited 0, and blocks them when it failed — one SyncFailed event per
// failed run, and the SyncFail hooks of the revision run once. PostSync hooks run once the services
// a deploy updated are Healthy. The runner itself (RunTask / DescribeTasks / StopTask) is a port.
import type { RunTaskRequest, RunTaskResult } from '../apply/run-task.js';
import type { ResourceDiff } from '../diff/model.js';
import { containersOf, evaluateTaskRun, type TaskRunView } from '../health/task-run.js';
import type { DesiredState, DesiredTask, HookPhase } from '../manifest/model.js';
import { type HookDue, hooksDue, hookTasks, hookToken } from '../plan/hooks.js';
import type { BlockReason } from '../plan/model.js';
import type { ControllerEvent, HookRunStatus } from '../status/model.js';
import { type KeyString, keyString, shortRevision } from '../types.js';

export interface HookPort {
  run(request: RunTaskRequest): Promise<RunTaskResult>;
  describe(cluster: string, taskArns: readonly string[]): Promise<readonly TaskRunView[]>;
  stop(cluster: string, taskArn: string, reason: string): Promise<void>;
}

interface HookRun {
  readonly task: string;
  readonly phase: HookPhase;
  readonly revision: string;
  readonly token: string;
  readonly cluster: string;
  readonly startedAtMs: number;
  readonly timeoutSeconds: number;
  taskArns: readonly string[];
  state: 'Running' | 'Succeeded' | 'Failed';
  message: string;
  exitCodes: Readonly<Record<string, number>>;
  finishedAtMs?: number;
  /** The guarded services it ran for. */
  readonly guards: readonly KeyString[];
}

/** What a hook that cannot start yet, or failed to start, says (not remembered as a run). */
type Waiting = { readonly state: 'Waiting'; readonly message: string };

export interface HookGateOptions {
  readonly instance: string;
  readonly now: () => Date;
  readonly publish: (event: ControllerEvent) => void;
  readonly recordRun?: (phase: HookPhase, result: 'succeeded' | 'failed') => void;
}

export interface PreSyncInput {
  readonly desired: DesiredState;
  readonly diffs: readonly ResourceDiff[];
  /** The services this pass would deploy because Git changed (not drift, not blocked already). */
  readonly deploying: ReadonlySet<KeyString>;
  readonly writable: boolean;
  /** Filled with the guarded updates that must wait or must not run. */
  readonly blocked: Map<string, { reason: BlockReason; message: string }>;
}

/** Runs kept per Task for status (newest first). */
const RUNS_KEPT = 10;
const STARTED_BY = 'ecs-gitops-hook';

export class HookGate {
  private readonly runs = new Map<string, HookRun>();
  /** PostSync hooks armed by a deploy: token → the hook, until the guarded services are Healthy. */
  private readonly armed = new Map<string, HookDue>();
  /** Sync now: how many times each failed (revision, task) was retried; part of the token. */
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly port: HookPort | undefined,
    private readonly options: HookGateOptions,
  ) {}

  /** "Sync now" asks to try again: failed hooks of the current revision get a new run. */
  retryFailed(): void {
    for (const run of this.runs.values()) {
      if (run.state !== 'Failed') continue;
      const key = `${run.revision}\u0000${run.phase}\u0000${run.task}`;
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    }
  }

  private token(revision: string, task: string, phase: HookPhase): string {
    const attempt = this.attempts.get(`${revision}\u0000${phase}\u0000${task}`) ?? 0;
    return hookToken(attempt === 0 ? revision : `${revision}#${attempt}`, task, phase);
  }

  /**
   * PreSync: starts or follows the hooks guarding what this pass deploys and blocks the guarded
   * updates until they succeeded. Returns true while a hook still runs (look again soon).
   */
  async preSync(input: PreSyncInput): Promise<boolean> {
    let running = false;
    for (const due of hooksDue(input.desired, 'PreSync', input.deploying)) {
      const token = this.token(input.desired.revision, due.task.name, 'PreSync');
      const run = await this.advance({ ...due, token }, input, 'PreSync');
      if (run.state === 'Succeeded') continue;
      const label = `PreSync hook ${keyString(due.task.key)}`;
      const failed = run.state === 'Failed';
      if (!failed) running = true;
      for (const key of due.deploying) {
        input.blocked.set(key, {
          reason: failed ? 'hook-failed' : 'hook-pending',
          message: failed
            ? `${label} failed: ${run.message}; not deployed until Git changes or Sync now`
            : `waiting for ${label}: ${run.message}`,
        });
      }
      if (failed) await this.onFailed(run as HookRun, input);
    }
    // Arm PostSync hooks for the services this pass deploys (those not held back above).
    const released = new Set([...input.deploying].filter((key) => !input.blocked.has(key)));
    for (const due of hooksDue(input.desired, 'PostSync', released)) {
      const token = this.token(input.desired.revision, due.task.name, 'PostSync');
      if (!this.runs.has(token)) this.armed.set(token, { ...due, token });
    }
    return running;
  }

  /**
   * PostSync: runs the armed hooks whose guarded services are all Healthy, and follows them.
   * Returns true while one is armed or running.
   */
  async postSync(
    desired: DesiredState,
    diffs: readonly ResourceDiff[],
    healthOf: (key: KeyString) => string | undefined,
    writable: boolean,
  ): Promise<boolean> {
    let pending = false;
    for (const [token, due] of this.armed) {
      if (!hookTasks(desired, 'PostSync').some((task) => task.name === due.task.name)) {
        this.armed.delete(token);
        continue;
      }
      const states = due.deploying.map(healthOf);
      if (states.some((state) => state === 'Degraded')) {
        this.armed.delete(token);
        continue;
      }
      if (!states.every((state) => state === 'Healthy')) {
        pending = true;
        continue;
      }
      const run = await this.advance(due, { desired, diffs, writable }, 'PostSync');
      if (run.state === 'Failed') {
        this.armed.delete(token);
        await this.onFailed(run as HookRun, { desired, diffs, writable });
      } else if (run.state === 'Succeeded') {
        this.armed.delete(token);
      } else {
        pending = true;
      }
    }
    // Runs already started (after a restart they are found by their token) are followed too.
    for (const run of this.runs.values()) {
      if (run.state === 'Running' && run.phase !== 'PreSync' && !this.armed.has(run.token)) {
        await this.poll(run, desired);
        if (run.state === 'Running') pending = true;
      }
    }
    return pending;
  }

  /** Runs of a Task for status, newest first. */
  runsOf(task: string): HookRunStatus[] {
    return [...this.runs.values()]
      .filter((run) => run.task === task)
      .sort((a, b) => b.startedAtMs - a.startedAtMs)
      .slice(0, RUNS_KEPT)
      .map((run) => ({
        phase: run.phase,
        revision: run.revision,
        state: run.state,
        message: run.message,
        startedAt: new Date(run.startedAtMs).toISOString(),
        ...(run.finishedAtMs !== undefined ? { finishedAt: new Date(run.finishedAtMs).toISOString() } : {}),
        taskArns: [...run.taskArns],
        exitCodes: { ...run.exitCodes },
      }));
  }

  /** Health of a Task from its newest run of this revision (undefined: no run). */
  healthOf(
    task: string,
    revision: string,
  ): { state: 'Healthy' | 'Progressing' | 'Degraded'; reason: string; message: string } | undefined {
    const run = [...this.runs.values()]
      .filter((candidate) => candidate.task === task && candidate.revision === revision)
      .sort((a, b) => b.startedAtMs - a.startedAtMs)[0];
    if (!run) return undefined;
    const what = `${run.phase} run`;
    switch (run.state) {
      case 'Running':
        return { state: 'Progressing', reason: 'HookRunning', message: `${what}: ${run.message}` };
      case 'Succeeded':
        return { state: 'Healthy', reason: 'HookSucceeded', message: `${what} ${run.message}` };
      case 'Failed':
        return { state: 'Degraded', reason: 'HookFailed', message: `${what} failed: ${run.message}` };
    }
  }

  /** Forgets runs of revisions other than the current one (status keeps the newest anyway). */
  prune(revision: string): void {
    const byTask = new Map<string, HookRun[]>();
    for (const run of this.runs.values()) byTask.set(run.task, [...(byTask.get(run.task) ?? []), run]);
    for (const runs of byTask.values()) {
      runs.sort((a, b) => b.startedAtMs - a.startedAtMs);
      for (const old of runs.slice(RUNS_KEPT)) if (old.revision !== revision) this.runs.delete(old.token);
    }
  }

  private async onFailed(
    run: HookRun,
    input: { desired: DesiredState; diffs: readonly ResourceDiff[]; writable: boolean },
  ): Promise<void> {
    if (run.finishedAtMs !== undefined && (run as { alerted?: boolean }).alerted) return;
    (run as { alerted?: boolean }).alerted = true;
    const guards = run.guards.join(', ');
    this.options.publish({
      type: 'SyncFailed',
      severity: 'error',
      time: this.options.now().toISOString(),
      instance: this.options.instance,
      revision: run.revision,
      resource: keyString({ kind: 'Task', name: run.task }),
      message: `revision ${shortRevision(run.revision)}: ${run.phase} hook Task/${run.task} failed: ${run.message}${run.phase === 'PreSync' ? `; ${guards} not updated` : ''}`,
    });
    // SyncFail hooks of the revision run once (their own tokens), whatever failed.
    for (const task of hookTasks(input.desired, 'SyncFail')) {
      const token = this.token(input.desired.revision, task.name, 'SyncFail');
      if (this.runs.has(token)) continue;
      await this.advance({ task, token, deploying: run.guards }, input, 'SyncFail');
    }
  }

  /** Starts a hook run (idempotent by token) or follows the one started before. */
  private async advance(
    due: HookDue,
    input: { desired: DesiredState; diffs: readonly ResourceDiff[]; writable: boolean },
    phase: HookPhase,
  ): Promise<HookRun | Waiting> {
    const existing = this.runs.get(due.token);
    if (existing) {
      if (existing.state === 'Running') await this.poll(existing, input.desired);
      return existing;
    }
    if (!this.port) return { state: 'Waiting', message: 'this controller has no task runner' };
    const target = this.target(due.task, input.diffs);
    if ('waiting' in target) return { state: 'Waiting', message: target.waiting };
    if (!input.writable)
      return { state: 'Waiting', message: 'another controller instance holds the write lease' };
    const run: HookRun = {
      task: due.task.name,
      phase,
      revision: input.desired.revision,
      token: due.token,
      cluster: target.cluster,
      startedAtMs: this.options.now().getTime(),
      timeoutSeconds: due.task.hook?.timeoutSeconds ?? 1800,
      taskArns: [],
      state: 'Running',
      message: 'starting',
      exitCodes: {},
      guards: due.deploying,
    };
    try {
      const started = await this.port.run({
        cluster: target.cluster,
        taskDefinition: target.taskDefinition,
        spec: due.task.spec as Record<string, unknown>,
        tags: due.task.tags,
        clientToken: due.token,
        startedBy: STARTED_BY,
      });
      run.taskArns = started.taskArns;
      if (started.taskArns.length === 0) {
        this.finish(
          run,
          'Failed',
          `RunTask started no task: ${started.failures.join('; ') || 'no reason given'}`,
          {},
        );
      } else {
        run.message = `${started.taskArns.length} task(s) started`;
      }
    } catch (error) {
      const aws = error as { code?: string; message?: string; retryable?: boolean };
      if (aws.retryable !== false) {
        return {
          state: 'Waiting',
          message: `RunTask failed, retrying: ${aws.code ?? 'Error'}: ${aws.message ?? String(error)}`,
        };
      }
      this.finish(
        run,
        'Failed',
        `RunTask refused: ${aws.code ?? 'Error'}: ${aws.message ?? String(error)}`,
        {},
      );
    }
    this.runs.set(due.token, run);
    return run;
  }

  private async poll(run: HookRun, desired: DesiredState): Promise<void> {
    if (!this.port || run.state !== 'Running') return;
    let views: readonly TaskRunView[];
    try {
      views = await this.port.describe(run.cluster, run.taskArns);
    } catch (error) {
      run.message = `cannot read the task: ${(error as Error).message}`;
      return;
    }
    const task = desired.resources.find((r): r is DesiredTask => r.kind === 'Task' && r.name === run.task);
    const outcome = evaluateTaskRun(views, task ? containersOf(task, desired) : []);
    if (outcome.state === 'Running') {
      const elapsed = (this.options.now().getTime() - run.startedAtMs) / 1000;
      if (elapsed <= run.timeoutSeconds) {
        run.message = outcome.message;
        return;
      }
      const reason = `ecs-gitops: ${run.phase} hook timed out after ${run.timeoutSeconds}s`;
      for (const arn of run.taskArns) {
        await this.port.stop(run.cluster, arn, reason).catch(() => undefined);
      }
      this.finish(
        run,
        'Failed',
        `timed out after ${run.timeoutSeconds}s (${outcome.message}); the task was stopped`,
        {},
      );
      return;
    }
    this.finish(run, outcome.state, outcome.message, outcome.exitCodes);
  }

  private finish(
    run: HookRun,
    state: 'Succeeded' | 'Failed',
    message: string,
    exitCodes: Readonly<Record<string, number>>,
  ): void {
    run.state = state;
    run.message = message;
    run.exitCodes = exitCodes;
    run.finishedAtMs = this.options.now().getTime();
    this.options.recordRun?.(run.phase, state === 'Succeeded' ? 'succeeded' : 'failed');
  }

  /** Where the hook runs and which revision: waits while its cluster or task definition is being made. */
  private target(
    task: DesiredTask,
    diffs: readonly ResourceDiff[],
  ): { cluster: string; taskDefinition: string } | { waiting: string } {
    const clusterRef = task.cluster;
    if (clusterRef.type === 'manifest') {
      const cluster = diffs.find((d) => d.key.kind === 'Cluster' && d.key.name === clusterRef.name);
      if (cluster && cluster.action === 'create')
        return { waiting: `Cluster/${clusterRef.name} is being created` };
    }
    if (task.taskDefinition.type === 'external') {
      return { cluster: task.cluster.clusterName, taskDefinition: task.taskDefinition.value };
    }
    const name = task.taskDefinition.name;
    const diff = diffs.find((d) => d.key.kind === 'TaskDefinition' && d.key.name === name);
    const arn = diff?.taskDefinition?.arn;
    if (diff?.action !== 'noop' || !arn) {
      return { waiting: `TaskDefinition/${name} is being registered` };
    }
    return { cluster: task.cluster.clusterName, taskDefinition: arn };
  }
}
