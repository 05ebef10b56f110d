// Shared presentation of an alert: secrets masked, values shortened, one-line summaries.

import type { FieldChange } from '../diff/model.js';
import type { ControllerEvent } from '../status/model.js';
import { shortRevision } from '../types.js';

export const MASK = '***';
const MAX_VALUE = 200;

/** FieldChange.sensitive values never leave the controller. */
export function maskFields(fields: readonly FieldChange[] | undefined): FieldChange[] | undefined {
  if (!fields) return undefined;
  return fields.map((field) => {
    if (!field.sensitive) return field;
    const { desired, live, ...rest } = field;
    return {
      ...rest,
      ...(desired !== undefined ? { desired: MASK } : {}),
      ...(live !== undefined ? { live: MASK } : {}),
    };
  });
}

export function maskEvent(event: ControllerEvent): ControllerEvent {
  const fields = maskFields(event.fields);
  return fields ? { ...event, fields } : event;
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** `spec.desiredCount: 2 → 5` (desired → live). */
export function formatField(field: FieldChange): string {
  if (field.op === 'add') return `${field.path}: ${formatValue(field.desired)} (missing live)`;
  if (field.op === 'remove') return `${field.path}: (not in Git) live ${formatValue(field.live)}`;
  return `${field.path}: desired ${formatValue(field.desired)}, live ${formatValue(field.live)}`;
}

/** Who sends the event: the instance, and the target when the controller runs several (`ops/prod-eu`). */
export function origin(event: ControllerEvent): string {
  return event.target ? `${event.instance}/${event.target}` : event.instance;
}

/** `[prod] DriftDetected Service/web: desiredCount changed outside Git` */
export function headline(event: ControllerEvent): string {
  const subject = event.resource ?? (event.revision ? `revision ${shortRevision(event.revision)}` : '');
  return `[${origin(event)}] ${event.type}${subject ? ` ${subject}` : ''}: ${event.message}`;
}
