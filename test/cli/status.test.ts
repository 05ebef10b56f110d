import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { silentLogger } from '../../controller/log.js';
import { createStatusBranchWriter } from '../../controller/status/status-branch.js';
import { createRepo, tempDir } from '../helpers/git.js';
import { resource, snapshotOf } from '../status/fixtures.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function status(args: string[], cwd = process.cwd()) {
  const out = sink();
  const err = sink();
  const code = await runCli(['status', ...args], {
    stdout: out.stream,
    stderr: err.stream,
    env: {},
    cwd,
    stopSignal: new AbortController().signal,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function fleet() {
  const revision = 'f'.repeat(40);
  return snapshotOf(
    [
      resource('Cluster', 'prod', { lastAppliedAt: minutesAgo(30), lastAppliedRevision: revision }),
      resource('Service', 'web', {
        sync: 'Drifted',
        lastAppliedAt: minutesAgo(5),
        lastAppliedRevision: revision,
        conditions: [
          {
            type: 'Drifted',
            status: 'True',
            reason: 'LiveChanged',
            message: 'desiredCount: desired 2, live 5',
            lastTransitionTime: minutesAgo(1),
          },
        ],
      }),
      resource('Service', 'api', {
        sync: 'Failed',
        health: 'Degraded',
        lastAppliedAt: undefined,
        lastAppliedRevision: undefined,
        lastError: {
          code: 'AwsError',
          message: 'CreateService: ClientException: bad subnet',
          at: minutesAgo(0),
        },
      }),
    ],
    { revision },
  );
}

describe('ecs-gitops status', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function serve(body: unknown): Promise<string> {
    const server: Server = createServer((req, res) => {
      if (req.url !== '/api/status') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise((done) => server.close(() => done())));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  it("given a running controller, when status is asked, then the table shows each resource's sync, health, revision, age and message", async () => {
    const url = await serve(fleet());

    const result = await status(['--server', url]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('KIND'));
    expect(lines[header]).toMatch(/^KIND\s+NAME\s+SYNC\s+HEALTH\s+REVISION\s+AGE\s+MESSAGE$/);
    expect(lines.slice(header + 1, header + 4)).toEqual([
      expect.stringMatching(/^Cluster\s+prod\s+Synced\s+Healthy\s+ffffffffffff\s+30m$/),
      expect.stringMatching(
        /^Service\s+api\s+Failed\s+Degraded\s+-\s+-\s+CreateService: ClientException: bad subnet$/,
      ),
      expect.stringMatching(
        /^Service\s+web\s+Drifted\s+Healthy\s+ffffffffffff\s+5m\s+desiredCount: desired 2, live 5$/,
      ),
    ]);
    expect(result.stdout).toContain(`From:      ${url}`);
    expect(result.stdout).toContain('Instance:  prod');
    expect(result.stdout).toMatch(
      /Source:\s+https:\/\/example.com\/fleet.git \(main, manifests\) at ffffffffffff$/m,
    );
  });

  it('given --output json, when status is asked, then the snapshot is printed as JSON', async () => {
    const snapshot = fleet();
    const url = await serve(snapshot);

    const result = await status(['--server', url, '--output', 'json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });

  it('given no controller listening, when status is asked, then it fails with exit 2 and says what to do', async () => {
    const url = await serve({});
    const result = await status(['--server', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did not answer a status snapshot');

    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((done) => closed.close(done));
    const down = await status(['--server', `http://127.0.0.1:${port}`]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(
      `cannot reach the controller at http://127.0.0.1:${port}: connect ECONNREFUSED`,
    );
    expect(down.stderr).toContain('use --repo to read the status branch');
  });

  it('given a status branch, when status is asked with --repo, then the table is read from the branch', async () => {
    const base = await tempDir();
    cleanups.push(base.cleanup);
    const repo = await createRepo(base.path);
    await repo.commit({ 'manifests/a.yaml': 'x: 1\n' });
    const written = await createStatusBranchWriter({
      repoUrl: repo.remote,
      instance: 'prod',
      logger: silentLogger(),
      workDir: join(base.path, 'status-work'),
    }).write(fleet());

    const result = await status(['--repo', 'remote.git', '--status-branch', 'ecs-gitops/status'], base.path);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`status branch ecs-gitops/status @ ${written.sha!.slice(0, 12)}`);
    expect(result.stdout).toMatch(
      /^Service\s+web\s+Drifted\s+Healthy\s+ffffffffffff\s+\S+\s+desiredCount: desired 2, live 5$/m,
    );
    expect(result.stdout).toMatch(/^Service\s+api\s+Failed\s+Degraded/m);

    const json = await status(['--repo', repo.remote, '--output', 'json']);
    expect(JSON.parse(json.stdout).resources).toHaveLength(3);

    const missing = await status(['--repo', repo.remote, '--status-branch', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("couldn't find remote ref");
  });
});
