// deploymentConfiguration's strategy members (API_DeploymentConfiguration, API_LinearConfiguration,
// API_CanaryConfiguration, API_DeploymentLifecycleHook, API_AdvancedConfiguration): validation as
// ECS documents it, and the effective values with ECS's defaults.
import type { JsonObject } from '../../state.js';
import { invalidParameter } from '../../wire/errors.js';

export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Stages a lifecycle hook may name (DeploymentLifecycleHookStage). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/** "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages." */
const NO_PAUSE = new Set(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);
const MAX_BAKE_MINUTES = 1440;
const DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

export function strategyOf(config: JsonObject | undefined): Strategy {
  const value = config?.strategy;
  return typeof value === 'string' && (STRATEGIES as readonly string[]).includes(value)
    ? (value as Strategy)
    : 'ROLLING';
}

export const isProgressive = (strategy: Strategy) => strategy !== 'ROLLING';

/** A multiple of 0.1 (the percent fields' documented granularity). */
function tenths(value: number): boolean {
  return Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
}

function percentIn(value: unknown, name: string, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || !tenths(value)) {
    throw invalidParameter(
      `${name} must be a multiple of 0.1 between ${min.toFixed(1)} and ${max.toFixed(1)}.`,
    );
  }
}

function minutesIn(value: unknown, name: string, max = MAX_BAKE_MINUTES): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalidParameter(`${name} must be an integer between 0 and ${max}.`);
  }
}

export interface StrategyContext {
  readonly controller: string;
  readonly loadBalancers: readonly JsonObject[];
  readonly serviceConnectConfiguration?: JsonObject;
}

function usesServiceConnect(config: JsonObject | undefined): boolean {
  return config?.enabled === true;
}

function validateHook(hook: JsonObject, index: number): void {
  const at = `lifecycleHooks[${index}]`;
  const targetType = hook.targetType ?? 'AWS_LAMBDA';
  if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE') {
    throw invalidParameter(`${at}.targetType must be one of AWS_LAMBDA, PAUSE.`);
  }
  const stages = hook.lifecycleStages;
  if (!Array.isArray(stages) || stages.length === 0) {
    throw invalidParameter(`${at}.lifecycleStages must be provided for a deployment lifecycle hook.`);
  }
  for (const stage of stages) {
    if (typeof stage !== 'string' || !(HOOK_STAGES as readonly string[]).includes(stage)) {
      throw invalidParameter(`${at}.lifecycleStages: invalid lifecycle stage ${String(stage)}.`);
    }
    if (targetType === 'PAUSE' && NO_PAUSE.has(stage)) {
      throw invalidParameter(
        'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages. These stages are only valid for AWS_LAMBDA hooks.',
      );
    }
  }
  if (targetType === 'AWS_LAMBDA') {
    if (typeof hook.hookTargetArn !== 'string' || hook.hookTargetArn === '') {
      throw invalidParameter(`${at}.hookTargetArn must be provided for an AWS_LAMBDA lifecycle hook.`);
    }
    if (typeof hook.roleArn !== 'string' || hook.roleArn === '') {
      throw invalidParameter(`${at}.roleArn must be provided for an AWS_LAMBDA lifecycle hook.`);
    }
  }
  const timeout = hook.timeoutConfiguration as JsonObject | undefined;
  if (timeout) {
    const minutes = timeout.timeoutInMinutes;
    if (
      minutes !== undefined &&
      (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    ) {
      throw invalidParameter(
        `${at}.timeoutConfiguration.timeoutInMinutes must be an integer between 1 and 1440.`,
      );
    }
    if (timeout.action !== undefined && timeout.action !== 'CONTINUE' && timeout.action !== 'ROLLBACK') {
      throw invalidParameter(`${at}.timeoutConfiguration.action must be one of CONTINUE, ROLLBACK.`);
    }
  }
}

/** Throws InvalidParameterException for a deploymentConfiguration ECS would refuse. */
export function validateStrategy(config: JsonObject, context: StrategyContext): void {
  const raw = config.strategy;
  if (raw !== undefined && (typeof raw !== 'string' || !(STRATEGIES as readonly string[]).includes(raw))) {
    throw invalidParameter(
      `Invalid deployment strategy: ${String(raw)}. Valid values are ${STRATEGIES.join(', ')}.`,
    );
  }
  const strategy = strategyOf(config);
  if (config.linearConfiguration !== undefined && strategy !== 'LINEAR') {
    throw invalidParameter('linearConfiguration is only valid when the deployment strategy is LINEAR.');
  }
  if (config.canaryConfiguration !== undefined && strategy !== 'CANARY') {
    throw invalidParameter('canaryConfiguration is only valid when the deployment strategy is CANARY.');
  }
  minutesIn(config.bakeTimeInMinutes, 'bakeTimeInMinutes');
  const linear = config.linearConfiguration as JsonObject | undefined;
  percentIn(linear?.stepPercent, 'linearConfiguration.stepPercent', 3, 100);
  minutesIn(linear?.stepBakeTimeInMinutes, 'linearConfiguration.stepBakeTimeInMinutes');
  const canary = config.canaryConfiguration as JsonObject | undefined;
  percentIn(canary?.canaryPercent, 'canaryConfiguration.canaryPercent', 0.1, 100);
  minutesIn(canary?.canaryBakeTimeInMinutes, 'canaryConfiguration.canaryBakeTimeInMinutes');
  const hooks = config.lifecycleHooks;
  if (hooks !== undefined) {
    if (!Array.isArray(hooks)) throw invalidParameter('lifecycleHooks must be a list.');
    hooks.forEach((hook, index) => {
      validateHook(hook as JsonObject, index);
    });
  }
  const alarms = config.alarms as JsonObject | undefined;
  if (alarms && (typeof alarms.enable !== 'boolean' || typeof alarms.rollback !== 'boolean')) {
    throw invalidParameter('alarms requires both enable and rollback.');
  }
  if (!isProgressive(strategy)) return;

  if (context.controller !== 'ECS') {
    throw invalidParameter(
      `The ${strategy} deployment strategy is only supported for services that use the ECS deployment controller.`,
    );
  }
  const breaker = config.deploymentCircuitBreaker as JsonObject | undefined;
  if (breaker?.enable === true) {
    throw invalidParameter(
      'The deployment circuit breaker can only be used for services using the rolling update (ROLLING) deployment strategy.',
    );
  }
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined) {
    throw invalidParameter('bakeTimeInMinutes must be provided for the BLUE_GREEN deployment strategy.');
  }
  const advanced = context.loadBalancers.map((lb) => lb.advancedConfiguration as JsonObject | undefined);
  const configured = advanced.filter((a): a is JsonObject => a !== undefined);
  for (const a of configured) {
    for (const member of ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn']) {
      if (typeof a[member] !== 'string' || a[member] === '') {
        throw invalidParameter(
          `loadBalancers.advancedConfiguration.${member} must be provided for the ${strategy} deployment strategy.`,
        );
      }
    }
  }
  if (configured.length === 0 && !usesServiceConnect(context.serviceConnectConfiguration)) {
    throw invalidParameter(
      `The ${strategy} deployment strategy requires a load balancer with advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn) or Service Connect.`,
    );
  }
}

/** The effective step plan parameters with ECS's defaults. */
export function linearOf(config: JsonObject): { stepPercent: number; stepBakeMinutes: number } {
  const linear = (config.linearConfiguration as JsonObject | undefined) ?? {};
  return {
    stepPercent: typeof linear.stepPercent === 'number' ? linear.stepPercent : 10,
    stepBakeMinutes: typeof linear.stepBakeTimeInMinutes === 'number' ? linear.stepBakeTimeInMinutes : 6,
  };
}

export function canaryOf(config: JsonObject): { canaryPercent: number; canaryBakeMinutes: number } {
  const canary = (config.canaryConfiguration as JsonObject | undefined) ?? {};
  return {
    canaryPercent: typeof canary.canaryPercent === 'number' ? canary.canaryPercent : 5,
    canaryBakeMinutes:
      typeof canary.canaryBakeTimeInMinutes === 'number' ? canary.canaryBakeTimeInMinutes : 10,
  };
}

export interface HookConfig {
  readonly targetType: 'AWS_LAMBDA' | 'PAUSE';
  readonly hookTargetArn?: string;
  readonly stages: readonly string[];
  readonly timeoutMinutes: number;
  readonly timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

export function hooksOf(config: JsonObject): HookConfig[] {
  const hooks = (Array.isArray(config.lifecycleHooks) ? config.lifecycleHooks : []) as JsonObject[];
  return hooks.map((hook) => {
    const timeout = (hook.timeoutConfiguration as JsonObject | undefined) ?? {};
    return {
      targetType: hook.targetType === 'PAUSE' ? 'PAUSE' : 'AWS_LAMBDA',
      ...(typeof hook.hookTargetArn === 'string' ? { hookTargetArn: hook.hookTargetArn } : {}),
      stages: (hook.lifecycleStages as string[] | undefined) ?? [],
      timeoutMinutes:
        typeof timeout.timeoutInMinutes === 'number'
          ? timeout.timeoutInMinutes
          : DEFAULT_HOOK_TIMEOUT_MINUTES,
      timeoutAction: timeout.action === 'CONTINUE' ? 'CONTINUE' : 'ROLLBACK',
    };
  });
}
