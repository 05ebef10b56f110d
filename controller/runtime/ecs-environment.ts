// Where the controller runs: inside an ECS task (Fargate or EC2) or anywhere else. Reads the task
// metadata endpoint v4 (`${ECS_CONTAINER_METADATA_URI_V4}/task`) that the ECS agent injects into every
// container, and derives region and account from it. Plain data, never throws: a controller outside
// ECS (a laptop, CI, the emulator) simply gets `inEcs: false`.
import { hostname } from 'node:os';

export interface EcsEnvironment {
  /** True when the metadata endpoint answered with a task. */
  readonly inEcs: boolean;
  /** AWS_REGION / AWS_DEFAULT_REGION, else the task ARN's region, else the availability zone's. */
  readonly region?: string;
  /** From the task ARN (the metadata endpoint has no account field). */
  readonly accountId?: string;
  /** As the metadata reports it: an ARN on Fargate, sometimes a bare name on EC2. */
  readonly cluster?: string;
  readonly clusterName?: string;
  readonly taskArn?: string;
  readonly taskId?: string;
  /** `family:revision` of the task definition the controller itself runs. */
  readonly taskDefinition?: string;
  readonly availabilityZone?: string;
  /** FARGATE or EC2 (absent on older agents). */
  readonly launchType?: string;
  /** Set when the endpoint variable exists but could not be read (timeout, bad answer). */
  readonly problem?: string;
}

export interface DetectOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** The agent answers locally within milliseconds; do not hold up start-up when it does not. */
  readonly timeoutMs?: number;
}

export interface TaskArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Only in the long ARN format (`task/<cluster>/<id>`), the default since 2018. */
  readonly clusterName?: string;
  readonly taskId: string;
}

const TASK_ARN = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):task\/(?:([^/]+)\/)?([^/]+)$/;

/** `arn:aws:ecs:eu-west-1:123456789012:task/prod/0123abcd` → its parts; undefined when not a task ARN. */
export function parseTaskArn(arn: string): TaskArnParts | undefined {
  const match = TASK_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = 'aws', region = '', accountId = '', clusterName, taskId = ''] = match;
  return { partition, region, accountId, ...(clusterName ? { clusterName } : {}), taskId };
}

function clusterNameOf(cluster: string): string {
  const slash = cluster.lastIndexOf('/');
  return cluster.startsWith('arn:') && slash >= 0 ? cluster.slice(slash + 1) : cluster;
}

function regionFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/** `eu-west-1b` → `eu-west-1` (also `us-east-1-bos-1a` local zones → `us-east-1`). */
function regionFromZone(zone: string): string | undefined {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)/.exec(zone);
  return match?.[1];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Turns the metadata endpoint's task document into an EcsEnvironment. Exported for tests of odd answers. */
export function environmentFromTaskMetadata(task: unknown, env: NodeJS.ProcessEnv = {}): EcsEnvironment {
  const doc = (typeof task === 'object' && task !== null ? task : {}) as Record<string, unknown>;
  const taskArn = text(doc.TaskARN);
  const arn = taskArn ? parseTaskArn(taskArn) : undefined;
  const cluster = text(doc.Cluster);
  const zone = text(doc.AvailabilityZone);
  const family = text(doc.Family);
  const revision = text(doc.Revision);
  const launchType = text(doc.LaunchType);
  const region = regionFromEnv(env) ?? arn?.region ?? (zone ? regionFromZone(zone) : undefined);
  const clusterName = cluster ? clusterNameOf(cluster) : arn?.clusterName;
  return {
    inEcs: taskArn !== undefined,
    ...(region ? { region } : {}),
    ...(arn ? { accountId: arn.accountId, taskId: arn.taskId } : {}),
    ...(cluster ? { cluster } : {}),
    ...(clusterName ? { clusterName } : {}),
    ...(taskArn ? { taskArn } : {}),
    ...(family ? { taskDefinition: revision ? `${family}:${revision}` : family } : {}),
    ...(zone ? { availabilityZone: zone } : {}),
    ...(launchType ? { launchType } : {}),
    ...(taskArn ? {} : { problem: 'task metadata has no TaskARN' }),
  };
}

/**
 * Detects the ECS task environment. Outside ECS (no ECS_CONTAINER_METADATA_URI_V4) it returns at once
 * with the region from the environment; inside, one GET with a short timeout.
 */
export async function detectEcsEnvironment(options: DetectOptions = {}): Promise<EcsEnvironment> {
  const env = options.env ?? process.env;
  const region = regionFromEnv(env);
  const outside: EcsEnvironment = { inEcs: false, ...(region ? { region } : {}) };
  const base = env.ECS_CONTAINER_METADATA_URI_V4;
  if (!base) return outside;
  const url = `${base.replace(/\/+$/, '')}/task`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2000) });
    if (!response.ok) return { ...outside, problem: `${url} answered HTTP ${response.status}` };
    const body: unknown = await response.json();
    return environmentFromTaskMetadata(body, env);
  } catch (error) {
    const reason =
      (error as { name?: string }).name === 'TimeoutError'
        ? `no answer within ${options.timeoutMs ?? 2000} ms`
        : String((error as Error).message ?? error);
    return { ...outside, problem: `task metadata ${url}: ${reason}` };
  }
}

/**
 * A name for this controller process that no other process shares: the task ARN inside ECS (unique
 * for the task's whole life), else host name and pid. Used as the lease holder id.
 */
export function defaultHolderId(environment: EcsEnvironment, host = hostname(), pid = process.pid): string {
  return environment.taskArn ?? `${host}:${pid}`;
}

/** One line for the start-up log: what ECS context the controller found. */
export function describeEnvironment(environment: EcsEnvironment): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = { inEcs: environment.inEcs };
  for (const key of [
    'region',
    'accountId',
    'clusterName',
    'taskArn',
    'taskDefinition',
    'availabilityZone',
  ] as const) {
    const value = environment[key];
    if (value) out[key] = value;
  }
  if (environment.problem) out.problem = environment.problem;
  return out;
}
