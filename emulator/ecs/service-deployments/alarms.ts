// CloudWatch alarms named in deploymentConfiguration.alarms: their state is set through the admin
// API (no metrics are evaluated); one in ALARM during a deployment fails it, as ECS does.
import type { OpContext } from '../../context.js';
import type { ServiceDeploymentRecord } from '../../state.js';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

export function triggeredAlarms(ctx: OpContext, record: ServiceDeploymentRecord): string[] {
  if (record.alarms.status === 'DISABLED') return [];
  const states = ctx.region.alarmStates ?? {};
  return record.alarms.alarmNames.filter((name) => states[name] === 'ALARM');
}
