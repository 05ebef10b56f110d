// The single-writer lease against the emulator over HTTP with the real ECS SDK client: two
// controller processes (two Lease objects with their own clients) compete for one instance name.
import { CreateClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  createLease,
  LEASE_TAGS,
  type Lease,
  LeaseError,
  type LeaseOptions,
  leaseAnchorName,
} from '../../controller/lease/ecs-tag-lease.js';
import { useTestEmulator } from '../helpers/emulator.js';

const env = useTestEmulator();
const TTL_MS = 30_000;

/** A shared fake wall clock for both "processes" (the lease reads time only through `now`). */
function wallClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

function leaseFor(
  holderId: string,
  clock: ReturnType<typeof wallClock>,
  extra: Partial<LeaseOptions> = {},
): Lease {
  return createLease({
    clients: { ecs: env().clients().ecs },
    instance: 'prod',
    holderId,
    ttlMs: TTL_MS,
    settleMs: 0,
    clockSkewMs: 2000,
    now: clock.now,
    ...extra,
  });
}

function writes(): number {
  const calls = env().calls();
  return (calls['ecs:TagResource'] ?? 0) + (calls['ecs:UntagResource'] ?? 0);
}

async function anchorTags(): Promise<Record<string, string>> {
  const out = await env().ecs.send(
    new DescribeClustersCommand({ clusters: [leaseAnchorName('prod')], include: ['TAGS'] }),
  );
  return Object.fromEntries((out.clusters?.[0]?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
}

describe('ECS tag lease', () => {
  it('given no lease yet, when the first controller acquires, then it creates the anchor cluster and holds the lease', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);

    expect(await a.acquire()).toBe(true);

    expect(a.isHeld()).toBe(true);
    const holder = await a.holder();
    expect(holder).toMatchObject({ id: 'task-a', expiresAt: new Date(clock.now().getTime() + TTL_MS) });
    const tags = await anchorTags();
    expect(tags[LEASE_TAGS.for]).toBe('prod');
    expect(tags[LEASE_TAGS.holder]).toBe('task-a');
    // The anchor is not an owned resource: prune must never see it.
    expect(tags['ecs-gitops/managed-by']).toBeUndefined();
  });

  it('given a valid lease held by A, when B tries, then B is refused without writing anything', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    await a.acquire();
    env().resetCalls();

    expect(await b.acquire()).toBe(false);
    expect(await b.holds()).toBe(false);
    expect(await b.renew()).toBe(false);

    expect(writes()).toBe(0);
    expect(b.isHeld()).toBe(false);
    expect((await b.holder())?.id).toBe('task-a');
  });

  it('given A stops renewing, when its lease expires (plus clock skew), then B takes over and A notices it lost', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    await a.acquire();

    clock.advance(TTL_MS + 1000); // expired, but inside the 2 s skew allowance
    expect(await b.acquire()).toBe(false);
    clock.advance(1500);
    expect(await b.acquire()).toBe(true);

    expect((await b.holder())?.id).toBe('task-b');
    // A comes back (e.g. after a long GC pause or a network partition): it must stop writing.
    env().resetCalls();
    expect(await a.renew()).toBe(false);
    expect(await a.acquire()).toBe(false);
    expect(a.isHeld()).toBe(false);
    expect(writes()).toBe(0);
  });

  it('given A holds the lease, when it renews in the second half of the ttl, then the expiry moves and B stays out', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    await a.acquire();
    const first = (await a.holder())?.expiresAt.getTime() ?? 0;

    // Early in the lease a pass costs one read and no write.
    clock.advance(TTL_MS / 4);
    env().resetCalls();
    expect(await a.acquire()).toBe(true);
    expect(writes()).toBe(0);

    clock.advance(TTL_MS / 2);
    expect(await a.acquire()).toBe(true);
    expect(writes()).toBe(1);
    const second = (await a.holder())?.expiresAt.getTime() ?? 0;
    expect(second - first).toBe((TTL_MS * 3) / 4);

    // Past the first expiry, the renewed lease still keeps B out.
    clock.advance(TTL_MS / 2);
    expect(await b.acquire()).toBe(false);
    expect(await a.renew()).toBe(true);
    expect((await a.holder())?.acquiredAt?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('given A holds the lease, when A releases it on shutdown, then B acquires at once', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    await a.acquire();

    await a.release();

    expect(a.isHeld()).toBe(false);
    expect(await a.holder()).toBeUndefined();
    expect(await b.acquire()).toBe(true);
    // A released lease never comes back by itself.
    expect(await a.renew()).toBe(false);
  });

  it('given B took over after A expired, when A releases late, then B keeps its lease', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    await a.acquire();
    clock.advance(TTL_MS + 5000);
    await b.acquire();

    await a.release();

    expect((await b.holder())?.id).toBe('task-b');
    expect(await b.renew()).toBe(true);
  });

  /** A client whose TagResource requests spend `ms` on the way to ECS (a slow network path). */
  function slowTagClient(ms: number) {
    const { ecs } = env().clients();
    ecs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TagResourceCommand') await new Promise((r) => setTimeout(r, ms));
        return next(args);
      },
      { step: 'build', name: 'slowTagResource' },
    );
    return { ecs };
  }

  async function race(settleMs: number): Promise<boolean[]> {
    const clock = wallClock();
    await leaseFor('observer', clock).holder(); // the anchor exists; both contenders see it free
    const a = leaseFor('task-a', clock, { settleMs });
    const b = leaseFor('task-b', clock, { settleMs, clients: slowTagClient(150) });
    return Promise.all([a.acquire(), b.acquire()]);
  }

  it('given two controllers starting at the same moment, when both acquire, then exactly one holds the lease', async () => {
    // B's write lands 150 ms after A's; A's read-back waits out the settle delay and sees it.
    const results = await race(400);
    expect(results).toEqual([false, true]);
  });

  it('given no settle delay, when a slower write lands after the first read-back, then both would believe they won', async () => {
    // Why the settle delay exists (and why it must exceed a write's latency): last-writer-wins tags.
    const results = await race(0);
    expect(results).toEqual([true, true]);
  });

  it('given the same task restarts its process, when it acquires again, then it takes its own lease over without waiting', async () => {
    const clock = wallClock();
    const before = leaseFor('arn:aws:ecs:us-east-1:123456789012:task/ops/abc', clock);
    await before.acquire();

    const after = leaseFor('arn:aws:ecs:us-east-1:123456789012:task/ops/abc', clock);
    expect(await after.acquire()).toBe(true);

    // The earlier incarnation's token is gone: it would notice on its next renewal.
    expect(await before.renew()).toBe(false);
  });

  it('given ECS cannot be reached, when the reconciler asks, then it may write only inside the lease it already holds', async () => {
    const clock = wallClock();
    const a = leaseFor('task-a', clock);
    const b = leaseFor('task-b', clock);
    expect(await a.holds()).toBe(true);
    await env().fault({ operation: 'ecs:DescribeClusters', kind: 'server-error' });

    clock.advance(TTL_MS / 2);
    expect(await a.holds()).toBe(true);
    expect(await b.holds()).toBe(false);
    clock.advance(TTL_MS / 2 + 1);
    expect(await a.holds()).toBe(false);
    await expect(a.acquire()).rejects.toThrow(/DescribeClusters/);
  });

  it('given a cluster of that name that is not a lease anchor, when acquiring, then it refuses to touch it', async () => {
    await env().ecs.send(new CreateClusterCommand({ clusterName: leaseAnchorName('prod') }));
    const a = leaseFor('task-a', wallClock());

    await expect(a.acquire()).rejects.toBeInstanceOf(LeaseError);
    expect(await a.holds()).toBe(false);
    expect(writes()).toBe(0);
  });

  it('given odd instance names, when naming the anchor, then the name is a valid ECS cluster name', () => {
    expect(leaseAnchorName('ecs-gitops')).toBe('ecs-gitops-lease-ecs-gitops');
    expect(leaseAnchorName('team a/prod')).toBe('ecs-gitops-lease-team-a-prod');
    expect(leaseAnchorName('x'.repeat(300))).toHaveLength(255);
  });
});
