// ScalingPolicy health: the scalable target exists and carries every policy the manifest names.
import type { LiveScalableTarget, LiveScalingPolicy } from '../live/model.js';
import { type HealthResult, health, MISSING } from './model.js';

export function scalingPolicyHealth(
  target: LiveScalableTarget | undefined,
  policies: readonly LiveScalingPolicy[] = [],
  expectedPolicyNames: readonly string[] = [],
): HealthResult {
  if (!target) return MISSING;
  const present = new Set(policies.map((policy) => String(policy.PolicyName)));
  const missing = expectedPolicyNames.filter((name) => !present.has(name));
  if (missing.length > 0) {
    return health('Degraded', 'PolicyMissing', `scaling policies missing: ${missing.join(', ')}`);
  }
  const suspended = target.SuspendedState as Record<string, unknown> | undefined;
  const suspendedParts = suspended
    ? Object.entries(suspended)
        .filter(([, value]) => value === true)
        .map(([name]) => name)
    : [];
  const range = `capacity ${String(target.MinCapacity)}..${String(target.MaxCapacity)}`;
  const suffix = suspendedParts.length > 0 ? `, suspended: ${suspendedParts.join(', ')}` : '';
  return health('Healthy', 'Registered', `${range}, ${present.size} policies${suffix}`);
}
