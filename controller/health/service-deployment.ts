// Health of a BLUE_GREEN / LINEAR / CANARY service from its current service deployment
// (DescribeServiceDeployments): the deployment, not the task counts, says where a rollout is.
// Counts can match while green bakes, waits at a gate or was just rolled back; none of that is
// "stable". Pure: the service deployment and the time it was read come from live/.
import type { LiveService, LiveServiceDeployment } from '../live/model.js';
import type { GatePolicy } from '../manifest/approval-gate.js';
import { type HealthResult, health } from './model.js';

/** Where a progressive deployment is, in the words the status, dashboard and alerts use. */
export interface ServiceDeploymentSummary {
  readonly arn: string;
  readonly status: string;
  readonly strategy: string;
  readonly stage?: string;
  /** The target revision's requested production / test traffic weights (percent). */
  readonly productionWeight?: number;
  readonly testWeight?: number;
  readonly statusReason?: string;
  readonly rollbackReason?: string;
  /** A lifecycle hook of the current stage that has not let go yet. */
  readonly waitingFor?: {
    readonly hookId: string;
    readonly targetType: string;
    readonly status: string;
    readonly expiresAt?: string;
    readonly timeoutAction?: string;
  };
  /** When the bake of the current stage ends (BAKE_TIME, or a CANARY / LINEAR step bake). */
  readonly bakeEndsAt?: string;
  readonly updatedAt?: string;
  /**
   * A PAUSE hook awaits ContinueServiceDeployment from a person: the gate of
   * `ecs-gitops/approval: manual`, or one written by hand in lifecycleHooks.
   */
  readonly awaitingApproval: boolean;
  /**
   * The PAUSE hook is the gate of an `ecs-gitops/analysis` without a manual approval: the
   * controller's analysis answers it, nobody has to act (set only then).
   */
  readonly awaitingAnalysis?: true;
}

const FINISHED_BAD = new Set(['STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);
const ROLLING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export function strategyOf(service: LiveService | undefined): string {
  return service?.deploymentConfiguration?.strategy ?? 'ROLLING';
}

/** True for the strategies whose truth is the service deployment. */
export function isProgressive(service: LiveService | undefined): boolean {
  return strategyOf(service) !== 'ROLLING';
}

function iso(value: string | undefined): string | undefined {
  return value !== undefined && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : undefined;
}

type Config = NonNullable<LiveServiceDeployment['deploymentConfiguration']>;

function bakeMinutes(
  config: Config,
  strategy: string,
  stage: string | undefined,
  weight: number | undefined,
) {
  if (stage === 'BAKE_TIME') return config.bakeTimeInMinutes ?? 0;
  if (stage !== 'PRODUCTION_TRAFFIC_SHIFT' || weight === undefined || weight >= 100) return undefined;
  if (strategy === 'CANARY') return config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  if (strategy === 'LINEAR') return config.linearConfiguration?.stepBakeTimeInMinutes ?? 6;
  return undefined;
}

/**
 * `gate`: the manifest's gate (`ecs-gitops/approval` / `analysis`), which tells who answers a PAUSE
 * hook at its stages; without it every PAUSE hook waits for a person.
 */
export function summarizeServiceDeployment(
  deployment: LiveServiceDeployment,
  gate?: GatePolicy,
): ServiceDeploymentSummary {
  const config: Config = deployment.deploymentConfiguration ?? {};
  const strategy = config.strategy ?? 'ROLLING';
  const target = deployment.targetServiceRevision ?? {};
  const stage = deployment.lifecycleStage;
  const production = target.requestedProductionTrafficWeight;
  const test = target.requestedTestTrafficWeight;
  const hooks = deployment.lifecycleHookDetails ?? [];
  const open =
    hooks.find((h) => h.status === 'AWAITING_ACTION') ?? hooks.find((h) => h.status === 'IN_PROGRESS');
  const updatedAt = iso(deployment.updatedAt);
  const bake = bakeMinutes(config, strategy, stage, production);
  const waitingExpires = open ? iso(open.expiresAt) : undefined;
  const waitingAction = open?.timeoutAction;
  const paused = open?.targetType === 'PAUSE' && open.status === 'AWAITING_ACTION';
  const analysisAnswers =
    paused &&
    gate?.analysis !== undefined &&
    !gate.manual &&
    (stage === undefined || gate.stages.includes(stage));
  return {
    arn: deployment.serviceDeploymentArn ?? '',
    status: deployment.status ?? '',
    strategy,
    ...(stage ? { stage } : {}),
    ...(production !== undefined ? { productionWeight: production } : {}),
    ...(test !== undefined ? { testWeight: test } : {}),
    ...(deployment.statusReason ? { statusReason: deployment.statusReason } : {}),
    ...(deployment.rollback?.reason ? { rollbackReason: deployment.rollback.reason } : {}),
    ...(open
      ? {
          waitingFor: {
            hookId: open.hookId ?? '',
            targetType: open.targetType ?? '',
            status: open.status ?? '',
            ...(waitingExpires ? { expiresAt: waitingExpires } : {}),
            ...(waitingAction ? { timeoutAction: waitingAction } : {}),
          },
        }
      : {}),
    ...(bake !== undefined && bake > 0 && updatedAt && !open
      ? { bakeEndsAt: new Date(Date.parse(updatedAt) + bake * 60_000).toISOString() }
      : {}),
    ...(updatedAt ? { updatedAt } : {}),
    awaitingApproval: paused && !analysisAnswers,
    ...(analysisAnswers ? { awaitingAnalysis: true as const } : {}),
  };
}

function minutesLeft(until: string, now: Date | undefined): string {
  if (!now) return `until ${until}`;
  const left = Math.max(0, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
  return `${left} min left`;
}

/** `canary 5%`, `linear 30%`, `blue/green 100%`: the traffic the new revision gets. */
function traffic(summary: ServiceDeploymentSummary): string {
  const label =
    summary.strategy === 'BLUE_GREEN' ? 'blue/green' : summary.strategy.toLowerCase().replace('_', ' ');
  const weight = summary.productionWeight ?? 0;
  const test =
    summary.testWeight !== undefined && summary.testWeight > 0 && weight === 0
      ? ` (test ${summary.testWeight}%)`
      : '';
  return `${label} ${weight}%${test}`;
}

/**
 * One line: `canary 5% · baking 8 min left`, `blue/green 0% (test 100%) · waiting for approval at
 * POST_TEST_TRAFFIC_SHIFT …`, `canary 0% (test 100%) · analysis running at PRE_PRODUCTION_TRAFFIC_SHIFT …`.
 */
export function describeProgress(summary: ServiceDeploymentSummary, now?: Date): string {
  const parts = [traffic(summary)];
  const waiting = summary.waitingFor;
  if (waiting && (summary.awaitingApproval || summary.awaitingAnalysis)) {
    const timeout = waiting.expiresAt
      ? `; ${waiting.timeoutAction ?? 'ROLLBACK'} at ${waiting.expiresAt}`
      : '';
    const what = summary.awaitingAnalysis ? 'analysis running' : 'waiting for approval';
    parts.push(`${what} at ${summary.stage ?? '?'} (hook ${waiting.hookId}${timeout})`);
  } else if (waiting) {
    parts.push(`${waiting.targetType} hook ${waiting.status} at ${summary.stage ?? '?'}`);
  } else if (summary.bakeEndsAt) {
    parts.push(`baking ${minutesLeft(summary.bakeEndsAt, now)}`);
  } else if (summary.stage) {
    parts.push(summary.stage);
  }
  return parts.join(' · ');
}

/**
 * The health a service deployment alone decides, or undefined when it is SUCCESSFUL (then the
 * task counts still have to agree: see service.ts).
 */
export function serviceDeploymentHealth(
  deployment: LiveServiceDeployment,
  now?: Date,
  gate?: GatePolicy,
): HealthResult | undefined {
  const summary = summarizeServiceDeployment(deployment, gate);
  const why = summary.rollbackReason ?? summary.statusReason;
  const reason = why ? ` (${why})` : '';
  if (summary.status === 'SUCCESSFUL') return undefined;
  if (ROLLING_BACK.has(summary.status)) {
    return health('Degraded', 'RolledBack', `service deployment ${summary.status}: rolling back${reason}`);
  }
  if (summary.status === 'ROLLBACK_SUCCESSFUL') {
    return health('Degraded', 'RolledBack', `service deployment rolled back (ROLLBACK_SUCCESSFUL)${reason}`);
  }
  if (FINISHED_BAD.has(summary.status)) {
    return health('Degraded', 'RolloutFailed', `service deployment ${summary.status}${reason}`);
  }
  if (summary.status === 'PENDING')
    return health('Progressing', 'DeploymentPending', 'service deployment PENDING');
  const line = describeProgress(summary, now);
  if (summary.awaitingApproval) return health('Progressing', 'AwaitingApproval', line);
  if (summary.awaitingAnalysis) return health('Progressing', 'AnalysisRunning', line);
  if (summary.bakeEndsAt) return health('Progressing', 'Baking', line);
  return health('Progressing', 'RolloutInProgress', line);
}
