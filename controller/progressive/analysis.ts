// `ecs-gitops/analysis`: when a service's deployment waits at its gate (the PAUSE hook the
// annotation added), the controller evaluates the HTTP check `count` times, `interval` apart, and
// answers the hook itself: ROLLBACK at the first check that is not 2xx in time, CONTINUE once all
// passed (unless `ecs-gitops/approval: manual` also asks a person: then a pass only is recorded).
// Every check and the answer go into the service's status (`analyses`, `approvals` by "analysis").
// The runner owns no truth: it starts from what a pass reported, so after a restart a gate that
// still waits is simply evaluated again.
import { errorMessage } from '../errors.js';
import type { AnalysisSpec, GatePolicy } from '../manifest/approval-gate.js';
import type { DesiredState } from '../manifest/model.js';
import type { AnalysisCheck, AnalysisRun, ResourceStatus } from '../status/model.js';
import type { KeyString } from '../types.js';
import type { CheckOutcome } from './analysis-check.js';
import { type GateAction, GateError, type GateOutcome, type GateTarget } from './gate.js';
import { gateTargetOf, withApproval } from './gate-requests.js';

/** Analysis runs kept per service in its status. */
const KEPT_RUNS = 5;
/** Gates remembered as evaluated (a gate is one hook of one deployment; ids are never reused). */
const REMEMBERED = 1000;
/** Tries at answering the hook once the verdict is in (ECS throttling or a 5xx), and their spacing. */
const ANSWER_ATTEMPTS = 5;
const ANSWER_RETRY_MS = 2000;

export const ANALYSIS_BY = 'analysis';

/** The state of a run from its checks so far: one failure fails it, `count` passes pass it. */
export function analysisVerdict(spec: AnalysisSpec, checks: readonly AnalysisCheck[]): AnalysisRun['state'] {
  if (checks.some((check) => !check.ok)) return 'Failed';
  return checks.length >= spec.count ? 'Passed' : 'Running';
}

/** The status with this run added, or replacing the earlier record of the same gate. */
export function withAnalysisRun(status: ResourceStatus, run: AnalysisRun): ResourceStatus {
  const others = (status.analyses ?? []).filter(
    (r) => !(r.serviceDeploymentArn === run.serviceDeploymentArn && r.hookId === run.hookId),
  );
  return { ...status, analyses: [...others, run].slice(-KEPT_RUNS) };
}

/** One gate the analysis should answer, found in a pass's status and the desired state. */
export interface PendingGate {
  readonly key: KeyString;
  readonly target: GateTarget;
  readonly serviceDeploymentArn: string;
  readonly hookId: string;
  readonly stage?: string;
  readonly gate: GatePolicy & { readonly analysis: AnalysisSpec };
}

/** Services waiting at a gate whose manifest names an analysis. Pure. */
export function gatesToAnalyse(
  resources: readonly ResourceStatus[],
  desired: DesiredState | undefined,
): PendingGate[] {
  const gates = new Map<string, GatePolicy>();
  for (const resource of desired?.resources ?? [])
    if (resource.kind === 'Service' && resource.gate?.analysis)
      gates.set(`Service/${resource.name}`, resource.gate);
  const pending: PendingGate[] = [];
  for (const status of resources) {
    const gate = gates.get(status.key);
    const deployment = status.serviceDeployment;
    const hookId = deployment?.waitingFor?.hookId;
    const paused = deployment?.awaitingAnalysis === true || deployment?.awaitingApproval === true;
    if (!gate?.analysis || !paused || !hookId) continue;
    // A PAUSE hook the manifest wrote itself, at another stage, is not the analysis's to answer.
    if (deployment.stage !== undefined && !gate.stages.includes(deployment.stage)) continue;
    const target = gateTargetOf(status);
    if (!target) continue;
    pending.push({
      key: status.key,
      target,
      serviceDeploymentArn: deployment.arn,
      hookId,
      ...(deployment.stage ? { stage: deployment.stage } : {}),
      gate: { ...gate, analysis: gate.analysis },
    });
  }
  return pending;
}

export interface AnalysisPorts {
  readonly check: (spec: AnalysisSpec, signal: AbortSignal) => Promise<CheckOutcome>;
  /** Answers exactly this hook (gate.ts answerGate with `expected`). */
  readonly answer: (target: GateTarget, action: GateAction, hookId: string) => Promise<GateOutcome>;
  readonly updateResource: (key: KeyString, update: (previous: ResourceStatus) => ResourceStatus) => void;
  readonly requestSync: (reason: string) => void;
  readonly now: () => Date;
  /** Waits between checks; rejects or resolves early when the signal aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly log: (level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void;
  /** The write lease (a replicated controller): a standby neither evaluates nor answers gates. */
  readonly mayWrite: () => Promise<boolean>;
}

export class AnalysisRunner {
  private readonly started = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly ports: AnalysisPorts) {}

  /** Starts an evaluation for every gate waiting that none was started for. */
  observe(resources: readonly ResourceStatus[], desired: DesiredState | undefined): void {
    if (this.stopping.signal.aborted) return;
    for (const gate of gatesToAnalyse(resources, desired)) {
      const id = `${gate.serviceDeploymentArn}#${gate.hookId}`;
      if (this.started.has(id)) continue;
      this.started.add(id);
      if (this.started.size > REMEMBERED) this.started.delete(this.started.values().next().value!);
      const run = this.evaluate(gate).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Resolves when every evaluation in flight has ended (the caller's tests wait on it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Aborts the evaluations in flight (their gates stay waiting; a restart evaluates them again). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async evaluate(gate: PendingGate): Promise<void> {
    const { ports } = this;
    if (!(await ports.mayWrite())) {
      // The active replica evaluates this gate; should this one take over, a later pass starts it.
      this.started.delete(`${gate.serviceDeploymentArn}#${gate.hookId}`);
      return;
    }
    const { analysis } = gate.gate;
    const signal = this.stopping.signal;
    let run: AnalysisRun = {
      serviceDeploymentArn: gate.serviceDeploymentArn,
      hookId: gate.hookId,
      ...(gate.stage ? { stage: gate.stage } : {}),
      url: analysis.url,
      startedAt: ports.now().toISOString(),
      state: 'Running',
      checks: [],
    };
    const record = (next: AnalysisRun) => {
      run = next;
      ports.updateResource(gate.key, (previous) => withAnalysisRun(previous, next));
    };
    record(run);
    ports.log(
      'info',
      { resource: gate.key, url: analysis.url, stage: gate.stage },
      'analysis started at the gate',
    );
    while (run.state === 'Running') {
      if (run.checks.length > 0)
        await ports.sleep(analysis.intervalSeconds * 1000, signal).catch(() => undefined);
      if (signal.aborted) return;
      const outcome = await ports.check(analysis, signal);
      if (signal.aborted) return;
      const checks = [...run.checks, { at: ports.now().toISOString(), ...outcome }];
      record({ ...run, checks, state: analysisVerdict(analysis, checks) });
    }
    const failed = run.state === 'Failed';
    if (!failed && gate.gate.manual) {
      record({
        ...run,
        finishedAt: ports.now().toISOString(),
        note: 'passed; ecs-gitops/approval: manual waits for a person to promote',
      });
      return;
    }
    const action: GateAction = failed ? 'rollback' : 'promote';
    // The verdict stands; only the answer is retried (throttling, a 5xx), never the checks.
    for (let attempt = 1; ; attempt++) {
      if (!(await ports.mayWrite())) {
        // Lost the lease while checking: the replica that holds it evaluates the gate itself.
        record({
          ...run,
          finishedAt: ports.now().toISOString(),
          note: 'not answered: this instance became a standby',
        });
        break;
      }
      try {
        const outcome = await ports.answer(gate.target, action, gate.hookId);
        record({ ...run, finishedAt: ports.now().toISOString(), answer: failed ? 'ROLLBACK' : 'CONTINUE' });
        ports.updateResource(gate.key, (previous) =>
          withApproval(previous, {
            action,
            by: ANALYSIS_BY,
            at: ports.now().toISOString(),
            serviceDeploymentArn: outcome.serviceDeploymentArn,
            ...(outcome.stage ? { stage: outcome.stage } : {}),
          }),
        );
        const last = run.checks.at(-1);
        ports.log(
          failed ? 'warn' : 'info',
          { resource: gate.key, url: analysis.url, checks: run.checks.length },
          failed
            ? `analysis failed (${last?.error ?? 'not 2xx'}): rolled back at ${gate.stage ?? 'the gate'}`
            : `analysis passed ${run.checks.length} check(s): promoted at ${gate.stage ?? 'the gate'}`,
        );
        break;
      } catch (error) {
        const refused = error instanceof GateError;
        if (!refused && attempt < ANSWER_ATTEMPTS && !signal.aborted) {
          await ports.sleep(ANSWER_RETRY_MS * attempt, signal).catch(() => undefined);
          continue;
        }
        // Someone answered first or the deployment moved on (refused), or ECS kept failing: the
        // hook's own timeout action stands. Nothing is lost; the next pass tells where it is.
        const message = refused ? error.message : `could not answer: ${errorMessage(error)}`;
        record({ ...run, finishedAt: ports.now().toISOString(), note: message.slice(0, 300) });
        ports.log(
          'warn',
          { resource: gate.key },
          `analysis ${run.state.toLowerCase()}, not answered: ${message}`,
        );
        break;
      }
    }
    ports.requestSync(`analysis ${run.state.toLowerCase()} for ${gate.key}`);
  }
}
