// The controller's side of POST /api/resources/Service/:name/promote | rollback: find the service,
// answer its gate, record who answered in its status (the status branch keeps it), look again.
import type { AwsClients } from '../aws/clients.js';
import { errorMessage } from '../errors.js';
import type { LeasePort } from '../reconcile/ports.js';
import type { GateAnswer, GateHandler } from '../server/gate-route.js';
import type { GateApproval, ResourceStatus } from '../status/model.js';
import type { KeyString } from '../types.js';
import { answerGate, describeOutcome, GateError, type GateTarget } from './gate.js';

/** Answers kept per service in its status. */
const KEPT_APPROVALS = 10;

/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>` → the service's cluster and name. */
export function gateTargetOf(status: ResourceStatus | undefined): GateTarget | undefined {
  const match = /:service\/([^/]+)\/([^/]+)$/.exec(status?.kind === 'Service' ? (status.arn ?? '') : '');
  return match ? { cluster: match[1]!, service: match[2]! } : undefined;
}

export function withApproval(status: ResourceStatus, approval: GateApproval): ResourceStatus {
  return { ...status, approvals: [...(status.approvals ?? []), approval].slice(-KEPT_APPROVALS) };
}

export interface GateRequestDeps {
  readonly clients: AwsClients;
  readonly getResource: (key: KeyString) => ResourceStatus | undefined;
  readonly updateResource: (key: KeyString, update: (previous: ResourceStatus) => ResourceStatus) => void;
  /** Look again soon (the deployment moved on). */
  readonly requestSync: (reason: string) => void;
  readonly now: () => Date;
  /** The target's write lease (a replicated controller): a standby refuses to answer gates. */
  readonly lease?: LeasePort;
}

/**
 * The answer of a replica that does not hold the write lease: only the active replica writes to
 * ECS, so a standby neither continues nor rolls back a deployment (two replicas answering the same
 * gate differently would race). It names the holder so a person knows where to go.
 */
export async function standbyAnswer(lease: LeasePort, now: Date): Promise<GateAnswer> {
  const holder = await lease.holder?.().catch(() => undefined);
  const active = holder !== undefined && holder.expiresAt.getTime() > now.getTime();
  return {
    ok: false,
    status: 503,
    error: 'Standby',
    message: active
      ? `this controller is a standby: ${holder.id} holds the write lease and answers gates; ask it (or retry once it hands over)`
      : 'this controller is a standby and no controller holds the write lease right now; retry in a few seconds',
    ...(active ? { holder: { id: holder.id, expiresAt: holder.expiresAt.toISOString() } } : {}),
  };
}
export function createGateHandler(deps: GateRequestDeps): GateHandler {
  return async (key, action, by): Promise<GateAnswer> => {
    // First: a standby's own view may lag the holder's, so it does not judge the request either.
    if (deps.lease && !(await deps.lease.holds())) return standbyAnswer(deps.lease, deps.now());
    const target = gateTargetOf(deps.getResource(key));
    if (!target) return { ok: false, status: 404, message: `${key} is not a service this controller runs` };
    try {
      const outcome = await answerGate(deps.clients, target, action);
      deps.updateResource(key, (previous) =>
        withApproval(previous, {
          action,
          by,
          at: deps.now().toISOString(),
          serviceDeploymentArn: outcome.serviceDeploymentArn,
          ...(outcome.stage ? { stage: outcome.stage } : {}),
        }),
      );
      deps.requestSync(`${action} ${key} by ${by}`);
      return {
        ok: true,
        message: describeOutcome(key, outcome),
        serviceDeploymentArn: outcome.serviceDeploymentArn,
        ...(outcome.stage ? { stage: outcome.stage } : {}),
      };
    } catch (error) {
      if (error instanceof GateError) return { ok: false, status: 409, message: error.message };
      return { ok: false, status: 502, message: errorMessage(error) };
    }
  };
}
