// ssh remotes against a real sshd on a loopback port (skipped where no sshd is installed).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../controller/errors.js';
import { silentLogger } from '../../controller/log.js';
import { createSource, type Source } from '../../controller/source/index.js';
import { createRepo, type TestRepo, tempDir, waitFor } from '../helpers/git.js';

const exec = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

async function keypair(file: string): Promise<string> {
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

describe.skipIf(!existsSync(SSHD))('git source over ssh', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let repo: TestRepo;
  let sshd: ChildProcess;
  let port: number;
  let hostPublic: string;
  const sources: Source[] = [];

  beforeAll(async () => {
    base = await tempDir();
    repo = await createRepo(base.path);
    await repo.commit({ 'manifests/c.yaml': 'kind: Cluster\n' }, 'over ssh');
    const keys = join(base.path, 'keys');
    await mkdir(keys);
    hostPublic = await keypair(join(keys, 'host'));
    const clientPublic = await keypair(join(keys, 'client'));
    await keypair(join(keys, 'stranger'));
    await writeFile(join(keys, 'authorized_keys'), `${clientPublic}\n`);
    await mkdir('/run/sshd', { recursive: true }).catch(() => undefined);
    port = await freePort();
    await writeFile(
      join(keys, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(keys, 'host')}`,
        `AuthorizedKeysFile ${join(keys, 'authorized_keys')}`,
        `PidFile ${join(keys, 'sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        `AllowUsers ${userInfo().username}`,
      ].join('\n'),
    );
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(keys, 'sshd_config')], { stdio: 'ignore' });
    await waitFor(
      () =>
        new Promise<boolean>((done) => {
          const socket = createConnection(port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            done(true);
          });
          socket.once('error', () => done(false));
        }),
      10_000,
      50,
    );
  });

  afterAll(async () => {
    for (const source of sources) await source.close();
    sshd?.kill();
    await base?.cleanup();
  });

  async function open(name: string, key: string, knownHosts: string) {
    const knownHostsFile = join(base.path, 'keys', `known_hosts_${name}`);
    await writeFile(knownHostsFile, `${knownHosts}\n`);
    const source = createSource(
      {
        repo: `ssh://${userInfo().username}@127.0.0.1:${port}${repo.remote}`,
        branch: 'main',
        dir: 'manifests',
        cacheDir: join(base.path, `cache-${name}`),
        pollMs: 1000,
        sshKeyFile: join(base.path, 'keys', key),
        knownHostsFile,
      },
      silentLogger(),
    );
    sources.push(source);
    return source;
  }

  const hostLine = () => `[127.0.0.1]:${port} ${hostPublic.split(' ').slice(0, 2).join(' ')}`;

  it('given the right key and known_hosts, when fetched, then the head commit is read', async () => {
    const source = await open('good', 'client', hostLine());
    const { snapshot } = await source.fetch();
    expect(snapshot.revision).toBe(await repo.head());
    expect(snapshot.files.map((f) => f.path)).toEqual(['c.yaml']);
  });

  it('given a key the server does not accept, when fetched, then AuthenticationFailed', async () => {
    const source = await open('stranger', 'stranger', hostLine());
    const error = await source.fetch().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(source.status().condition.reason).toBe('AuthenticationFailed');
  });

  it('given a known_hosts that does not list the server key, when fetched, then HostKeyVerificationFailed', async () => {
    const stranger = (await readFile(join(base.path, 'keys', 'stranger.pub'), 'utf8')).split(' ').slice(0, 2);
    const source = await open('wrong-host', 'client', `[127.0.0.1]:${port} ${stranger.join(' ')}`);
    const error = await source.fetch().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(source.status().condition.reason).toBe('HostKeyVerificationFailed');
  });
});
