// Kubernetes-style conditions: one per type, lastTransitionTime moves only when status flips,
// so "Ready=False since 10:02" stays true across passes that keep failing the same way.
import type { Condition, ConditionStatus, ConditionType } from '../types.js';

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

function isoTime(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

/** Returns a new list with `next` set; the previous lastTransitionTime is kept when the status is unchanged. */
export function setCondition(
  conditions: readonly Condition[],
  next: ConditionInput,
  now: Date | string = new Date(),
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status ? previous.lastTransitionTime : isoTime(now);
  const updated: Condition = { ...next, lastTransitionTime };
  return previous ? conditions.map((c) => (c.type === next.type ? updated : c)) : [...conditions, updated];
}

export function getCondition(conditions: readonly Condition[], type: ConditionType): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[], type: ConditionType): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

export function removeCondition(conditions: readonly Condition[], type: ConditionType): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

/** A single condition built from scratch (no history to preserve). */
export function newCondition(
  type: ConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date | string = new Date(),
): Condition {
  return { type, status, reason, message, lastTransitionTime: isoTime(now) };
}
