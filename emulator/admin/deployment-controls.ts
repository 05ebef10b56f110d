// Admin API for what progressive deployments react to but the emulator does not run: CloudWatch
// alarm states (no metrics are evaluated) and how AWS_LAMBDA lifecycle hooks answer (no functions run).
import { ALARM_STATES } from '../ecs/service-deployments/alarms.js';
import type { Emulator } from '../emulator.js';
import type { JsonObject } from '../state.js';
import { AdminInputError } from './instances.js';

function region(body: JsonObject): string | undefined {
  return typeof body.region === 'string' ? body.region : undefined;
}

/** `{alarmName, state: OK | ALARM | INSUFFICIENT_DATA, region?}` */
export function setAlarmState(emulator: Emulator, body: JsonObject) {
  const name = body.alarmName;
  const state = body.state;
  if (typeof name !== 'string' || name === '')
    throw new AdminInputError('alarmName must be a non-empty string');
  if (typeof state !== 'string' || !(ALARM_STATES as readonly string[]).includes(state)) {
    throw new AdminInputError(`state must be one of ${ALARM_STATES.join(', ')}`);
  }
  return emulator.mutate(region(body), (ctx) => {
    ctx.region.alarmStates ??= {};
    ctx.region.alarmStates[name] = state;
    return { alarmName: name, state };
  });
}

/**
 * `{hookTargetArn?: ARN | "*", result: SUCCEEDED | FAILED, inProgressSeconds?: N, region?}`: the
 * function answers IN_PROGRESS for N seconds, then `result`. Default for every function: SUCCEEDED at once.
 */
export function setHookRule(emulator: Emulator, body: JsonObject) {
  const arn = body.hookTargetArn ?? '*';
  const result = body.result;
  const seconds = body.inProgressSeconds ?? 0;
  if (typeof arn !== 'string' || arn === '')
    throw new AdminInputError('hookTargetArn must be a non-empty string');
  if (result !== 'SUCCEEDED' && result !== 'FAILED')
    throw new AdminInputError('result must be SUCCEEDED or FAILED');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new AdminInputError('inProgressSeconds must be a number >= 0');
  }
  return emulator.mutate(region(body), (ctx) => {
    ctx.region.hookRules ??= {};
    ctx.region.hookRules[arn] = { result, inProgressSeconds: seconds };
    return { hookTargetArn: arn, result, inProgressSeconds: seconds };
  });
}
