// The controller's side of POST /api/resources/Service/:name/promote | rollback: find the service,
// answer its gate, record who answered in its status (the status branch keeps it), look again.
import type { AwsClients } from '../aws/clients.js';
import { errorMessage } from '../errors.js';
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
}

export function createGateHandler(deps: GateRequestDeps): GateHandler {
  return async (key, action, by): Promise<GateAnswer> => {
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
