// GET /api/resources/:kind/:name — one resource with everything its dashboard page shows.
import type { FieldChange } from '../diff/model.js';
import type { EventLog } from '../status/event-log.js';
import type { ControllerEvent, DeploymentStatus, ResourceStatus, StatusSnapshot } from '../status/model.js';
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
  readonly deployments: readonly DeploymentStatus[];
  readonly stoppedReasons: readonly string[];
  readonly events: readonly ControllerEvent[];
}

export const RESOURCE_EVENT_LIMIT = 50;

export function buildResourceDetail(
  key: KeyString,
  snapshot: StatusSnapshot,
  events: EventLog,
  provider?: (key: KeyString) => ResourceDetail | undefined,
): ResourceDetailResponse | undefined {
  const provided = provider?.(key);
  const status = provided?.resource ?? snapshot.resources.find((r) => r.key === key);
  if (!status) return undefined;
  const resource = maskResource(status);
  const recent = provided?.events ?? events.recent({ resource: key, limit: RESOURCE_EVENT_LIMIT });
  return {
    resource,
    diff: resource.diff,
    deployments: resource.deployments ?? [],
    stoppedReasons: resource.stoppedReasons ?? [],
    events: recent.slice(-RESOURCE_EVENT_LIMIT).map(maskEvent),
  };
}
