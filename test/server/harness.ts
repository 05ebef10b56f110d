// Test harness for the HTTP server: realistic status data the test can change, a real EventLog,
// real metrics, and recorders for the sync and push callbacks.
import { silentLogger } from '../../controller/log.js';
import {
  createMetrics,
  type GitPush,
  type ServerOptions,
  startServer,
} from '../../controller/server/index.js';
import type { Metrics } from '../../controller/server/metrics.js';
import { EventLog } from '../../controller/status/event-log.js';
import type { ControllerEvent, ResourceStatus, StatusSnapshot } from '../../controller/status/model.js';
import type { Condition, HealthState, KeyString, Kind, SyncState } from '../../controller/types.js';
import { type Overrides, withOverrides } from '../helpers/overrides.js';

export const SHA1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const SHA2 = 'f0e1d2c3b4a5968778695a4b3c2d1e0f98765432';

const T0 = '2025-01-01T12:00:00.000Z';

export function condition(
  type: Condition['type'],
  status: Condition['status'],
  reason: string,
  message = '',
): Condition {
  return { type, status, reason, message, lastTransitionTime: T0 };
}

export function resource(
  kind: Kind,
  name: string,
  overrides: Partial<Omit<ResourceStatus, 'kind' | 'name' | 'key'>> = {},
): ResourceStatus {
  const sync: SyncState = overrides.sync ?? 'Synced';
  const health: HealthState = overrides.health ?? 'Healthy';
  return {
    kind,
    name,
    key: `${kind}/${name}` as KeyString,
    sync,
    health,
    conditions: [condition('Ready', sync === 'Synced' ? 'True' : 'False', sync)],
    lastAppliedRevision: SHA1,
    lastAttemptedRevision: SHA1,
    lastAppliedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    observedAt: new Date().toISOString(),
    diff: [],
    source: `${name}.yaml`,
    ...overrides,
  };
}

export function webService(overrides: Partial<ResourceStatus> = {}): ResourceStatus {
  return resource('Service', 'web', {
    healthMessage: '2/2 running, rollout COMPLETED',
    arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    deployments: [
      {
        id: 'ecs-svc/1234567890123456789',
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment ecs-svc/1234567890123456789 completed.',
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        failedTasks: 0,
        createdAt: T0,
        updatedAt: T0,
      },
    ],
    stoppedReasons: [],
    ...overrides,
  });
}

export function fleet(): ResourceStatus[] {
  return [
    resource('Cluster', 'prod', { healthMessage: 'ACTIVE' }),
    resource('TaskDefinition', 'web'),
    webService(),
    resource('ScalingPolicy', 'web'),
  ];
}

export function snapshot(
  resources: readonly ResourceStatus[] = fleet(),
  overall: Partial<StatusSnapshot['overall']> = {},
): StatusSnapshot {
  const sync: Partial<Record<SyncState, number>> = {};
  const health: Partial<Record<HealthState, number>> = {};
  for (const r of resources) {
    sync[r.sync] = (sync[r.sync] ?? 0) + 1;
    health[r.health] = (health[r.health] ?? 0) + 1;
  }
  return {
    overall: {
      instance: 'ecs-gitops',
      source: {
        type: 'git',
        url: 'https://github.com/example/fleet.git',
        branch: 'main',
        dir: 'manifests/examples',
        revision: SHA1,
        commitMessage: 'web: nginx 1.27',
        committedAt: T0,
        lastFetchAt: new Date().toISOString(),
        condition: condition('Source', 'True', 'Fetched', `fetched ${SHA1.slice(0, 7)}`),
      },
      lastAppliedRevision: SHA1,
      lastAttemptedRevision: SHA1,
      counts: { sync, health },
      lastPass: { startedAt: new Date().toISOString(), durationMs: 840, result: 'success' },
      ready: true,
      ...overall,
    },
    resources,
  };
}

export function event(overrides: Overrides<ControllerEvent> = {}): ControllerEvent {
  return withOverrides(
    {
      type: 'SyncSucceeded',
      severity: 'info',
      time: new Date().toISOString(),
      instance: 'ecs-gitops',
      revision: SHA1,
      resource: 'Service/web',
      message: 'applied revision a1b2c3d',
    },
    overrides,
  );
}

export interface Harness {
  readonly url: string;
  readonly events: EventLog;
  readonly metrics: Metrics;
  readonly syncs: string[];
  readonly pushes: GitPush[];
  /** The status the server serves; assign to change it. */
  current: StatusSnapshot;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<ServerOptions> = {}): Promise<Harness> {
  const events = new EventLog();
  const metrics = createMetrics();
  const syncs: string[] = [];
  const pushes: GitPush[] = [];
  const harness = {
    current: snapshot(),
    events,
    metrics,
    syncs,
    pushes,
  } as Harness & { url: string; close(): Promise<void> };
  const server = await startServer({
    listen: { host: '127.0.0.1', port: 0 },
    status: () => harness.current,
    events,
    metrics,
    onSync: (reason) => syncs.push(reason),
    onGitPush: (push) => pushes.push(push),
    logger: silentLogger(),
    ...overrides,
  });
  Object.assign(harness, { url: server.url, close: () => server.close() });
  return harness;
}
