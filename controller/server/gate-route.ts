// POST /api/resources/Service/:name/promote | rollback (and, with several targets,
// /api/targets/:target/resources/Service/:name/…): answer a progressive deployment's gate
// (the dashboard's Promote / Roll back buttons, `ecs-gitops promote --server`). Same guards as
// /api/sync: same-origin for browsers, the bearer token when one is configured.
import type { KeyString } from '../types.js';
import { refuseWrite } from './auth.js';
import { readBody, sendJson } from './http-util.js';
import type { RequestContext } from './router.js';

export type GateRequestAction = 'promote' | 'rollback';

export type GateAnswer =
  | {
      readonly ok: true;
      readonly message: string;
      readonly serviceDeploymentArn: string;
      readonly stage?: string;
    }
  | {
      readonly ok: false;
      readonly status: 404 | 409 | 502 | 503;
      readonly message: string;
      /**
       * Default: NotFound / Conflict / Failed / Unavailable by status; `Ambiguous` when several
       * targets have it; `Standby` when this replica does not hold the target's write lease.
       */
      readonly error?: 'Ambiguous' | 'Standby';
      readonly targets?: readonly string[];
      /** With `Standby`: the replica that holds the write lease, as ECS shows it. */
      readonly holder?: { readonly id: string; readonly expiresAt: string };
    };

/**
 * What the controller does for a gate request (app.ts binds it; with several targets,
 * targets/gates.ts routes by `target`, the `<target>` of /api/targets/<target>/resources/…).
 */
export type GateHandler = (
  key: KeyString,
  action: GateRequestAction,
  by: string,
  target?: string,
) => Promise<GateAnswer>;

const ERRORS = { 404: 'NotFound', 409: 'Conflict', 502: 'Failed', 503: 'Unavailable' } as const;

const BODY_LIMIT = 4 * 1024;

export async function handleGate(
  { req, res, params }: RequestContext,
  options: { readonly apiToken?: string; readonly onGate?: GateHandler },
): Promise<void> {
  if (refuseWrite(req, res, options.apiToken)) return;
  const action = params.action;
  if (params.kind !== 'Service' || (action !== 'promote' && action !== 'rollback')) {
    sendJson(res, 404, {
      error: 'NotFound',
      message: 'use POST /api/resources/Service/<name>/promote or /rollback',
    });
    return;
  }
  if (!options.onGate) {
    sendJson(res, 404, { error: 'NotFound', message: 'this server does not answer deployment gates' });
    return;
  }
  const text = (await readBody(req, BODY_LIMIT)).toString('utf8').trim();
  let by: unknown;
  try {
    by = text === '' ? undefined : (JSON.parse(text) as { by?: unknown }).by;
  } catch {
    sendJson(res, 400, { error: 'BadRequest', message: 'body must be empty or JSON like {"by":"alice"}' });
    return;
  }
  // Recorded in the status branch and logs: short and printable.
  const who =
    typeof by === 'string' && by.trim() !== '' ? by.replace(/[^\w .@:/-]/g, '').slice(0, 60) : 'api';
  const key = `Service/${params.name ?? ''}` as KeyString;
  const answer = await options.onGate(key, action, who, ...(params.target ? [params.target] : []));
  if (answer.ok)
    sendJson(res, 200, { ...answer, by: who, ...(params.target ? { target: params.target } : {}) });
  else {
    // A standby's answer is temporary: the holder answers now, this replica after a takeover.
    if (answer.status === 503) res.setHeader('retry-after', '5');
    sendJson(res, answer.status, {
      error: answer.error ?? ERRORS[answer.status],
      message: answer.message,
      ...(answer.targets ? { targets: answer.targets } : {}),
      ...(answer.holder ? { holder: answer.holder } : {}),
    });
  }
}
