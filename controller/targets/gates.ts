// Gate requests with several targets (controller/targets): POST
// /api/targets/<target>/resources/Service/<name>/promote | rollback goes to that target's controller,
// which answers in its own account and region and records who answered in its own status section.
// The unqualified route goes to the one target that has the service; when several have it, it
// answers 409 Ambiguous naming them — a gate is never answered in a target that was not meant.
import type { GateAnswer, GateHandler } from '../server/gate-route.js';
import type { KeyString } from '../types.js';

export interface GateTargetApp {
  readonly onGate: GateHandler;
  readonly has: (key: KeyString) => boolean;
}

export function targetsGateHandler(apps: ReadonlyMap<string, GateTargetApp>): GateHandler {
  return async (key, action, by, target): Promise<GateAnswer> => {
    if (target !== undefined) {
      const app = apps.get(target);
      if (!app) {
        return {
          ok: false,
          status: 404,
          message: `no target ${target} (targets: ${[...apps.keys()].join(', ')})`,
        };
      }
      return app.onGate(key, action, by);
    }
    const having = [...apps].filter(([, app]) => app.has(key));
    const [only] = having;
    if (!only) return { ok: false, status: 404, message: `${key} is not a service any target runs` };
    if (having.length > 1) {
      const targets = having.map(([name]) => name);
      return {
        ok: false,
        status: 409,
        error: 'Ambiguous',
        message: `${key} exists in targets ${targets.join(', ')}: POST /api/targets/<target>/resources/${key}/${action}`,
        targets,
      };
    }
    return only[1].onGate(key, action, by);
  };
}
