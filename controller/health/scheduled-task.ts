// A schedule is Healthy when it exists with the state Git asks for; DISABLED behind Git's back is
// the drift the diff reports, and health says so in words. EventBridge Scheduler reports no last
// run outcome through its API, so health cannot.
import type { LiveSchedule } from '../live/model.js';
import { type HealthResult, health } from './model.js';

export function scheduledTaskHealth(schedule: LiveSchedule | undefined, desiredState: string): HealthResult {
  if (!schedule) return health('Missing', 'NotFound', 'the schedule does not exist');
  const state = schedule.State ?? 'ENABLED';
  const expression = `${schedule.ScheduleExpression ?? '?'} (${schedule.ScheduleExpressionTimezone ?? 'UTC'})`;
  if (state === desiredState) return health('Healthy', state, `${state}: ${expression}`);
  return health(
    'Degraded',
    state,
    `${state} while Git says ${desiredState}: ${expression} does not run as Git asks`,
  );
}
