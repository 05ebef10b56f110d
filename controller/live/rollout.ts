// Following rollouts after apply: poll DescribeServices (≤ 10 per call, per cluster) until every
// service is Healthy or Degraded, or time runs out. For failing ones, read the stopped tasks
// (ListTasks desiredStatus=STOPPED + DescribeTasks) to say why. Reads only; health/ judges.
import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTasksCommand,
  type DescribeTasksCommandOutput,
  ListTasksCommand,
  type ListTasksCommandOutput,
  type Task,
} from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { toAwsError } from '../aws/clients.js';
import { type Clock, systemClock } from '../clock.js';
import { serviceHealth } from '../health/service.js';
import type { HealthState } from '../types.js';
import { plain } from './batch.js';
import { type LiveService, serviceDeployments } from './model.js';
import {
  currentDeploymentArn,
  readServiceDeployments,
  ServiceDeploymentCache,
} from './service-deployments.js';

export interface RolloutTarget {
  readonly cluster: string;
  readonly service: string;
  /** The deployment apply created; absent (or undefined) to judge the service as it is. */
  readonly deploymentId?: string | undefined;
}

export interface RolloutResult extends RolloutTarget {
  readonly state: HealthState;
  readonly reason: string;
  readonly message: string;
  /** Stopped tasks' reasons, newest first, those of the followed deployment before others. */
  readonly stoppedReasons: readonly string[];
  /** The deployment we created was rolled back by the circuit breaker (or replaced). */
  readonly rolledBack: boolean;
  readonly timedOut: boolean;
  /** The last DescribeServices `service` seen. */
  readonly live?: LiveService;
}

export interface FollowOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
  /** Called whenever a service's state or message changes. */
  readonly onUpdate?: (result: RolloutResult) => void;
  /** Waits between polls; tests pass one that advances the emulator's manual clock instead. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Elapsed time and "now" for a service deployment's bake time; tests pass the emulator's. */
  readonly clock?: Clock;
}

const DESCRIBE_BATCH = 10;

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

function label(target: RolloutTarget): string {
  return `${target.cluster}/${target.service}`;
}

async function describe(
  clients: AwsClients,
  cluster: string,
  names: readonly string[],
  signal?: AbortSignal,
) {
  const found = new Map<string, LiveService>();
  for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
    const batch = names.slice(i, i + DESCRIBE_BATCH);
    try {
      const out: DescribeServicesCommandOutput = await clients.ecs.send(
        new DescribeServicesCommand({ cluster, services: [...batch] }),
        signal ? { abortSignal: signal } : {},
      );
      for (const service of out.services ?? []) {
        if (service.serviceName) found.set(service.serviceName, plain(service));
      }
    } catch (error) {
      throw toAwsError('DescribeServices', error);
    }
  }
  return found;
}

/** Stopped tasks' reasons for a service, newest first, the followed deployment's first. */
export async function readStoppedReasons(
  clients: AwsClients,
  cluster: string,
  serviceName: string,
  deploymentId?: string,
): Promise<string[]> {
  let listed: ListTasksCommandOutput;
  try {
    listed = await clients.ecs.send(
      new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: 100 }),
    );
  } catch (error) {
    throw toAwsError('ListTasks', error);
  }
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return [];
  let described: DescribeTasksCommandOutput;
  try {
    described = await clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }));
  } catch (error) {
    throw toAwsError('DescribeTasks', error);
  }
  const time = (task: Task) => new Date(task.stoppedAt ?? task.stoppingAt ?? task.createdAt ?? 0).getTime();
  const ours = (task: Task) => (deploymentId !== undefined && task.startedBy === deploymentId ? 0 : 1);
  const reasons: string[] = [];
  for (const task of [...(described.tasks ?? [])].sort((a, b) => ours(a) - ours(b) || time(b) - time(a))) {
    const container = task.containers?.find((c) => c.reason)?.reason;
    const reason = [task.stoppedReason, container].filter(Boolean).join(': ');
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  return reasons;
}

function needsStoppedReasons(service: LiveService | undefined, state: HealthState): boolean {
  if (!service) return false;
  if (state === 'Degraded') return true;
  return serviceDeployments(service).some((d) => d.failedTasks > 0);
}

/** Polls until every target is Healthy, Degraded or Missing, or until `timeoutMs`. */
export async function followRollouts(
  clients: AwsClients,
  targets: readonly RolloutTarget[],
  options: FollowOptions,
): Promise<RolloutResult[]> {
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms, options.signal));
  const results = new Map<string, RolloutResult>();
  const stoppedCache = new Map<string, { failed: number; reasons: string[] }>();
  const deploymentCache = new ServiceDeploymentCache();
  const clock = options.clock ?? systemClock;
  const startedAt = clock.monotonicMs();
  let waited = 0;

  const open = () => targets.filter((t) => !isFinal(results.get(label(t))));
  while (true) {
    const pending = open();
    const byCluster = new Map<string, RolloutTarget[]>();
    for (const target of pending)
      byCluster.set(target.cluster, [...(byCluster.get(target.cluster) ?? []), target]);
    for (const [cluster, group] of byCluster) {
      const live = await describe(
        clients,
        cluster,
        [...new Set(group.map((t) => t.service))],
        options.signal,
      );
      // BLUE_GREEN / LINEAR / CANARY: the service deployment decides (a rollback is never "stable").
      const deployments = await readServiceDeployments(
        clients,
        live.values(),
        deploymentCache,
        options.signal,
      );
      for (const target of group) {
        const service = live.get(target.service);
        const arn = currentDeploymentArn(service);
        const serviceDeployment = arn ? deployments.get(arn) : undefined;
        const healthOptions = {
          ...(target.deploymentId ? { expectedDeploymentId: target.deploymentId } : {}),
          ...(serviceDeployment ? { serviceDeployment, now: clock.now() } : {}),
        };
        let health = serviceHealth(service, healthOptions);
        let stoppedReasons: string[] = [];
        if (needsStoppedReasons(service, health.state)) {
          const failed = failedTaskCount(service);
          const cached = stoppedCache.get(label(target));
          if (!cached || cached.failed !== failed || health.state === 'Degraded') {
            const reasons = await readStoppedReasons(clients, cluster, target.service, target.deploymentId);
            stoppedCache.set(label(target), { failed, reasons });
          }
          stoppedReasons = stoppedCache.get(label(target))?.reasons ?? [];
          health = serviceHealth(service, { ...healthOptions, stoppedReasons });
        }
        const result: RolloutResult = {
          ...target,
          state: health.state,
          reason: health.reason,
          message: health.message,
          stoppedReasons,
          rolledBack: health.reason === 'RolledBack' || health.reason === 'DeploymentReplaced',
          timedOut: false,
          ...(service ? { live: service } : {}),
        };
        const previous = results.get(label(target));
        results.set(label(target), result);
        if (!previous || previous.state !== result.state || previous.message !== result.message) {
          options.onUpdate?.(result);
        }
      }
    }
    if (open().length === 0 || options.signal?.aborted) break;
    const elapsed = Math.max(waited, clock.monotonicMs() - startedAt);
    if (elapsed >= options.timeoutMs) {
      for (const target of open()) {
        const last = results.get(label(target));
        if (!last) continue;
        const timedOut: RolloutResult = {
          ...last,
          timedOut: true,
          message: `${last.message} (still ${last.state} after ${Math.round(options.timeoutMs / 1000)} s)`,
        };
        results.set(label(target), timedOut);
        options.onUpdate?.(timedOut);
      }
      break;
    }
    await sleep(options.pollMs);
    waited += options.pollMs;
  }
  return targets.map((t) => results.get(label(t)) as RolloutResult);
}

function isFinal(result: RolloutResult | undefined): boolean {
  return (
    result !== undefined &&
    (result.state === 'Healthy' || result.state === 'Degraded' || result.state === 'Missing')
  );
}

function failedTaskCount(service: LiveService | undefined): number {
  return serviceDeployments(service).reduce((sum, d) => sum + d.failedTasks, 0);
}
