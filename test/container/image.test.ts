// The real container image, end to end: start a Docker engine (docker/start-dockerd.sh), build the
// offline Node base image (docker/build-base-image.sh: debootstrap + this machine's node), build the
// project's Dockerfile FROM it, and run the controller in a container against the emulator and a Git
// repository on the host (host networking; the repository mounted read-only, the root filesystem
// read-only as in manifests/self). Skipped, with the reason in its name, only where no engine starts.
import { execFile } from 'node:child_process';
import { chown, cp, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';
import { createRepo, tempDir } from '../helpers/git.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE_IMAGE = 'ecs-gitops-node-base:local';
const IMAGE = 'ecs-gitops:test';
const CONTAINER = `ecs-gitops-image-test-${process.pid}`;
const VOLUME = `${CONTAINER}-data`;
const IMAGE_UID = '10001';
// The legacy builder: it needs no buildx plugin and supports `--network host` for RUN steps.
const DOCKER_ENV = { ...process.env, DOCKER_BUILDKIT: '0' };

async function sh(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, [...args], {
      cwd: ROOT,
      env: DOCKER_ENV,
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 60_000,
    });
    return { stdout: stdout.trim(), stderr: stderr.trim() };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message.split('\n')[0]}\n${tail}`);
  }
}

/** Starts (or finds) the engine; the reason when none can run here. */
async function startEngine(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.platform !== 'linux') return { ok: false, reason: 'Docker engine test runs on Linux only' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'starting dockerd needs root' };
  try {
    await sh(join(ROOT, 'docker/start-dockerd.sh'), [], { timeoutMs: 90_000 });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `no Docker engine could start: ${(error as Error).message.split('\n')[0]}` };
  }
}

const engine = await startEngine();
if (!engine.ok) console.warn(`test/container/image.test.ts skipped: ${engine.reason}`);
const title = engine.ok ? 'container image' : `container image (skipped: ${engine.reason})`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

async function inspect(format: string, target = CONTAINER): Promise<string> {
  return (await sh('docker', ['inspect', '--format', format, target])).stdout;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  detail: () => Promise<string> = async () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${await detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface StatusResource {
  readonly key: string;
  readonly sync: string;
  readonly health: string;
}

describe.skipIf(!engine.ok)(title, () => {
  let emulator: TestEmulator;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let listenPort: number;
  let imageSizeMb = 0;

  async function logs(): Promise<string> {
    const out = await sh('docker', ['logs', '--tail', '40', CONTAINER]).catch((e: Error) => ({
      stdout: e.message,
      stderr: '',
    }));
    return `${out.stdout}\n${out.stderr}`;
  }

  beforeAll(async () => {
    // 1. Images: the offline base (cached after the first build) and the project's Dockerfile.
    await sh(join(ROOT, 'docker/build-base-image.sh'), [BASE_IMAGE], { timeoutMs: 600_000 });
    await sh(
      'docker',
      ['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${BASE_IMAGE}`, '-t', IMAGE, '.'],
      { timeoutMs: 600_000 },
    );
    imageSizeMb = Number(await inspect('{{.Size}}', IMAGE)) / 1_000_000;
    console.log(`ecs-gitops image size: ${imageSizeMb.toFixed(0)} MB (FROM ${BASE_IMAGE})`);

    // 2. The host side: the emulator (real clock, sped up) and a Git repository with the example fleet.
    emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    tmp = await tempDir('ecs-gitops-image-');
    const repo = await createRepo(tmp.path);
    const examples = join(ROOT, 'manifests/examples');
    await cp(examples, join(repo.work, 'manifests'), { recursive: true });
    await repo.commit({}, 'example fleet');
    // The controller runs as uid 10001; git refuses repositories owned by another user.
    await chownTree(repo.remote, Number(IMAGE_UID));

    // 3. The controller container, configured only by environment variables.
    listenPort = await freePort();
    await sh('docker', ['rm', '-f', CONTAINER]).catch(() => undefined);
    await sh('docker', [
      'run',
      '--detach',
      '--name',
      CONTAINER,
      '--network',
      'host',
      // As in manifests/self: read-only root, scratch space on volumes.
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--volume',
      `${VOLUME}:/var/lib/ecs-gitops`,
      '--volume',
      `${repo.remote}:/repo.git:ro`,
      // The image's own health check command, probed every second instead of every 10 s.
      '--health-interval',
      '1s',
      '--env',
      'ECS_GITOPS_REPO=/repo.git',
      '--env',
      'ECS_GITOPS_BRANCH=main',
      '--env',
      'ECS_GITOPS_DIR=manifests',
      '--env',
      `ECS_GITOPS_ENDPOINT_URL=${emulator.url}`,
      '--env',
      'ECS_GITOPS_REGION=us-east-1',
      '--env',
      `ECS_GITOPS_LISTEN=127.0.0.1:${listenPort}`,
      '--env',
      'ECS_GITOPS_POLL=1s',
      '--env',
      'ECS_GITOPS_RESYNC=2s',
      // The repository is mounted read-only: no status branch pushes.
      '--env',
      'ECS_GITOPS_STATUS_WRITE=false',
      // The examples reference secrets, parameters and log groups this account does not have (a
      // Secrets Manager ARN's random suffix cannot be recreated), so preflight would rightly block
      // them, as in `npm start` (docs/preflight.md).
      '--env',
      'ECS_GITOPS_PREFLIGHT=false',
      '--env',
      `AWS_ACCESS_KEY_ID=${TEST_CREDENTIALS.accessKeyId}`,
      '--env',
      `AWS_SECRET_ACCESS_KEY=${TEST_CREDENTIALS.secretAccessKey}`,
      IMAGE,
    ]);
  }, 900_000);

  afterAll(async () => {
    await sh('docker', ['rm', '-f', CONTAINER]).catch(() => undefined);
    await sh('docker', ['volume', 'rm', '-f', VOLUME]).catch(() => undefined);
    await emulator?.close();
    await tmp?.cleanup();
  });

  it('given the Dockerfile, when built FROM the offline base, then it runs node as uid 10001 under tini with a health check', async () => {
    const config = JSON.parse(await inspect('{{json .Config}}', IMAGE)) as {
      User: string;
      Entrypoint: string[];
      Cmd: string[];
      StopSignal: string;
      Healthcheck: { Test: string[] };
      Env: string[];
    };
    expect(config.User).toBe(`${IMAGE_UID}:${IMAGE_UID}`);
    expect(config.Entrypoint).toEqual(['/usr/bin/tini', '--', 'node', '/app/dist/controller/main.js']);
    expect(config.Cmd).toEqual(['run']);
    expect(config.StopSignal).toBe('SIGTERM');
    expect(config.Healthcheck.Test).toEqual(['CMD', 'node', '/app/healthcheck.mjs']);
    expect(config.Env).toEqual(
      expect.arrayContaining([
        'NODE_ENV=production',
        'ECS_GITOPS_LISTEN=0.0.0.0:8080',
        'ECS_GITOPS_LOG_FORMAT=json',
      ]),
    );
    // Only compiled JavaScript ships: no TypeScript sources, no dev dependencies, no npm.
    const files = await sh('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'ls /app; ls /app/node_modules/typescript /app/node_modules/vitest /app/controller 2>&1 | head -3; command -v npm || echo no-npm; git --version; ssh -V 2>&1',
    ]);
    expect(files.stdout).toMatch(/dist/);
    expect(files.stdout).not.toMatch(/^controller$/m);
    expect(files.stdout).toMatch(/node_modules\/typescript.*No such file/);
    expect(files.stdout).toMatch(/no-npm/);
    expect(files.stdout).toMatch(/git version 2\./);
    expect(files.stdout).toMatch(/OpenSSH/);
    expect(imageSizeMb).toBeGreaterThan(50);
    expect(imageSizeMb).toBeLessThan(450);
  });

  it('given the container runs against the emulator and a host Git repository, then it applies the example fleet', async () => {
    const status = await until(
      `all ${EXAMPLE_RESOURCES} example resources Synced and Healthy`,
      async () => {
        const response = await fetch(`http://127.0.0.1:${listenPort}/api/status`);
        const body = (await response.json()) as { resources: StatusResource[] };
        const ready =
          body.resources.length === EXAMPLE_RESOURCES &&
          body.resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy');
        return ready ? body : undefined;
      },
      60_000,
      logs,
    );
    expect(status.resources.map((r) => r.key).sort()).toEqual([
      'Cluster/batch',
      'Cluster/prod',
      'ScalingPolicy/web',
      'ScheduledTask/nightly-report',
      'Service/api',
      'Service/web',
      'Service/worker',
      'Task/web-migrate',
      'TaskDefinition/api',
      'TaskDefinition/nightly-report',
      'TaskDefinition/web',
      'TaskDefinition/web-migrate',
      'TaskDefinition/worker',
    ]);

    // The emulator, independently: the services exist, owned by the containerized controller.
    const web = await emulator.ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
    );
    expect(web.services?.[0]?.status).toBe('ACTIVE');
    expect(web.services?.[0]?.tags).toContainEqual({ key: 'ecs-gitops/managed-by', value: 'ecs-gitops' });
    const worker = await emulator.ecs.send(
      new DescribeServicesCommand({ cluster: 'batch-prod', services: ['worker'] }),
    );
    expect(worker.services?.[0]?.status).toBe('ACTIVE');

    // Logs are JSON lines (CloudWatch-friendly): the apply shows up as structured records.
    const lines = (await logs()).split('\n').filter((line) => line.startsWith('{'));
    const records = lines.map((line) => JSON.parse(line) as { msg?: string; resource?: string });
    expect(records.some((r) => r.resource === 'Service/web')).toBe(true);
  }, 90_000);

  it('given the controller serves /healthz, then the image HEALTHCHECK turns healthy', async () => {
    const health = await until(
      'docker health status healthy',
      async () => ((await inspect('{{.State.Health.Status}}')) === 'healthy' ? 'healthy' : undefined),
      30_000,
      async () => `${await inspect('{{json .State.Health}}')}\n${await logs()}`,
    );
    expect(health).toBe('healthy');
    expect(await inspect('{{json .Config.Healthcheck.Test}}')).toBe('["CMD","node","/app/healthcheck.mjs"]');
  }, 40_000);

  it('given the running container, then no process in it runs as root', async () => {
    const id = await sh('docker', ['exec', CONTAINER, 'id', '-u']);
    expect(id.stdout).toBe(IMAGE_UID);
    // PID 1 is tini; node is its child. Both carry the image's uid (real, effective, saved, fs).
    // The listing's own short-lived processes may be gone before they are read: an `if`, not `&&`,
    // so the last of them vanishing does not become the loop's exit status.
    const procs = await sh('docker', [
      'exec',
      CONTAINER,
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do if [ -r $p/status ]; then printf "%s %s\\n" "$(cat $p/comm 2>/dev/null)" "$(grep ^Uid: $p/status 2>/dev/null | cut -f2-)"; fi; done',
    ]);
    const byName = new Map(
      procs.stdout
        .split('\n')
        .map((line) => line.split(' '))
        .map(([name = '', ...uids]) => [name, uids.join(' ')] as const),
    );
    expect(byName.get('tini')).toBe(`${IMAGE_UID}\t${IMAGE_UID}\t${IMAGE_UID}\t${IMAGE_UID}`);
    expect(byName.get('node')).toBe(`${IMAGE_UID}\t${IMAGE_UID}\t${IMAGE_UID}\t${IMAGE_UID}`);
    expect([...byName.values()].some((uids) => uids.startsWith('0'))).toBe(false);
  });

  it('given docker stop, then SIGTERM reaches node through tini and the container exits 0 within 10 s', async () => {
    const started = performance.now();
    await sh('docker', ['stop', '--time', '10', CONTAINER], { timeoutMs: 30_000 });
    const seconds = (performance.now() - started) / 1000;

    expect(seconds).toBeLessThan(10);
    expect(await inspect('{{.State.ExitCode}}')).toBe('0');
    expect(await inspect('{{.State.OOMKilled}}')).toBe('false');
    const tail = await logs();
    expect(tail).toMatch(/"msg":"stopping: finishing the current pass"/);
    expect(tail).toMatch(/"msg":"stopped"/);
  }, 40_000);
});

async function chownTree(dir: string, uid: number): Promise<void> {
  await chown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const parent = entry.parentPath ?? (entry as unknown as { path: string }).path;
    await chown(join(parent, entry.name), uid, uid);
  }
}
