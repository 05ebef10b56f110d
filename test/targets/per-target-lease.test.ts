// Each target's lease lives in its own account: one run with two targets (staging in account
// 111111111111 / us-east-1, prod in 222222222222 / eu-west-1) takes a lease per target through that
// target's assumed role. While another replica holds prod's lease, staging converges and prod
// writes nothing; once that replica lets go, prod converges too.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../controller/aws/clients.js';
import { resolveConfig } from '../../controller/config.js';
import { type LeaseKeeper, startLeaseKeeper } from '../../controller/lease/keeper.js';
import { targetCredentials } from '../../controller/targets/credentials.js';
import { startTargets, type TargetsApp, targetConfig } from '../../controller/targets/start-targets.js';
import { parseTargets, type Target } from '../../controller/targets/targets-file.js';
import { exampleEnvFiles } from '../e2e/harness.js';
import { startTestEmulator, TEST_CREDENTIALS } from '../helpers/emulator.js';
import { createRepo, tempDir, waitFor } from '../helpers/git.js';
import { captureLogger } from '../helpers/log-capture.js';

const TARGETS = `- name: staging
  dir: envs/staging
  region: us-east-1
  roleArn: arn:aws:iam::111111111111:role/ecs-gitops
- name: prod
  dir: envs/prod
  region: eu-west-1
  roleArn: arn:aws:iam::222222222222:role/ecs-gitops
`;
const WRITE = /:(Create|Register|Deregister|Update|Delete|Put)/;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

describe('one lease per target', () => {
  it('given another replica holds prod’s lease, when two targets run, then staging converges, prod waits, and takes over once the lease is free', {
    timeout: 240_000,
  }, async () => {
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const tmp = await tempDir('ecs-gitops-target-leases-');
    const emulator = await startTestEmulator({ clock: { mode: 'real', speed: 20 } });
    cleanup.push(
      () => tmp.cleanup(),
      () => emulator.close(),
    );
    const repo = await createRepo(tmp.path);
    await repo.commit(await exampleEnvFiles(), 'environments');
    await writeFile(join(tmp.path, 'targets.yaml'), TARGETS);
    const targets = parseTargets('targets.yaml', TARGETS);
    const config = resolveConfig(
      {
        repo: repo.remote,
        branch: 'main',
        poll: '300ms',
        resync: '1s',
        listen: '127.0.0.1:0',
        cacheDir: join(tmp.path, 'cache'),
        endpointUrl: emulator.url,
        statusWrite: false,
        // the example's execution role is in account 123456789012, not in the targets' accounts
        preflight: false,
      },
      {},
    );
    const clientsOf = (target: Target) => {
      const credentials = targetCredentials(target, targetConfig(config, target).aws);
      const clients = createAwsClients(
        targetConfig(config, target).aws,
        undefined,
        credentials ? { credentials } : {},
      );
      cleanup.push(async () => clients.destroy());
      return clients;
    };
    const keeper = (target: Target, holderId: string): LeaseKeeper => {
      const k = startLeaseKeeper({
        clients: clientsOf(target),
        instance: config.instance,
        holderId,
        // long enough that a loaded machine still renews in time (4 s was not, under a load of 15);
        // the takeover below follows an explicit release, so it does not wait for the ttl
        ttlMs: 15_000,
        settleMs: 20,
        clockSkewMs: 100,
        renewEveryMs: 300,
      });
      cleanup.push(async () => k.stop());
      return k;
    };
    const [staging, prod] = targets;
    if (!staging || !prod) throw new Error('two targets expected');

    // given another replica holding prod's lease (in prod's account)
    const other = keeper(prod, 'other-replica');
    await waitFor(() => other.lease.isHeld(), 10_000);

    // when one run starts both targets, each with its own lease
    const ours = new Map<string, LeaseKeeper>();
    const { logger } = captureLogger('info');
    const app: TargetsApp = await startTargets(config, targets, {
      logger,
      cwd: tmp.path,
      progressPollMs: 300,
      leaseFor: (target) => {
        const k = keeper(target, 'this-replica');
        ours.set(target.name, k);
        return k;
      },
    });
    cleanup.push(() => app.stop());
    const synced = (name: string) => {
      const resources = app.targets.get(name)?.store.snapshot().resources ?? [];
      return resources.length === 3 && resources.every((r) => r.sync === 'Synced' && r.health === 'Healthy');
    };
    const writes = (name: string) =>
      Object.entries(app.targets.get(name)?.clients.counter.snapshot() ?? {}).filter(
        ([key]) => WRITE.test(key) && !key.includes('TagResource'),
      );

    // then staging converges while prod, whose lease the other replica holds, writes nothing
    await waitFor(() => synced('staging'), 90_000, 100);
    expect(ours.get('staging')?.lease.isHeld()).toBe(true);
    expect(ours.get('prod')?.lease.isHeld()).toBe(false);
    expect(writes('prod')).toEqual([]);

    // and a gate request for prod is refused by this replica, naming the one that holds prod's lease,
    // while staging's (held here) is answered by this replica (409: no deployment waits at a gate)
    const gate = (target: string) =>
      fetch(`${app.url}/api/targets/${target}/resources/Service/${target}-web/promote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"by":"alice"}',
      });
    const refused = await gate('prod');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      error: 'Standby',
      message: expect.stringContaining('other-replica holds the write lease'),
      holder: { id: 'other-replica' },
    });
    expect((await gate('staging')).status).toBe(409);
    expect(writes('prod')).toEqual([]);

    // and each lease anchor is in its target's own account and region, none in the emulator's own
    const anchors = async (target: Target) =>
      (await clientsOf(target).ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
    expect(await anchors(staging)).toContainEqual(
      expect.stringMatching(/^arn:aws:ecs:us-east-1:111111111111:cluster\/ecs-gitops-lease-/),
    );
    expect(await anchors(prod)).toEqual([
      expect.stringMatching(/^arn:aws:ecs:eu-west-1:222222222222:cluster\/ecs-gitops-lease-/),
    ]);
    expect((await emulator.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);

    // when the other replica lets go, then prod takes its lease and converges
    await other.release();
    await waitFor(() => synced('prod'), 90_000, 100);
    expect(ours.get('prod')?.lease.isHeld()).toBe(true);
  });
});
