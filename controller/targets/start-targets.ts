// Several targets in one process: one whole controller per target (its own source clone, queue,
// backoff, lease, drift, status section and alerts; AWS clients with the target's region and
// credentials), composed here rather than threaded through the loop, so one target's failure or
// throttling never waits on another. They share one HTTP server: /api/status lists every target's
// resources with their target, /metrics labels every series with `target`.
import { join } from 'node:path';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { Registry } from 'prom-client';
import { type AppOptions, type ControllerApp, startController } from '../app.js';
import type { Config } from '../config.js';
import type { LeasePort } from '../reconcile/ports.js';
import { type Metrics, startServer } from '../server/index.js';
import { EventLog } from '../status/event-log.js';
import type { KeyString } from '../types.js';
import { combineSnapshots, mergeExpositions } from './combine.js';
import { targetCredentials } from './credentials.js';
import { targetsGateHandler } from './gates.js';
import type { Target } from './targets-file.js';

export interface TargetsApp {
  readonly url: string;
  /** Target name → its controller. */
  readonly targets: ReadonlyMap<string, ControllerApp>;
  stop(): Promise<void>;
}

/** The configuration one target's controller runs with. */
export function targetConfig(config: Config, target: Target): Config {
  return {
    ...config,
    // Each target has its own clone: a slow or failing fetch for one never holds another's lock.
    source: {
      ...config.source,
      dir: target.dir,
      cacheDir: join(config.source.cacheDir, 'targets', target.name),
    },
    aws: { ...config.aws, region: target.region },
  };
}

function sharedMetrics(apps: readonly ControllerApp[]): Metrics {
  const registry = new Registry();
  registry.metrics = async () =>
    mergeExpositions(await Promise.all(apps.map((app) => app.metrics.registry.metrics())));
  const none = () => undefined;
  return {
    registry,
    setResources: () => {
      for (const app of apps) app.metrics.setResources(app.store.snapshot().resources);
    },
    observePass: none,
    recordApply: none,
    recordAwsCall: none,
    recordGitFetch: none,
    observeCommitToApplied: none,
    recordHookRun: none,
  };
}

export interface TargetsOptions extends Omit<AppOptions, 'target' | 'lease'> {
  /** Each target's single-writer lease (in its own account), when leases are on. */
  readonly leaseFor?: (target: Target, credentials: AwsCredentialIdentityProvider | undefined) => LeasePort;
}

export async function startTargets(
  config: Config,
  targets: readonly Target[],
  options: TargetsOptions,
): Promise<TargetsApp> {
  const started = new Map<string, ControllerApp>();
  try {
    for (const target of targets) {
      const credentials = targetCredentials(target, config.aws);
      const logger = options.logger.child({ target: target.name });
      const { leaseFor, ...common } = options;
      const lease = leaseFor?.(target, credentials);
      const app = await startController(targetConfig(config, target), {
        ...common,
        ...(lease ? { lease } : {}),
        logger,
        target: { name: target.name, ...(credentials ? { credentials } : {}) },
      });
      started.set(target.name, app);
    }
  } catch (error) {
    await Promise.all([...started.values()].map((app) => app.stop()));
    throw error;
  }
  const apps = [...started.values()];
  const events = new EventLog();
  const unsubscribe = apps.map((app) => app.events.subscribe((event) => events.publish(event)));
  const status = () =>
    combineSnapshots([...started].map(([target, app]) => ({ target, snapshot: app.store.snapshot() })));
  const server = await startServer({
    onGate: targetsGateHandler(
      new Map(
        [...started].map(([name, app]) => [
          name,
          { onGate: app.onGate, has: (key: KeyString) => app.store.getResource(key) !== undefined },
        ]),
      ),
    ),
    listen: config.listen,
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    status,
    events,
    metrics: sharedMetrics(apps),
    onSync: (reason) => {
      for (const app of apps) app.reconciler.requestSync(reason);
    },
    onGitPush: (push) => {
      // Each target's pass fetches itself; merged requests make a burst of pushes a pass or two.
      for (const app of apps) {
        if (push.after) app.source.pushed?.(push.ref, push.after);
        app.reconciler.requestSync(`push ${push.ref}`);
      }
    },
    ...(config.gitWebhookSecret ? { gitWebhookSecret: config.gitWebhookSecret } : {}),
    ...(config.apiToken ? { apiToken: config.apiToken } : {}),
    logger: options.logger,
    subscribeStatus: (listener) => {
      const stops = apps.map((app) => app.store.subscribe(() => listener()));
      return () => {
        for (const stop of stops) stop();
      };
    },
  });
  options.logger.info({ url: server.url, targets: targets.map((t) => t.name) }, 'targets started');
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    targets: started,
    stop() {
      stopped ??= (async () => {
        await Promise.all(apps.map((app) => app.stop()));
        for (const stop of unsubscribe) stop();
        await server.close();
      })();
      return stopped;
    },
  };
}
