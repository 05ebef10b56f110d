// A whole controller for end-to-end tests: a real Git remote in a temp dir holding the example fleet,
// the emulator in real time (sped up, so rollouts take a fraction of a second), the real SDK, the
// real HTTP server, and a webhook receiver for alerts.
import { cp, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type ControllerApp, startController } from '../../controller/app.js';
import { resolveConfig } from '../../controller/config.js';
import { startReceiver } from '../alerts/receiver.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { EXAMPLE_RESOURCES, EXAMPLES_DIR } from '../helpers/example-fleet.js';
import { createRepo, type TestRepo, tempDir } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';

export const EXAMPLES = EXAMPLES_DIR;
export const WEBHOOK_SECRET = 'e2e-webhook-secret';

export async function exampleFiles(prefix = 'manifests/'): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(EXAMPLES))
    files[`${prefix}${name}`] = await readFile(join(EXAMPLES, name), 'utf8');
  return files;
}

export interface Harness {
  readonly emulator: TestEmulator;
  readonly repo: TestRepo;
  readonly dir: string;
  readonly receiver: Awaited<ReturnType<typeof startReceiver>>;
  readonly logs: Array<Record<string, unknown>>;
  /** How many resources the first commit declares (the example fleet minus what was omitted). */
  readonly fleetResources: number;
  app: ControllerApp;
  /** Starts (again) a controller with these extra flags (as parsed option names). */
  start(flags?: Record<string, unknown>): Promise<ControllerApp>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Example files (e.g. `web-migrate.yaml`) left out of the first commit, for tests of their own hooks or schedules. */
  readonly omit?: readonly string[];
}

export async function startHarness(
  flags: Record<string, unknown> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  const tmp = await tempDir('ecs-gitops-e2e-');
  const emulator = await startTestEmulator({
    clock: { mode: 'real', speed: 20 },
    failImagePattern: ':broken$',
  });
  const repo = await createRepo(tmp.path);
  const omitted = new Set((options.omit ?? []).map((name) => `manifests/${name}`));
  const fleet = Object.entries(await exampleFiles()).filter(([path]) => !omitted.has(path));
  await repo.commit(Object.fromEntries(fleet), 'example fleet');
  const receiver = await startReceiver();
  const { logger, lines } = captureLogger('info');
  let app: ControllerApp | undefined;
  const harness: Harness = {
    emulator,
    repo,
    dir: tmp.path,
    receiver,
    logs: lines,
    fleetResources: fleet.reduce((count, [, text]) => count + (text.match(/^kind: /gm)?.length ?? 0), 0),
    get app() {
      if (!app) throw new Error('controller not started');
      return app;
    },
    set app(value) {
      app = value;
    },
    async start(extra = {}) {
      const raw = {
        repo: repo.remote,
        branch: 'main',
        dir: 'manifests',
        poll: '300ms',
        resync: '1s',
        listen: '127.0.0.1:0',
        cacheDir: join(tmp.path, 'cache'),
        endpointUrl: emulator.url,
        region: 'us-east-1',
        webhookUrl: receiver.url,
        // The example fleet's secrets and log groups do not exist on a fresh emulator.
        preflight: false,
        ...flags,
        ...extra,
      };
      const config = resolveConfig(raw, {
        ECS_GITOPS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ECS_GITOPS_GIT_WEBHOOK_SECRET: 'push-secret',
      });
      app = await startController(config, { logger, cwd: tmp.path, progressPollMs: 300 });
      return app;
    },
    async close() {
      await app?.stop();
      await receiver.close();
      await emulator.close();
      await tmp.cleanup();
    },
  };
  await harness.start();
  return harness;
}

/** The flags of a `run` on a test repository and emulator: fast polls, no preflight, a random port. */
export function runFlags(remote: string, dir: string, endpointUrl: string): Record<string, unknown> {
  return {
    repo: remote,
    branch: 'main',
    poll: '300ms',
    resync: '1s',
    listen: '127.0.0.1:0',
    cacheDir: join(dir, 'cache'),
    endpointUrl,
    preflight: false,
  };
}

/** Waits until `check(snapshot)` holds, re-reading the controller's status. */
export async function waitForStatus(
  app: ControllerApp,
  check: (snapshot: ReturnType<ControllerApp['store']['snapshot']>) => boolean,
  timeoutMs = 15_000,
): Promise<ReturnType<ControllerApp['store']['snapshot']>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = app.store.snapshot();
    if (check(snapshot)) return snapshot;
    if (Date.now() > deadline) {
      throw new Error(
        `status not reached within ${timeoutMs} ms: ${JSON.stringify(
          snapshot.resources.map(
            (r) => `${r.key} ${r.sync} ${r.health} ${r.healthMessage ?? ''} ${r.lastError?.message ?? ''}`,
          ),
        )} ${JSON.stringify(snapshot.overall.rejectedRevision ?? '')}`,
      );
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

export function allSyncedAndHealthy(
  snapshot: ReturnType<ControllerApp['store']['snapshot']>,
  count = EXAMPLE_RESOURCES,
): boolean {
  return (
    snapshot.resources.length === count &&
    snapshot.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy')
  );
}

export { cp };

export const EXAMPLE_ENVS = join(import.meta.dirname, '..', '..', 'manifests', 'examples-envs');

/** manifests/examples-envs (base + envs/staging + envs/prod) as repository files: path → content. */
export async function exampleEnvFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(EXAMPLE_ENVS, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(EXAMPLE_ENVS, path)] = await readFile(path, 'utf8');
  }
  return files;
}
