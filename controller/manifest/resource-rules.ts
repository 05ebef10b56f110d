// Per-document checks for Cluster, Service and ScalingPolicy that a schema cannot express.
import type { Loaded, ProblemSink } from './loaded.js';
import type { CapacityProviderStrategyItem } from './spec-types.js';

function checkStrategy(
  loaded: Loaded,
  pointer: string,
  strategy: readonly CapacityProviderStrategyItem[] | undefined,
  sink: ProblemSink,
): void {
  if (!strategy) return;
  const seen = new Set<string>();
  let withBase = 0;
  strategy.forEach((item, i) => {
    if (seen.has(item.capacityProvider)) {
      sink.add(
        loaded,
        `${pointer}/${i}/capacityProvider`,
        `capacity provider "${item.capacityProvider}" appears twice`,
      );
    }
    seen.add(item.capacityProvider);
    if ((item.base ?? 0) > 0) withBase += 1;
  });
  if (withBase > 1)
    sink.add(loaded, pointer, 'only one capacity provider in a strategy may have a base greater than 0');
  if (strategy.length > 0 && strategy.every((item) => (item.weight ?? 0) === 0)) {
    sink.add(
      loaded,
      pointer,
      'at least one capacity provider in a strategy must have a weight greater than 0',
    );
  }
  const fargate = strategy.some((item) => item.capacityProvider.startsWith('FARGATE'));
  const other = strategy.some((item) => !item.capacityProvider.startsWith('FARGATE'));
  if (fargate && other) {
    sink.add(
      loaded,
      pointer,
      'a strategy cannot mix Fargate capacity providers (FARGATE, FARGATE_SPOT) with Auto Scaling group providers',
    );
  }
}

/** Exactly one kind of provider; Managed Instances providers need their cluster. */
export function checkCapacityProvider(provider: Loaded<'CapacityProvider'>, sink: ProblemSink): void {
  const spec = provider.spec;
  const asg = spec.autoScalingGroupProvider !== undefined;
  const managed = spec.managedInstancesProvider !== undefined;
  if (asg === managed) {
    sink.add(
      provider,
      '/spec',
      'give exactly one of autoScalingGroupProvider or managedInstancesProvider',
      'key',
    );
  }
  if (managed && spec.cluster === undefined) {
    sink.add(
      provider,
      '/spec',
      'a Managed Instances provider needs spec.cluster (the cluster it belongs to)',
      'key',
    );
  }
  if (asg && spec.cluster !== undefined) {
    sink.add(provider, '/spec/cluster', 'spec.cluster is only for Managed Instances providers', 'key');
  }
  const scaling = spec.autoScalingGroupProvider?.managedScaling;
  if (
    scaling?.minimumScalingStepSize !== undefined &&
    scaling.maximumScalingStepSize !== undefined &&
    scaling.minimumScalingStepSize > scaling.maximumScalingStepSize
  ) {
    sink.add(
      provider,
      '/spec/autoScalingGroupProvider/managedScaling/minimumScalingStepSize',
      'must not be greater than maximumScalingStepSize',
    );
  }
  if (
    spec.autoScalingGroupProvider?.managedTerminationProtection === 'ENABLED' &&
    scaling?.status !== 'ENABLED'
  ) {
    sink.add(
      provider,
      '/spec/autoScalingGroupProvider/managedTerminationProtection',
      'managed termination protection needs managedScaling.status: ENABLED (ECS rejects it otherwise)',
    );
  }
}

export function checkCluster(cluster: Loaded<'Cluster'>, sink: ProblemSink): void {
  const spec = cluster.spec;
  const providers = new Set(spec.capacityProviders ?? []);
  checkStrategy(cluster, '/spec/defaultCapacityProviderStrategy', spec.defaultCapacityProviderStrategy, sink);
  spec.defaultCapacityProviderStrategy?.forEach((item, i) => {
    if (!providers.has(item.capacityProvider)) {
      sink.add(
        cluster,
        `/spec/defaultCapacityProviderStrategy/${i}/capacityProvider`,
        `capacity provider "${item.capacityProvider}" is not in spec.capacityProviders; ECS only accepts providers associated with the cluster`,
      );
    }
  });
  const settings = new Set<string>();
  spec.settings?.forEach((setting, i) => {
    if (setting.name && settings.has(setting.name))
      sink.add(cluster, `/spec/settings/${i}/name`, `setting "${setting.name}" is given twice`);
    if (setting.name) settings.add(setting.name);
  });
}

export function checkService(service: Loaded<'Service'>, sink: ProblemSink): void {
  const spec = service.spec;
  if (spec.launchType && spec.capacityProviderStrategy?.length) {
    sink.add(
      service,
      '/spec/capacityProviderStrategy',
      'give launchType or capacityProviderStrategy, not both (ECS rejects the combination)',
    );
  }
  checkStrategy(service, '/spec/capacityProviderStrategy', spec.capacityProviderStrategy, sink);
  if (spec.schedulingStrategy === 'DAEMON') {
    if (spec.desiredCount !== undefined)
      sink.add(
        service,
        '/spec/desiredCount',
        'a DAEMON service runs one task per instance; remove desiredCount',
      );
    if (
      spec.launchType === 'FARGATE' ||
      spec.capacityProviderStrategy?.some((item) => item.capacityProvider.startsWith('FARGATE'))
    ) {
      sink.add(
        service,
        '/spec/schedulingStrategy',
        'Fargate does not support the DAEMON scheduling strategy',
      );
    }
    if (spec.placementStrategy?.length)
      sink.add(service, '/spec/placementStrategy', 'a DAEMON service cannot have a placement strategy');
  }
  const deployment = spec.deploymentConfiguration;
  if (
    deployment?.maximumPercent !== undefined &&
    deployment.minimumHealthyPercent !== undefined &&
    deployment.maximumPercent < deployment.minimumHealthyPercent
  ) {
    sink.add(
      service,
      '/spec/deploymentConfiguration/maximumPercent',
      `maximumPercent (${deployment.maximumPercent}) must be >= minimumHealthyPercent (${deployment.minimumHealthyPercent})`,
    );
  }
  spec.loadBalancers?.forEach((lb, i) => {
    if (!lb.targetGroupArn && !lb.loadBalancerName) {
      sink.add(
        service,
        `/spec/loadBalancers/${i}`,
        'give targetGroupArn (ALB/NLB) or loadBalancerName (Classic Load Balancer)',
      );
    }
    if (lb.containerName === undefined || lb.containerPort === undefined) {
      sink.add(service, `/spec/loadBalancers/${i}`, 'a load balancer needs containerName and containerPort');
    }
  });
  const awsvpc = spec.networkConfiguration?.awsvpcConfiguration;
  if (awsvpc && awsvpc.subnets.length === 0) {
    sink.add(
      service,
      '/spec/networkConfiguration/awsvpcConfiguration/subnets',
      'must list at least one subnet',
    );
  }
}

const SCHEDULE =
  /^(at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/;

export function checkScalingPolicy(policy: Loaded<'ScalingPolicy'>, sink: ProblemSink): void {
  const spec = policy.spec;
  if (spec.minCapacity > spec.maxCapacity) {
    sink.add(
      policy,
      '/spec/minCapacity',
      `minCapacity (${spec.minCapacity}) must be <= maxCapacity (${spec.maxCapacity})`,
    );
  }
  if (!spec.targetTracking?.length && !spec.stepScaling?.length && !spec.scheduledActions?.length) {
    sink.warn(
      policy,
      '/spec',
      'no targetTracking, stepScaling or scheduledActions: capacity stays between minCapacity and maxCapacity but nothing scales it',
    );
  }
  const names = new Map<string, string>();
  const claim = (name: string, pointer: string) => {
    const first = names.get(name);
    if (first) sink.add(policy, pointer, `policy name "${name}" is already used by ${first}`);
    else names.set(name, pointer.slice('/spec/'.length).replace(/\/(\d+)\/policyName$/, '[$1]'));
  };
  spec.targetTracking?.forEach((tt, i) => {
    const at = `/spec/targetTracking/${i}`;
    claim(tt.policyName, `${at}/policyName`);
    const given = [
      tt.predefinedMetricType,
      tt.predefinedMetricSpecification,
      tt.customizedMetricSpecification,
    ].filter((value) => value !== undefined).length;
    if (given !== 1) {
      sink.add(
        policy,
        at,
        `give exactly one of predefinedMetricType, predefinedMetricSpecification or customizedMetricSpecification (got ${given})`,
      );
    }
    const predefined = tt.predefinedMetricSpecification?.predefinedMetricType;
    // ECS services scale on their own CPU/memory or on the requests their ALB target group receives.
    if (predefined === 'ALBRequestCountPerTarget' && !tt.predefinedMetricSpecification?.resourceLabel) {
      sink.add(
        policy,
        `${at}/predefinedMetricSpecification`,
        'ALBRequestCountPerTarget needs resourceLabel (app/<load-balancer>/<id>/targetgroup/<target-group>/<id>)',
      );
    } else if (
      predefined &&
      !predefined.startsWith('ECSService') &&
      predefined !== 'ALBRequestCountPerTarget'
    ) {
      sink.add(
        policy,
        `${at}/predefinedMetricSpecification/predefinedMetricType`,
        `"${predefined}" is not an ECS service metric; use ECSServiceAverageCPUUtilization or ECSServiceAverageMemoryUtilization (or ALBRequestCountPerTarget)`,
      );
    }
  });
  spec.stepScaling?.forEach((step, i) => {
    claim(step.policyName, `/spec/stepScaling/${i}/policyName`);
    const adjustments = step.stepAdjustments ?? [];
    const unbounded = adjustments.filter(
      (adjustment) =>
        adjustment.metricIntervalLowerBound === undefined ||
        adjustment.metricIntervalUpperBound === undefined,
    );
    if (adjustments.length > 0 && unbounded.length === 0) {
      sink.add(
        policy,
        `/spec/stepScaling/${i}/stepAdjustments`,
        'one step adjustment must be open-ended (no lower or no upper bound)',
      );
    }
  });
  const actions = new Set<string>();
  spec.scheduledActions?.forEach((action, i) => {
    const at = `/spec/scheduledActions/${i}`;
    if (actions.has(action.scheduledActionName))
      sink.add(
        policy,
        `${at}/scheduledActionName`,
        `scheduled action "${action.scheduledActionName}" is defined twice`,
      );
    actions.add(action.scheduledActionName);
    if (action.schedule && !SCHEDULE.test(action.schedule)) {
      sink.add(
        policy,
        `${at}/schedule`,
        'must be at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)',
      );
    }
    const target = action.scalableTargetAction;
    if (target && target.minCapacity === undefined && target.maxCapacity === undefined) {
      sink.add(policy, `${at}/scalableTargetAction`, 'set minCapacity, maxCapacity or both');
    }
    if (
      target?.minCapacity !== undefined &&
      target.maxCapacity !== undefined &&
      target.minCapacity > target.maxCapacity
    ) {
      sink.add(
        policy,
        `${at}/scalableTargetAction/minCapacity`,
        `minCapacity (${target.minCapacity}) must be <= maxCapacity (${target.maxCapacity})`,
      );
    }
    if (action.startTime && action.endTime && Date.parse(action.startTime) >= Date.parse(action.endTime)) {
      sink.add(policy, `${at}/endTime`, 'endTime must be after startTime');
    }
  });
}
