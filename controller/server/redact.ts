// Masks secret values in everything the HTTP API serves. diff/ marks sensitive fields; the name
// check below is a second line of defence for values diff/ did not recognise.
import type { FieldChange } from '../diff/model.js';
import type { ControllerEvent, ResourceStatus, StatusSnapshot } from '../status/model.js';

export const MASK = '••••••';

const SECRET_NAME =
  /(secret|passw(or)?d|passwd|token|credential|private[_-]?key|api[_-]?key|access[_-]?key)/i;

export function isSensitive(change: FieldChange): boolean {
  return change.sensitive === true || SECRET_NAME.test(change.path);
}

export function maskChange(change: FieldChange): FieldChange {
  if (!isSensitive(change)) return change;
  return {
    ...change,
    sensitive: true,
    ...('desired' in change ? { desired: MASK } : {}),
    ...('live' in change ? { live: MASK } : {}),
  };
}

export function maskResource(resource: ResourceStatus): ResourceStatus {
  return { ...resource, diff: resource.diff.map(maskChange) };
}

export function maskEvent(event: ControllerEvent): ControllerEvent {
  return event.fields ? { ...event, fields: event.fields.map(maskChange) } : event;
}

export function maskSnapshot(snapshot: StatusSnapshot): StatusSnapshot {
  return { ...snapshot, resources: snapshot.resources.map(maskResource) };
}
