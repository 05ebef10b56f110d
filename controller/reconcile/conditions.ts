// Condition bookkeeping (Kubernetes style): lastTransitionTime moves only when status moves.
import type { Condition, ConditionStatus, ConditionType } from '../types.js';

export function setCondition(
  conditions: readonly Condition[],
  next: { type: ConditionType; status: ConditionStatus; reason: string; message: string },
  now: string,
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  const updated: Condition = { ...next, lastTransitionTime };
  return [...conditions.filter((c) => c.type !== next.type), updated].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
}

export function conditionStatus(
  conditions: readonly Condition[],
  type: ConditionType,
): ConditionStatus | undefined {
  return conditions.find((c) => c.type === type)?.status;
}
