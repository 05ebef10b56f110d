// GET /api/resources/:kind/:name (and /api/targets/:target/resources/:kind/:name with several
// targets) — one resource with everything its dashboard page shows.

import type { FieldChange } from '../diff/model.js';
import type { ServiceDeployment } from '../live/model.js';
import type { EventLog } from '../status/event-log.js';
import type { ControllerEvent, ResourceStatus, StatusSnapshot } from '../status/model.js';
import type { KeyString } from '../types.js';
import { maskEvent, maskResource } from './redact.js';

/** What a `resourceDetail` provider may return; anything absent is filled from status and events. */
export interface ResourceDetail {
  readonly resource: ResourceStatus;
  /** Recent events of this resource, oldest first. Default: the EventLog's. */
  readonly events?: readonly ControllerEvent[];
}

/** The JSON body of the resource route. Secrets are masked. */
export interface ResourceDetailResponse {
  readonly resource: ResourceStatus;
  readonly diff: readonly FieldChange[];
  readonly deployments: readonly ServiceDeployment[];
  readonly stoppedReasons: readonly string[];
  readonly events: readonly ControllerEvent[];
}

export const RESOURCE_EVENT_LIMIT = 50;

export function buildResourceDetail(
  key: KeyString,
  snapshot: StatusSnapshot,
  events: EventLog,
  provider?: (key: KeyString) => ResourceDetail | undefined,
  /** One target of several: the resource and events of that target only. */
  target?: string,
): ResourceDetailResponse | undefined {
  const provided = target === undefined ? provider?.(key) : undefined;
  const status =
    provided?.resource ??
    snapshot.resources.find((r) => r.key === key && (target === undefined || r.target === target));
  if (!status) return undefined;
  const resource = maskResource(status);
  const recent =
    provided?.events ??
    events
      .recent({
        resource: key,
        limit: target === undefined ? RESOURCE_EVENT_LIMIT : RESOURCE_EVENT_LIMIT * 4,
      })
      .filter((e) => target === undefined || e.target === target);
  return {
    resource,
    diff: resource.diff,
    deployments: resource.deployments ?? [],
    stoppedReasons: resource.stoppedReasons ?? [],
    events: recent.slice(-RESOURCE_EVENT_LIMIT).map(maskEvent),
  };
}
