// The composition root of the long-running controller: builds every component from one Config and
// binds the reconciler's ports to the real modules. `ecs-gitops run` and the end-to-end tests use it.

import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createAlerts, notifiersFromConfig } from './alerts/index.js';
import { hookPort } from './apply/hook-runner.js';
import { type AwsClients, createAwsClients } from './aws/clients.js';
import { commitStatusFromConfig } from './commit-status/index.js';
import type { Config } from './config.js';
import { healthOf, serviceDeploymentOf } from './health/index.js';
import { ServiceDeploymentCache, TaskDefinitionCache } from './live/index.js';
import { createPreflightReader } from './live/preflight-reads.js';
import { readStoppedReasons } from './live/rollout.js';
import { liveTagsOf } from './live/tags.js';
import type { Logger } from './log.js';
import { ManifestParseCache } from './manifest/index.js';
import type { DesiredState } from './manifest/model.js';
import { createPipeline } from './pipeline/index.js';
import { AnalysisRunner } from './progressive/analysis.js';
import { checkAnalysis } from './progressive/analysis-check.js';
import { answerGate } from './progressive/gate.js';
import { createGateHandler } from './progressive/gate-requests.js';
import { Reconciler } from './reconcile/controller.js';
import type { LeasePort, ReconcilerPorts } from './reconcile/ports.js';
import type { GateHandler } from './server/gate-route.js';
import { createMetrics, type Metrics, startServer } from './server/index.js';
import { createSource } from './source/index.js';
import { loadSnapshot } from './source/load-snapshot.js';
import type { Source } from './source/types.js';
import { EventLog } from './status/event-log.js';
import { statusWriterFromConfig } from './status/from-config.js';
import type { ResourceStatus } from './status/model.js';
import { StatusStore } from './status/store.js';
import { type KeyString, keyString, OWNERSHIP_TAGS } from './types.js';

export interface ControllerApp {
  /** The HTTP server's base URL (dashboard, API, metrics). */
  readonly url: string;
  readonly reconciler: Reconciler;
  readonly store: StatusStore;
  readonly events: EventLog;
  readonly metrics: Metrics;
  readonly clients: AwsClients;
  readonly source: Source;
  /** Answers this controller's deployment gates (the gate routes; with several targets, targets/gates.ts). */
  readonly onGate: GateHandler;
  /** Graceful stop: finishes the in-flight AWS call and pass, writes status, closes everything. */
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly logger: Logger;
  /** Base directory for relative paths (cache, --path, a local --repo). */
  readonly cwd?: string;
  /** Single-writer lease (controller/lease) when running as a replicated service. */
  readonly lease?: LeasePort;
  /** How soon to look again while a rollout progresses (default 3 s). */
  readonly progressPollMs?: number;
  /**
   * One target of several (controller/targets): its name labels every metric (`target="…"`), its
   * status goes to `status/<name>/` of the shared status branch, its AWS calls use `credentials`, and
   * no HTTP server of its own is started (the targets share one).
   */
  readonly target?: {
    readonly name: string;
    readonly credentials?: AwsCredentialIdentityProvider;
  };
}

export async function startController(config: Config, options: AppOptions): Promise<ControllerApp> {
  const { logger } = options;
  const metrics = createMetrics();
  if (options.target) metrics.registry.setDefaultLabels({ target: options.target.name });
  const source = createSource(config.source, logger, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    onCheck: (result) => metrics.recordGitFetch(result),
  });
  const clients = createAwsClients(
    config.aws,
    undefined,
    options.target?.credentials ? { credentials: options.target.credentials } : {},
  );
  clients.counter.onCall((record) => metrics.recordAwsCall(record));
  const cache = new TaskDefinitionCache();
  const serviceDeploymentCache = new ServiceDeploymentCache();
  const parseCache = new ManifestParseCache();
  const store = new StatusStore(config.instance, () => source.status());
  const events = new EventLog();
  const alerts = createAlerts({
    notifiers: notifiersFromConfig(config, logger, {}, clients.counter),
    logger,
  });
  events.subscribe((event) => alerts.emit(event));

  const described = source.describe();
  const prefix =
    described.type === 'git' && described.dir && described.dir !== '.'
      ? described.dir.replace(/^\.\/|\/$/g, '')
      : '';
  const inRepo = (file: string) => (file === '.' ? prefix || '.' : prefix ? `${prefix}/${file}` : file);
  const statusWriter = statusWriterFromConfig(
    config,
    logger,
    options.cwd ?? process.cwd(),
    options.target ? { section: options.target.name } : {},
  );
  const preflight = config.preflight
    ? createPreflightReader(config.aws, {
        counter: clients.counter,
        ...(options.target?.credentials ? { credentials: options.target.credentials } : {}),
      })
    : undefined;

  let lastDesired: DesiredState | undefined;
  const pipeline = createPipeline(clients, config, {
    caches: { taskDefinitions: cache, serviceDeployments: serviceDeploymentCache },
    // Preflight blocks a task definition whose image, secrets or log group are missing (and its services).
    ...(preflight
      ? {
          preflight: {
            reader: preflight,
            region: config.aws.region,
            onFailure: (key, message) => logger.warn({ resource: key }, message),
          },
        }
      : {}),
    onProgress: (event) => {
      if (event.type === 'done' && event.result.outcome !== 'unchanged') {
        logger.info(
          { resource: keyString(event.result.key), outcome: event.result.outcome },
          event.result.message,
        );
      }
    },
  });
  const ports: ReconcilerPorts = {
    source,
    parse(snapshot) {
      // Paths are reported relative to the repository (`manifests/web.yaml:14:7`), as people see them
      // in their checkout; the same path becomes the ecs-gitops/source tag.
      // An overlay folder (ecs-gitops.yaml) is rendered first; its paths are repository-relative already.
      const { result } = loadSnapshot(snapshot, { inRepo, env: process.env, cache: parseCache });
      // The reconciler keeps exactly this one (a rejected revision keeps the last good one).
      if (result.ok) lastDesired = result.desired;
      return result.ok
        ? { ok: true, desired: result.desired }
        : { ok: false, problems: result.problems, problemCount: result.problemCount };
    },
    // Read live → diff → plan → apply as `ecs-gitops diff` / `apply` wire them (pipeline/).
    readLive: pipeline.readLive,
    diff: pipeline.diff,
    plan: pipeline.plan,
    apply: pipeline.apply,
    health: { of: healthOf, serviceDeployment: serviceDeploymentOf },
    // With several targets, every event says which one (alerts, the event log, EventBridge).
    publish: (event) => events.publish(options.target ? { ...event, target: options.target.name } : event),
    metrics,
    ...(statusWriter ? { statusWriter } : {}),
    ...(options.lease ? { lease: options.lease } : {}),
    async stoppedReasons(diff, expectedDeploymentId) {
      const desired = diff.desired;
      if (desired?.kind !== 'Service') return [];
      return readStoppedReasons(
        clients,
        desired.cluster.clusterName,
        desired.serviceName,
        expectedDeploymentId,
      );
    },
    recordedFingerprint: (diff, live) => liveTagsOf(diff, live)?.[OWNERSHIP_TAGS.specHash],
    // Several targets may share an account and Region: each keeps its own hook ledger.
    hooks: hookPort(clients, config.instance, options.target ? { target: options.target.name } : {}),
  };

  const reconciler = new Reconciler(
    ports,
    {
      instance: config.instance,
      drift: config.drift,
      prune: config.prune,
      resyncMs: config.resyncMs,
      logger,
      ...(options.progressPollMs ? { progressPollMs: options.progressPollMs } : {}),
    },
    store,
  );

  const updateStatus = (key: KeyString, update: (previous: ResourceStatus) => ResourceStatus) => {
    const previous = store.getResource(key);
    if (previous) store.setResource(update(previous));
  };
  const onGate = createGateHandler({
    clients,
    getResource: (key) => store.getResource(key),
    updateResource: updateStatus,
    requestSync: (reason) => reconciler.requestSync(reason),
    now: () => new Date(),
    ...(options.lease ? { lease: options.lease } : {}),
  });
  const analysis = new AnalysisRunner({
    check: checkAnalysis,
    answer: (target, action, hookId) => answerGate(clients, target, action, { hookId }),
    updateResource: updateStatus,
    requestSync: (reason) => reconciler.requestSync(reason),
    now: () => new Date(),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    log: (level, fields, message) => logger[level](fields, message),
    mayWrite: () => options.lease?.holds() ?? Promise.resolve(true),
  });
  // After every pass: the gates that wait now and name an analysis are evaluated by the controller.
  reconciler.onPass((snapshot) => analysis.observe(snapshot.resources, lastDesired));
  const server = options.target
    ? undefined
    : await startServer({
        onGate,
        listen: config.listen,
        ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
        status: () => store.snapshot(),
        events,
        metrics,
        onSync: (reason) => reconciler.requestSync(reason, { fetch: true, manual: true }),
        // The pass fetches (one ls-remote, then the new commits): an extra poll per push made a burst
        // of 500 pushes look at the remote about once per push that arrived between two polls.
        onGitPush: (push) => {
          // A push that names its new head spares the pass's fetch the ls-remote before it.
          if (push.after) source.pushed?.(push.ref, push.after);
          reconciler.requestSync(`push ${push.ref}`);
        },
        ...(config.gitWebhookSecret ? { gitWebhookSecret: config.gitWebhookSecret } : {}),
        ...(config.apiToken ? { apiToken: config.apiToken } : {}),
        logger,
        subscribeStatus: (listener) => store.subscribe(() => listener()),
      });

  const commitStatus = commitStatusFromConfig(config, logger, options.target?.name);
  if (commitStatus) {
    // Pending as soon as a revision's writes start, then the verdict after each pass.
    reconciler.onApplyStart((snapshot) => commitStatus.update(snapshot));
    reconciler.onPass((snapshot) => commitStatus.update(snapshot));
  }
  const stopWatching = source.watch(() => reconciler.requestSync('new revision'));
  reconciler.start();
  logger.info(
    { url: server?.url, source: described.url, instance: config.instance, target: options.target?.name },
    'controller started',
  );

  let stopped: Promise<void> | undefined;
  return {
    url: server?.url ?? '',
    reconciler,
    store,
    events,
    metrics,
    clients,
    source,
    onGate,
    stop() {
      stopped ??= (async () => {
        stopWatching();
        await analysis.stop();
        await reconciler.stop();
        await options.lease?.release().catch(() => undefined);
        if (statusWriter) await statusWriter.write(store.snapshot()).catch(() => undefined);
        await server?.close();
        await alerts.flush().catch(() => undefined);
        await alerts.close().catch(() => undefined);
        await commitStatus?.close().catch(() => undefined);
        await source.close();
        clients.destroy();
        preflight?.destroy();
      })();
      return stopped;
    },
  };
}
