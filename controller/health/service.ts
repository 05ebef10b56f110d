// Service health from DescribeServices' `service` (docs/architecture.md#reconcile-semantics).
//
// Stricter than the SDK's `waitUntilServicesStable`, which only checks that one deployment is left
// and runningCount == desiredCount: after a circuit-breaker rollback that is true again, so the
// waiter calls a failed deploy "stable". Here the deployment we created must still be PRIMARY.
import {
  type LiveService,
  type LiveServiceDeployment,
  type ServiceDeployment,
  serviceDeployments,
} from '../live/model.js';
import type { GatePolicy } from '../manifest/approval-gate.js';
import { type HealthResult, health, MISSING } from './model.js';
import { isProgressive, serviceDeploymentHealth } from './service-deployment.js';

export interface ServiceHealthOptions {
  /** The deployment id the controller's CreateService/UpdateService produced. */
  readonly expectedDeploymentId?: string;
  /** stoppedReason of recently stopped tasks, newest first (live/rollout.ts reads them). */
  readonly stoppedReasons?: readonly string[];
  /** BLUE_GREEN / LINEAR / CANARY: the service's current service deployment, which decides. */
  readonly serviceDeployment?: LiveServiceDeployment;
  /** When the live picture was read (how long a bake has left). */
  readonly now?: Date;
  /** The manifest's gate: who answers a PAUSE hook (a person, or the controller's analysis). */
  readonly gate?: GatePolicy;
}

function circuitBreakerEnabled(service: LiveService): boolean {
  return service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
}

function withStopped(message: string, stoppedReasons: readonly string[] | undefined): string {
  const first = stoppedReasons?.find((reason) => reason.trim() !== '');
  return first ? `${message}; task stopped: ${first}` : message;
}

const ROLLBACK_TEXT = /roll(ing|ed)? ?back/i;

/** ECS records a failed deployment in the service events: `(deployment ecs-svc/…) deployment failed: …`. */
function failedInEvents(service: LiveService, deploymentId: string): string | undefined {
  const events = Array.isArray(service.events) ? (service.events ?? []) : [];
  return events
    .map((event) => event.message ?? '')
    .find(
      (message) => message.includes(deploymentId) && /deployment failed|roll(ing|ed)? ?back/i.test(message),
    );
}

const UNPLACED = /was unable to place a task/;

/** The newest service event, when it says a task could not be placed (EC2 capacity). */
function unplacedEvent(service: LiveService): string | undefined {
  const events = Array.isArray(service.events) ? (service.events ?? []) : [];
  const newest = events[0]?.message ?? '';
  return UNPLACED.test(newest) ? newest : undefined;
}

export function serviceHealth(
  service: LiveService | undefined,
  options: ServiceHealthOptions = {},
): HealthResult {
  if (!service) return MISSING;
  const status = service.status ?? 'ACTIVE';
  if (status === 'INACTIVE') return health('Missing', 'Inactive', 'service INACTIVE (deleted)');
  if (status === 'DRAINING') return health('Progressing', 'Draining', 'service DRAINING (being deleted)');

  // Progressive strategies: Healthy only once the service deployment is SUCCESSFUL (then the
  // counts below must agree too); a rollback or a stop is Degraded however the counts look.
  const current = options.serviceDeployment;
  if (
    current &&
    isProgressive(service) &&
    current.serviceDeploymentArn === service.currentServiceDeployment
  ) {
    const verdict = serviceDeploymentHealth(current, options.now, options.gate);
    if (verdict) return verdict;
  }

  const deployments: ServiceDeployment[] = serviceDeployments(service);
  const primaries = deployments.filter((d) => d.status === 'PRIMARY');
  const primary = primaries[0];
  const stopped = options.stoppedReasons;
  const running = service.runningCount ?? primary?.runningCount ?? 0;
  const desired = service.desiredCount ?? primary?.desiredCount ?? 0;
  const counts = `${running}/${desired} running`;

  if (options.expectedDeploymentId !== undefined) {
    const expected = deployments.find((d) => d.id === options.expectedDeploymentId);
    if (expected?.status !== 'PRIMARY') {
      // Once the failed deployment has drained it leaves the list; the events still tell.
      const event = failedInEvents(service, options.expectedDeploymentId);
      const rolledBack =
        expected?.rolloutState === 'FAILED' ||
        event !== undefined ||
        ROLLBACK_TEXT.test(expected?.rolloutStateReason ?? '') ||
        ROLLBACK_TEXT.test(primary?.rolloutStateReason ?? '');
      const why = expected?.rolloutStateReason ?? event ?? primary?.rolloutStateReason;
      const now = primary ? `; ${primary.id} is PRIMARY now` : '';
      return rolledBack
        ? health(
            'Degraded',
            'RolledBack',
            withStopped(
              `deployment ${options.expectedDeploymentId} failed and was rolled back${now}${why ? ` (${why})` : ''}`,
              stopped,
            ),
          )
        : health(
            'Degraded',
            'DeploymentReplaced',
            withStopped(`deployment ${options.expectedDeploymentId} is no longer PRIMARY${now}`, stopped),
          );
    }
  }

  if (!primary) return health('Unknown', 'NoPrimaryDeployment', `no PRIMARY deployment, ${counts}`);

  if (primary.rolloutState === 'FAILED') {
    const why = primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : '';
    return health('Degraded', 'RolloutFailed', withStopped(`rollout FAILED${why}`, stopped));
  }

  // A FAILED deployment next to the PRIMARY is what a circuit-breaker rollback leaves behind.
  const failed = deployments.find((d) => d !== primary && d.rolloutState === 'FAILED');
  if (failed) {
    const why = failed.rolloutStateReason ? ` (${failed.rolloutStateReason})` : '';
    return health(
      'Degraded',
      'RolledBack',
      withStopped(`deployment ${failed.id} failed and was rolled back to ${primary.id}${why}`, stopped),
    );
  }

  if (primary.failedTasks > 0 && primary.runningCount < primary.desiredCount) {
    const message = withStopped(`${counts}, ${primary.failedTasks} tasks failed to start`, stopped);
    // With the circuit breaker on, ECS itself decides when enough tasks failed; until then it retries.
    if (circuitBreakerEnabled(service) && primary.rolloutState === 'IN_PROGRESS') {
      return health('Progressing', 'TasksFailing', message);
    }
    return health('Degraded', 'TasksFailing', message);
  }

  // ECS writes why tasks wait (no instance with enough memory, CPU, ports…) as the newest event.
  const unplaced = unplacedEvent(service);
  if (unplaced !== undefined && running < desired) {
    return health('Progressing', 'TasksUnplaced', `${counts}: ${unplaced}`);
  }
  if (primary.rolloutState === 'IN_PROGRESS') {
    return health('Progressing', 'RolloutInProgress', `${counts}, rollout IN_PROGRESS`);
  }
  if (primaries.length > 1 || deployments.length > 1) {
    return health(
      'Progressing',
      'DeploymentsDraining',
      `${counts}, ${deployments.length - 1} older deployment(s) draining`,
    );
  }
  if (running !== desired || primary.runningCount !== primary.desiredCount) {
    return health('Progressing', 'Scaling', `${counts}`);
  }
  // Services on the CODE_DEPLOY / EXTERNAL controllers have no rolloutState: steady counts suffice.
  const rollout = primary.rolloutState ? `, rollout ${primary.rolloutState}` : '';
  return health('Healthy', 'RolloutCompleted', `${counts}${rollout}`);
}
