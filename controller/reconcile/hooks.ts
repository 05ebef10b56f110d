// Hook Tasks around a deploy (docs/tasks.md). Level-triggered like the rest of the loop: each pass
// looks at what the plan is about to deploy, starts the PreSync hooks that guard it (RunTask with a
// clientToken derived from revision + task, so a retry or a restarted controller gets the same task
// back instead of a second run), holds the guarded updates while the hook runs, lets them go when
// every essential container exited 0, and blocks them when it failed — one SyncFailed event per
// failed run, and the SyncFail hooks of the revision run once. PostSync hooks run once the services
// a deploy updated are Healthy. The runner itself (RunTask / DescribeTasks / StopTask) is a port.
// What a restart must not forget (a PostSync hook due, a run's outcome, Sync now's retries) is kept
// in the hook ledger (reconcile/hook-ledger.ts), read before the first hook decision and written
// when a run starts, ends or is armed.
import type { RunTaskRequest, RunTaskResult } from '../apply/run-task.js';
import type { ResourceDiff } from '../diff/model.js';
import { containersOf, evaluateTaskRun, type TaskRunView } from '../health/task-run.js';
import type { DesiredState, DesiredTask, HookPhase } from '../manifest/model.js';
import { guardedBy, type HookDue, hooksDue, hookTasks, hookToken } from '../plan/hooks.js';
import type { BlockReason } from '../plan/model.js';
import type { ControllerEvent, HookRunStatus } from '../status/model.js';
import { type KeyString, keyString, shortRevision } from '../types.js';
import { decodeRecords, encodeRecord, type HookRecord, ledgerChanges, retainRecords } from './hook-ledger.js';

export interface HookPort {
  run(request: RunTaskRequest): Promise<RunTaskResult>;
  describe(cluster: string, taskArns: readonly string[]): Promise<readonly TaskRunView[]>;
  stop(cluster: string, taskArn: string, reason: string): Promise<void>;
  /** Where the gate's memory outlives the process (absent: memory only, as in unit tests). */
  readonly ledger?: HookLedgerPort;
}

/** Tags of the controller's hook ledger (reconcile/hook-ledger.ts). */
export interface HookLedgerPort {
  /** The ledger's tags; empty when it does not exist yet. */
  read(): Promise<Readonly<Record<string, string>>>;
  write(set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<void>;
}

interface HookRun {
  readonly task: string;
  readonly phase: HookPhase;
  readonly revision: string;
  readonly attempt: number;
  readonly token: string;
  cluster: string;
  readonly startedAtMs: number;
  readonly timeoutSeconds: number;
  taskArns: readonly string[];
  state: 'Running' | 'Succeeded' | 'Failed';
  message: string;
  exitCodes: Readonly<Record<string, number>>;
  finishedAtMs?: number;
  /** The guarded services it ran for. */
  readonly guards: readonly KeyString[];
  /** Its SyncFailed event was published (a failure read from the ledger was told before). */
  alerted?: boolean;
}

/** A PostSync hook a deploy of `revision` made due. */
type Armed = HookDue & { readonly revision: string; readonly attempt: number };

/** What a hook that cannot start yet, or failed to start, says (not remembered as a run). */
type Waiting = { readonly state: 'Waiting'; readonly message: string };

export interface HookGateOptions {
  readonly instance: string;
  readonly now: () => Date;
  readonly publish: (event: ControllerEvent) => void;
  readonly recordRun?: (phase: HookPhase, result: 'succeeded' | 'failed') => void;
  /** A ledger write failed (it is tried again after the next pass). */
  readonly warn?: (message: string) => void;
  /** A run started or ended (the controller's log line for it). */
  readonly note?: (run: HookRunNote) => void;
}

export interface HookRunNote {
  /** `Task/NAME`. */
  readonly resource: KeyString;
  readonly phase: HookPhase;
  readonly outcome: 'started' | 'succeeded' | 'failed';
  readonly message: string;
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

/**
 * What would fail without a held service waits with it: its ScalingPolicy (a scalable target needs
 * the service to exist), so a service a hook holds back at creation does not take its scaling down
 * with a terminal "service doesn't exist" error.
 */
function holdDependents(
  diffs: readonly ResourceDiff[],
  blocked: Map<string, { reason: BlockReason; message: string }>,
): void {
  for (const diff of diffs) {
    const desired = diff.desired;
    if (desired?.kind !== 'ScalingPolicy' || diff.action === 'noop' || diff.action === 'delete') continue;
    const service = keyString({ kind: 'Service', name: desired.serviceName });
    const held = blocked.get(service);
    const key = keyString(diff.key);
    if (blocked.has(key) || (held?.reason !== 'hook-pending' && held?.reason !== 'hook-failed')) continue;
    blocked.set(key, { reason: held.reason, message: `waiting for ${service}: ${held.message}` });
  }
}

/** Runs kept per Task for status (newest first). */
const RUNS_KEPT = 10;
const STARTED_BY = 'ecs-gitops-hook';

export class HookGate {
  private readonly runs = new Map<string, HookRun>();
  /** PostSync hooks armed by a deploy: token → the hook, until the guarded services are Healthy. */
  private readonly armed = new Map<string, Armed>();
  /** Sync now: how many times each failed (revision, task) was retried; part of the token. */
  private readonly attempts = new Map<string, number>();
  /** The ledger's tags as last read or written; undefined until read. */
  private ledgerTags: Readonly<Record<string, string>> | undefined;

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

  private attempt(revision: string, task: string, phase: HookPhase): number {
    return this.attempts.get(`${revision}\u0000${phase}\u0000${task}`) ?? 0;
  }

  private token(revision: string, task: string, phase: HookPhase): string {
    return hookToken(revision, task, phase, this.attempt(revision, task, phase));
  }

  /**
   * Reads the ledger once, before the first decision: runs, armed PostSync hooks and retries of the
   * Task manifests this revision has. Returns an error message while it cannot be read (no hook
   * starts then: a run it cannot see might be one it already made).
   */
  private async load(desired: DesiredState): Promise<string | undefined> {
    const ledger = this.port?.ledger;
    if (!ledger || this.ledgerTags) return undefined;
    let tags: Readonly<Record<string, string>>;
    try {
      tags = await ledger.read();
    } catch (error) {
      return `cannot read the hook ledger: ${(error as Error).message}`;
    }
    this.ledgerTags = tags;
    const tasks = desired.resources.filter(
      (r): r is DesiredTask => r.kind === 'Task' && r.hook !== undefined,
    );
    for (const record of decodeRecords(tags)) {
      const task = tasks.find(
        (candidate) =>
          hookToken(record.revision, candidate.name, record.phase, record.attempt) === record.token,
      );
      if (!task) continue;
      const attemptKey = `${record.revision}\u0000${record.phase}\u0000${task.name}`;
      this.attempts.set(attemptKey, Math.max(this.attempts.get(attemptKey) ?? 0, record.attempt));
      if (record.state === 'Armed') {
        const due = { task, token: record.token, deploying: guardedBy(task, desired) };
        this.armed.set(record.token, { ...due, revision: record.revision, attempt: record.attempt });
        continue;
      }
      const startedAtMs = Date.parse(record.startedAt ?? '') || this.options.now().getTime();
      const state = record.state === 'Unreported' ? 'Failed' : record.state;
      this.runs.set(record.token, {
        task: task.name,
        phase: record.phase,
        revision: record.revision,
        attempt: record.attempt,
        token: record.token,
        cluster: task.cluster.clusterName,
        startedAtMs,
        timeoutSeconds: task.hook?.timeoutSeconds ?? 1800,
        // A running task is found again by its clientToken (advance → recover).
        taskArns: [],
        state,
        message: record.message ?? (state === 'Running' ? 'running before a restart' : state),
        exitCodes: record.exitCodes,
        ...(record.finishedAt ? { finishedAtMs: Date.parse(record.finishedAt) } : {}),
        guards: guardedBy(task, desired),
        // A failure written before its alert went out is told by this process.
        alerted: record.state === 'Failed',
      });
    }
    return undefined;
  }

  /** Writes what changed to the ledger; a failure is retried by the next call. */
  private async persist(revision: string): Promise<void> {
    const ledger = this.port?.ledger;
    if (!ledger || !this.ledgerTags) return;
    const records: (HookRecord & { task: string })[] = [];
    for (const run of this.runs.values()) {
      const finished = run.state !== 'Running';
      records.push({
        token: run.token,
        task: run.task,
        phase: run.phase,
        state: run.state === 'Failed' && !run.alerted && run.phase !== 'SyncFail' ? 'Unreported' : run.state,
        attempt: run.attempt,
        revision: run.revision,
        startedAt: new Date(run.startedAtMs).toISOString(),
        ...(run.finishedAtMs !== undefined ? { finishedAt: new Date(run.finishedAtMs).toISOString() } : {}),
        exitCodes: finished ? run.exitCodes : {},
        // A running task's progress changes every pass: only an outcome is worth a write.
        ...(finished ? { message: run.message } : {}),
      });
    }
    for (const armed of this.armed.values()) {
      if (this.runs.has(armed.token)) continue;
      records.push({
        token: armed.token,
        task: armed.task.name,
        phase: 'PostSync',
        state: 'Armed',
        attempt: armed.attempt,
        revision: armed.revision,
        exitCodes: {},
      });
    }
    const wanted: Record<string, string> = {};
    for (const record of retainRecords(records, revision)) Object.assign(wanted, encodeRecord(record));
    const { set, remove } = ledgerChanges(this.ledgerTags, wanted);
    if (Object.keys(set).length === 0 && remove.length === 0) return;
    try {
      await ledger.write(set, remove);
      this.ledgerTags = wanted;
    } catch (error) {
      this.options.warn?.(
        `cannot write the hook ledger (tried again after the next pass): ${(error as Error).message}`,
      );
    }
  }

  /**
   * PreSync: starts or follows the hooks guarding what this pass deploys and blocks the guarded
   * updates until they succeeded. Returns true while a hook still runs (look again soon).
   */
  async preSync(input: PreSyncInput): Promise<boolean> {
    const unreadable = await this.load(input.desired);
    if (unreadable) {
      const due = hooksDue(input.desired, 'PreSync', input.deploying);
      for (const key of due.flatMap((hook) => hook.deploying)) {
        input.blocked.set(key, { reason: 'hook-pending', message: `PreSync hooks wait: ${unreadable}` });
      }
      holdDependents(input.diffs, input.blocked);
      return due.length > 0;
    }
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
      if (failed) await this.onFailed(run as HookRun, input, due.deploying);
    }
    holdDependents(input.diffs, input.blocked);
    // Arm PostSync hooks for the services this pass deploys (those not held back above).
    const released = new Set([...input.deploying].filter((key) => !input.blocked.has(key)));
    const revision = input.desired.revision;
    for (const due of hooksDue(input.desired, 'PostSync', released)) {
      const attempt = this.attempt(revision, due.task.name, 'PostSync');
      const token = this.token(revision, due.task.name, 'PostSync');
      if (!this.runs.has(token)) this.armed.set(token, { ...due, token, revision, attempt });
    }
    await this.persist(revision);
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
    if (await this.load(desired)) return false;
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
        await this.onFailed(run as HookRun, { desired, diffs, writable }, due.deploying);
      } else if (run.state === 'Succeeded') {
        this.armed.delete(token);
      } else {
        pending = true;
      }
    }
    // Runs already started (after a restart they are found by their token) are followed too, and
    // a PostSync failure a restart found Unreported is told.
    for (const run of this.runs.values()) {
      if (run.state === 'Running' && run.phase !== 'PreSync' && !this.armed.has(run.token)) {
        await this.follow(run, { desired, diffs, writable });
        if (run.state === 'Running') pending = true;
      }
      if (run.state === 'Failed' && run.phase === 'PostSync' && !run.alerted) {
        await this.onFailed(run, { desired, diffs, writable }, run.guards);
      }
    }
    await this.persist(desired.revision);
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
    guarded: readonly KeyString[],
  ): Promise<void> {
    if (!run.alerted) {
      // The outcome is written before anyone is told, and that it was told right after: a restart
      // then tells a failure it finds Unreported, and the crash window for a second alert is one
      // ledger write, not the SyncFail hooks' RunTask calls as well.
      await this.persist(input.desired.revision);
      this.publishFailure(run, guarded.join(', '));
      run.alerted = true;
      await this.persist(input.desired.revision);
    }
    // SyncFail hooks of the revision run once (their own tokens), whatever failed; one that could
    // not start yet (or was not started before a restart) is started by a later call.
    for (const task of hookTasks(input.desired, 'SyncFail')) {
      const token = this.token(input.desired.revision, task.name, 'SyncFail');
      if (this.runs.has(token)) continue;
      await this.advance({ task, token, deploying: guarded }, input, 'SyncFail');
    }
  }

  private publishFailure(run: HookRun, guards: string): void {
    this.options.publish({
      type: 'SyncFailed',
      severity: 'error',
      time: this.options.now().toISOString(),
      instance: this.options.instance,
      revision: run.revision,
      resource: keyString({ kind: 'Task', name: run.task }),
      message: `revision ${shortRevision(run.revision)}: ${run.phase} hook Task/${run.task} failed: ${run.message}${run.phase === 'PreSync' ? `; ${guards} not updated` : ''}`,
    });
  }

  /** Starts a hook run (idempotent by token) or follows the one started before. */
  private async advance(
    due: HookDue & { readonly revision?: string; readonly attempt?: number },
    input: { desired: DesiredState; diffs: readonly ResourceDiff[]; writable: boolean },
    phase: HookPhase,
  ): Promise<HookRun | Waiting> {
    const existing = this.runs.get(due.token);
    if (existing) {
      await this.follow(existing, input);
      return existing;
    }
    if (!this.port) return { state: 'Waiting', message: 'this controller has no task runner' };
    const target = this.target(due.task, input.diffs);
    if ('waiting' in target) return { state: 'Waiting', message: target.waiting };
    if (!input.writable)
      return { state: 'Waiting', message: 'another controller instance holds the write lease' };
    const revision = due.revision ?? input.desired.revision;
    const run: HookRun = {
      task: due.task.name,
      phase,
      revision,
      attempt: due.attempt ?? this.attempt(revision, due.task.name, phase),
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
        this.note(run, 'started', `Task/${run.task} ${phase} hook started: ${started.taskArns.join(', ')}`);
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
    // Remembered before anyone is told, so a restart follows this run instead of starting one.
    await this.persist(input.desired.revision);
    return run;
  }

  /**
   * Follows a running run. One read from the ledger after a restart has no task ARNs yet: RunTask
   * with its clientToken gives back the tasks it started (ECS keeps a token 24 hours, longer than
   * any hook's timeout), unless the run outlived its timeout meanwhile.
   */
  private async follow(
    run: HookRun,
    input: { desired: DesiredState; diffs: readonly ResourceDiff[]; writable: boolean },
  ): Promise<void> {
    if (run.state !== 'Running') return;
    if (run.taskArns.length > 0) return this.poll(run, input.desired);
    if (!this.port) return;
    const elapsed = (this.options.now().getTime() - run.startedAtMs) / 1000;
    if (elapsed > run.timeoutSeconds) {
      this.finish(run, 'Failed', `timed out after ${run.timeoutSeconds}s while the controller was away`, {});
      return;
    }
    const task = input.desired.resources.find(
      (r): r is DesiredTask => r.kind === 'Task' && r.name === run.task,
    );
    if (!task) return;
    const target = this.target(task, input.diffs);
    if ('waiting' in target) return;
    try {
      const started = await this.port.run({
        cluster: target.cluster,
        taskDefinition: target.taskDefinition,
        spec: task.spec as Record<string, unknown>,
        tags: task.tags,
        clientToken: run.token,
        startedBy: STARTED_BY,
      });
      run.taskArns = started.taskArns;
      run.cluster = target.cluster;
    } catch (error) {
      run.message = `cannot find the task again: ${(error as Error).message}`;
      return;
    }
    if (run.taskArns.length > 0) await this.poll(run, input.desired);
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
    const outcome = state === 'Succeeded' ? 'succeeded' : 'failed';
    this.options.recordRun?.(run.phase, outcome);
    this.note(run, outcome, `Task/${run.task} ${run.phase} hook ${outcome}: ${message}`);
  }

  private note(run: HookRun, outcome: HookRunNote['outcome'], message: string): void {
    const resource = keyString({ kind: 'Task', name: run.task });
    this.options.note?.({ resource, phase: run.phase, outcome, message });
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
