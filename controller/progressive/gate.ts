// Answering a deployment gate: `promote` continues the PAUSE hook the service's current deployment
// waits at; `rollback` rolls it back (through the hook when it waits at one, else by stopping the
// deployment). Reads through live/, writes through apply/. Used by the CLI and the HTTP API.
import { continueServiceDeployment, rollBackServiceDeployment } from '../apply/service-deployment.js';
import type { AwsClients } from '../aws/clients.js';
import { EcsGitopsError } from '../errors.js';
import { type ServiceDeploymentSummary, summarizeServiceDeployment } from '../health/service-deployment.js';
import { readCurrentServiceDeployment } from '../live/service-deployments.js';

export type GateAction = 'promote' | 'rollback';

/** The service cannot be promoted or rolled back now (no deployment in flight, no gate waiting…). */
export class GateError extends EcsGitopsError {
  override readonly code = 'GateRefused';
}

export interface GateTarget {
  readonly cluster: string;
  readonly service: string;
}

export interface GateOutcome {
  readonly action: GateAction;
  readonly serviceDeploymentArn: string;
  /** The stage the deployment waited at (or was at, for a rollback without a gate). */
  readonly stage?: string;
  readonly hookId?: string;
  /** How the answer was given. */
  readonly via: 'ContinueServiceDeployment' | 'StopServiceDeployment';
}

const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);

export async function answerGate(
  clients: AwsClients,
  target: GateTarget,
  action: GateAction,
  /** Answer only this hook (the analysis's): refused when the deployment waits elsewhere or no more. */
  expected?: { readonly hookId: string },
): Promise<GateOutcome> {
  const deployment = await readCurrentServiceDeployment(clients, target.cluster, target.service);
  const label = `${target.cluster}/${target.service}`;
  if (!deployment) throw new GateError(`service ${label} has no service deployment (does it exist?)`);
  const summary: ServiceDeploymentSummary = summarizeServiceDeployment(deployment);
  if (!IN_FLIGHT.has(summary.status)) {
    throw new GateError(
      `service ${label}: its deployment ${summary.arn} is ${summary.status}; nothing to ${action}`,
    );
  }
  const waiting = summary.awaitingApproval ? summary.waitingFor : undefined;
  const stage = summary.stage ? { stage: summary.stage } : {};
  if (expected && waiting?.hookId !== expected.hookId) {
    throw new GateError(`service ${label} no longer waits at hook ${expected.hookId}`);
  }
  if (action === 'promote' && !waiting) {
    const where = summary.stage ? ` (at ${summary.stage})` : '';
    throw new GateError(`service ${label} does not wait for approval${where}; nothing to promote`);
  }
  if (waiting) {
    await continueServiceDeployment(
      clients,
      summary.arn,
      waiting.hookId,
      action === 'promote' ? 'CONTINUE' : 'ROLLBACK',
    );
    return {
      action,
      serviceDeploymentArn: summary.arn,
      ...stage,
      hookId: waiting.hookId,
      via: 'ContinueServiceDeployment',
    };
  }
  await rollBackServiceDeployment(clients, summary.arn);
  return { action, serviceDeploymentArn: summary.arn, ...stage, via: 'StopServiceDeployment' };
}

/** `promoted Service/web at POST_TEST_TRAFFIC_SHIFT (ContinueServiceDeployment CONTINUE, arn…)` */
export function describeOutcome(key: string, outcome: GateOutcome): string {
  const verb = outcome.action === 'promote' ? 'promoted' : 'rolled back';
  const at = outcome.stage ? ` at ${outcome.stage}` : '';
  const how =
    outcome.via === 'ContinueServiceDeployment'
      ? `ContinueServiceDeployment ${outcome.action === 'promote' ? 'CONTINUE' : 'ROLLBACK'}`
      : 'StopServiceDeployment ROLLBACK';
  return `${verb} ${key}${at} (${how}, ${outcome.serviceDeploymentArn})`;
}
