// `ecs-gitops/approval: manual` and `ecs-gitops/analysis` put a gate into a progressive service's
// deployment: a PAUSE lifecycle hook the controller adds to deploymentConfiguration (so the diff and
// the apply see the same desired content) and answers with ContinueServiceDeployment on promote,
// rollback or the analysis verdict. Pure.
import type { ServiceSpec } from './spec-types.js';

export const APPROVAL_ANNOTATION = 'ecs-gitops/approval';
export const APPROVAL_STAGES_ANNOTATION = 'ecs-gitops/approval-stages';
export const ANALYSIS_ANNOTATION = 'ecs-gitops/analysis';

/** Where a gate waits unless `ecs-gitops/approval-stages` names stages. */
export function defaultGateStages(strategy: string): string[] {
  // Blue/green: after test traffic reached green, before any production traffic. Linear / canary:
  // before each production shift (ECS runs that stage once per step).
  return strategy === 'BLUE_GREEN' ? ['POST_TEST_TRAFFIC_SHIFT'] : ['PRE_PRODUCTION_TRAFFIC_SHIFT'];
}

/** Stages a PAUSE hook may wait at (DeploymentLifecycleHookStage minus the two shift stages). */
export const GATE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

export interface GatePolicy {
  /** Stages the gate's PAUSE hook waits at. */
  readonly stages: readonly string[];
  /** `ecs-gitops/approval: manual`: a person answers. */
  readonly manual: boolean;
  /** `ecs-gitops/analysis`: the controller answers from an HTTP check. */
  readonly analysis?: AnalysisSpec;
}

export interface AnalysisSpec {
  readonly url: string;
  /** How many consecutive checks must pass (default 3). */
  readonly count: number;
  /** Seconds between checks (default 10). */
  readonly intervalSeconds: number;
  /** Seconds each request may take (default 5). */
  readonly timeoutSeconds: number;
}

export type GateProblem = { readonly key: string; readonly message: string };

const DURATION = /^(\d+)(s|m)?$/;

function seconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

/** `URL [count=N] [interval=10s] [timeout=5s]` */
export function parseAnalysis(value: string): AnalysisSpec | string {
  const [url, ...options] = value.trim().split(/\s+/);
  if (!url || !/^https?:\/\/[^\s]+$/.test(url))
    return `expected an http(s) URL, then optional count=N interval=10s timeout=5s, got ${JSON.stringify(value)}`;
  let count = 3;
  let intervalSeconds = 10;
  let timeoutSeconds = 5;
  for (const option of options) {
    const [name, raw = ''] = option.split('=', 2);
    if (name === 'count' && /^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 100) count = Number(raw);
    else if (name === 'interval' && seconds(raw) !== undefined) intervalSeconds = seconds(raw)!;
    else if (name === 'timeout' && seconds(raw) !== undefined && seconds(raw)! >= 1)
      timeoutSeconds = seconds(raw)!;
    else
      return `unknown or invalid analysis option ${JSON.stringify(option)} (use count=1..100, interval=10s, timeout=5s)`;
  }
  return { url, count, intervalSeconds, timeoutSeconds };
}

function strategyOf(spec: ServiceSpec): string {
  const strategy = (spec.deploymentConfiguration as { strategy?: unknown } | undefined)?.strategy;
  return typeof strategy === 'string' ? strategy : 'ROLLING';
}

/** The gate a service's annotations ask for, or the problems that make them invalid. */
export function gatePolicy(
  annotations: Readonly<Record<string, string>> | undefined,
  spec: ServiceSpec,
): { gate?: GatePolicy; problems: GateProblem[] } {
  const values = annotations ?? {};
  const approval = values[APPROVAL_ANNOTATION];
  const analysisText = values[ANALYSIS_ANNOTATION];
  const stagesText = values[APPROVAL_STAGES_ANNOTATION];
  const problems: GateProblem[] = [];
  if (approval !== undefined && approval !== 'manual' && approval !== 'none') {
    problems.push({
      key: APPROVAL_ANNOTATION,
      message: `invalid value ${JSON.stringify(approval)} for annotation ${APPROVAL_ANNOTATION}; use manual or none`,
    });
  }
  const analysis = analysisText === undefined ? undefined : parseAnalysis(analysisText);
  if (typeof analysis === 'string') problems.push({ key: ANALYSIS_ANNOTATION, message: analysis });
  const manual = approval === 'manual';
  const wanted = manual || (analysis !== undefined && typeof analysis !== 'string');
  if (!wanted) {
    if (stagesText !== undefined && problems.length === 0) {
      problems.push({
        key: APPROVAL_STAGES_ANNOTATION,
        message: `${APPROVAL_STAGES_ANNOTATION} needs ${APPROVAL_ANNOTATION}: manual or ${ANALYSIS_ANNOTATION}`,
      });
    }
    return { problems };
  }
  const strategy = strategyOf(spec);
  if (strategy === 'ROLLING') {
    problems.push({
      key: manual ? APPROVAL_ANNOTATION : ANALYSIS_ANNOTATION,
      message: `a deployment gate needs deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY (ECS runs lifecycle hooks only for those); this service deploys ROLLING`,
    });
    return { problems };
  }
  const stages =
    stagesText === undefined
      ? defaultGateStages(strategy)
      : stagesText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const stage of stages) {
    if (!(GATE_STAGES as readonly string[]).includes(stage)) {
      problems.push({
        key: APPROVAL_STAGES_ANNOTATION,
        message: `a gate cannot wait at ${JSON.stringify(stage)}; use one of ${GATE_STAGES.join(', ')}`,
      });
    }
  }
  if (stages.length === 0) problems.push({ key: APPROVAL_STAGES_ANNOTATION, message: 'names no stage' });
  if (problems.length > 0) return { problems };
  return {
    gate: { stages, manual, ...(analysis && typeof analysis !== 'string' ? { analysis } : {}) },
    problems,
  };
}

/** The spec with the gate's PAUSE hook appended to deploymentConfiguration.lifecycleHooks. */
export function withGate(spec: ServiceSpec, gate: GatePolicy | undefined): ServiceSpec {
  if (!gate) return spec;
  const config = (spec.deploymentConfiguration ?? {}) as Record<string, unknown>;
  const hooks = Array.isArray(config.lifecycleHooks) ? config.lifecycleHooks : [];
  const pause = { targetType: 'PAUSE', lifecycleStages: [...gate.stages] };
  return {
    ...spec,
    deploymentConfiguration: { ...config, lifecycleHooks: [...hooks, pause] },
  } as ServiceSpec;
}
