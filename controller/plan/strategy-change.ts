// What a change of a Service's deploymentConfiguration.strategy means, in words, for `diff` and
// `apply --dry-run`: how ECS will deploy the service from then on, and what the new strategy needs
// that the manifest lacks (ECS refuses the update otherwise, after the plan looked fine). Pure:
// from the diff's field change and the desired spec (AWS: "Update the Amazon ECS deployment
// strategy", API_DeploymentConfiguration, API_CanaryConfiguration, API_LinearConfiguration).
import type { ResourceDiff } from '../diff/model.js';

type Plain = Record<string, unknown>;

const STRATEGY_PATH = 'deploymentConfiguration.strategy';

function asPlain(value: unknown): Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Plain) : {};
}

function minutes(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** How ECS deploys each new revision under a strategy, from the manifest's own numbers. */
function howItDeploys(strategy: string, config: Plain): string {
  const bake = minutes(config.bakeTimeInMinutes, 0);
  const baking = bake > 0 ? `keeps both for ${bake} min (bakeTimeInMinutes)` : 'keeps both for no bake time';
  switch (strategy) {
    case 'BLUE_GREEN':
      return `each new revision (green) starts at full size next to the running one (blue), gets test traffic, then all production traffic at once; ECS ${baking}, then removes blue`;
    case 'CANARY': {
      const canary = asPlain(config.canaryConfiguration);
      const percent = typeof canary.canaryPercent === 'number' ? canary.canaryPercent : 5;
      const stepBake = minutes(canary.canaryBakeTimeInMinutes, 10);
      return `each new revision starts at full size next to the running one and gets ${percent}% of production traffic for ${stepBake} min (canaryConfiguration), then the rest; ECS ${baking}, then removes the old one`;
    }
    case 'LINEAR': {
      const linear = asPlain(config.linearConfiguration);
      const percent = typeof linear.stepPercent === 'number' ? linear.stepPercent : 10;
      const stepBake = minutes(linear.stepBakeTimeInMinutes, 6);
      return `each new revision starts at full size next to the running one and takes production traffic ${percent}% at a time, ${stepBake} min per step (linearConfiguration); ECS ${baking}, then removes the old one`;
    }
    default: {
      const max = typeof config.maximumPercent === 'number' ? config.maximumPercent : 200;
      const min = typeof config.minimumHealthyPercent === 'number' ? config.minimumHealthyPercent : 100;
      return `ECS replaces tasks in place (maximumPercent ${max}, minimumHealthyPercent ${min}): no test traffic, no bake, and no instant rollback — a rollback is a new deployment of the previous revision`;
    }
  }
}

/** What the strategy needs that the desired spec lacks: each one ECS would refuse at apply time. */
function refusals(strategy: string, spec: Plain, config: Plain): string[] {
  const out: string[] = [];
  const refuse = (what: string) => out.push(`ECS will refuse the update: ${what}`);
  if (strategy !== 'LINEAR' && config.linearConfiguration !== undefined)
    refuse('linearConfiguration is only valid with strategy LINEAR');
  if (strategy !== 'CANARY' && config.canaryConfiguration !== undefined)
    refuse('canaryConfiguration is only valid with strategy CANARY');
  if (strategy === 'ROLLING') return out;
  const controller = asPlain(spec.deploymentController).type;
  if (controller !== undefined && controller !== 'ECS')
    refuse(`${strategy} needs the ECS deployment controller (this service uses ${String(controller)})`);
  if (asPlain(config.deploymentCircuitBreaker).enable === true)
    refuse('the deployment circuit breaker is for ROLLING only; use alarms {enable: true, rollback: true}');
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined)
    refuse('BLUE_GREEN needs bakeTimeInMinutes');
  const loadBalancers = Array.isArray(spec.loadBalancers) ? spec.loadBalancers.map(asPlain) : [];
  const advanced = loadBalancers.filter((lb) => lb.advancedConfiguration !== undefined);
  const serviceConnect = asPlain(spec.serviceConnectConfiguration).enabled === true;
  if (advanced.length === 0 && !serviceConnect) {
    refuse(
      `${strategy} needs loadBalancers[].advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn; testListenerRule optional) or Service Connect`,
    );
  }
  for (const lb of advanced) {
    const missing = ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn'].filter(
      (field) => typeof asPlain(lb.advancedConfiguration)[field] !== 'string',
    );
    if (missing.length > 0)
      refuse(
        `loadBalancers[${String(lb.containerName ?? '?')}].advancedConfiguration lacks ${missing.join(', ')}`,
      );
  }
  return out;
}

/** What changes for the people running the service (not errors). */
function consequences(strategy: string, config: Plain): string[] {
  if (strategy === 'ROLLING') {
    const hooks = Array.isArray(config.lifecycleHooks) && config.lifecycleHooks.length > 0;
    return [
      ...(hooks
        ? ['lifecycleHooks (and approval / analysis gates) run only for BLUE_GREEN, LINEAR and CANARY']
        : []),
      ...(asPlain(config.deploymentCircuitBreaker).enable === true
        ? []
        : [
            'nothing rolls a failed deployment back by itself: consider deploymentCircuitBreaker {enable: true, rollback: true}',
          ]),
      'ECS refuses to change the strategy while a deployment is in progress: let it finish first',
    ];
  }
  return [
    'the service runs twice its tasks during each deployment (the new revision starts at full size)',
    'ecs-gitops then follows each deployment on its service deployment (stage, traffic): Healthy only on SUCCESSFUL',
  ];
}

/** `# strategy: …` lines for a Service entry whose strategy changes; none otherwise. */
export function strategyChangeNotes(diff: ResourceDiff): string[] {
  if (diff.desired?.kind !== 'Service' || diff.action === 'create') return [];
  const change = diff.changes.find((c) => c.path === STRATEGY_PATH);
  if (!change) return [];
  const from = typeof change.live === 'string' ? change.live : 'ROLLING';
  const to = typeof change.desired === 'string' ? change.desired : 'ROLLING';
  if (from === to) return [];
  const spec = asPlain(diff.desired.spec);
  const config = asPlain(spec.deploymentConfiguration);
  return [
    `strategy ${from} → ${to}: from the next deployment on, ${howItDeploys(to, config)}`,
    ...consequences(to, config),
    ...refusals(to, spec, config),
  ];
}
