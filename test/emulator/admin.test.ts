import { DescribeServicesCommand, ListClustersCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../emulator/admin/rate-limits.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { describeService, errorOf, givenCluster, givenService, givenTaskDefinition } from './world.js';

const env = useTestEmulator();

describe('admin API', () => {
  it('counts every call per operation, faulted ones included, and resets the counts', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await e.fault({ operation: 'ecs:ListClusters', kind: 'throttle', count: 1 });
    await errorOf(e.ecs.send(new ListClustersCommand({})));
    await e.ecs.send(new ListClustersCommand({}));
    expect(await e.admin('GET', '/_emulator/calls')).toEqual({
      'ecs:CreateCluster': 1,
      'ecs:ListClusters': 2,
    });
    expect(e.calls()).toEqual({ 'ecs:CreateCluster': 1, 'ecs:ListClusters': 2 });
    await e.admin('POST', '/_emulator/calls/reset');
    expect(e.calls()).toEqual({});
  });

  it('reports and advances the clock', async () => {
    const e = env();
    const before = (await e.admin('GET', '/_emulator/clock')) as { mode: string; epochSeconds: number };
    expect(before.mode).toBe('manual');
    const after = (await e.admin('POST', '/_emulator/clock/advance', { seconds: 90 })) as {
      epochSeconds: number;
    };
    expect(after.epochSeconds - before.epochSeconds).toBeCloseTo(90, 3);
    await expect(e.admin('POST', '/_emulator/clock/advance', { seconds: -1 })).rejects.toThrow(/400/);
  });

  it('wipes all state on reset and dumps state as JSON', async () => {
    const e = env();
    await givenCluster(e.ecs);
    const dump = (await e.admin('GET', '/_emulator/state')) as {
      regions: Record<string, { clusters: object }>;
    };
    expect(Object.keys(dump.regions['us-east-1']!.clusters)).toEqual(['prod']);
    await e.admin('POST', '/_emulator/reset');
    expect((await e.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });
});

describe('fault injection', () => {
  it('throttles matching calls count times with ThrottlingException (HTTP 400), then recovers', async () => {
    const e = env();
    await e.fault({ operation: 'ecs:ListClusters', kind: 'throttle', count: 2 });
    expect(await errorOf(e.ecs.send(new ListClustersCommand({})))).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      status: 400,
    });
    await errorOf(e.ecs.send(new ListClustersCommand({})));
    await expect(e.ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('skip lets the first matching calls through, then the rule hits', async () => {
    const e = env();
    await e.fault({ operation: 'ecs:ListClusters', kind: 'throttle', count: 1, skip: 2 });
    await expect(e.ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    await expect(e.ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    expect(await errorOf(e.ecs.send(new ListClustersCommand({})))).toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(e.ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('answers ServerException 500 and the SDK retries through it', async () => {
    const e = env();
    await e.fault({ operation: 'ecs:ListClusters', kind: 'server-error', count: 1 });
    expect(await errorOf(e.ecs.send(new ListClustersCommand({})))).toMatchObject({
      name: 'ServerException',
      status: 500,
    });
    await e.fault({ operation: 'ecs:ListClusters', kind: 'server-error', count: 1 });
    const retrying = e.clients({ maxAttempts: 3 });
    await expect(retrying.ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    expect(e.calls()['ecs:ListClusters']).toBe(3);
  });

  it('adds latency', async () => {
    const e = env();
    await e.fault({ operation: 'ecs:ListClusters', kind: 'latency', latencyMs: 150, count: 1 });
    const started = performance.now();
    await e.ecs.send(new ListClustersCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drop-after-commit applies the write but the client gets no answer; match.service narrows it', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs);
    await givenService(e.ecs, { desiredCount: 1 });
    await givenService(e.ecs, { serviceName: 'api', desiredCount: 1 });
    await e.fault({
      operation: 'ecs:UpdateService',
      kind: 'drop-after-commit',
      count: 1,
      match: { service: 'web' },
    });
    await expect(
      e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 2 })),
    ).resolves.toBeDefined();
    const dropped = await errorOf(
      e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 })),
    );
    expect(dropped.status).toBeUndefined();
    expect((await describeService(e.ecs, 'web')).desiredCount).toBe(3);
  });

  it('rate-limit enables ECS-shaped token buckets (service reads: burst 100)', async () => {
    const e = env();
    await givenCluster(e.ecs);
    await e.fault({ kind: 'rate-limit' });
    // The buckets refill on wall-clock time (20 a second), so how many calls pass before the first
    // refusal depends on how fast this machine sends them; send in bursts of 50 until one is refused
    // (the exact numbers are checked below on a fixed clock). Only a client slower than the refill
    // itself would never see one.
    const errors: string[] = [];
    for (let burst = 0; burst < 20 && !errors.includes('ThrottlingException'); burst++) {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          e.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['x'] })),
        ),
      );
      for (const r of results) if (r.status === 'rejected') errors.push((r.reason as Error).name);
    }
    expect(errors).toContain('ThrottlingException');
    expect(errors.filter((name) => name !== 'ThrottlingException')).toEqual([]);
    await e.admin('DELETE', '/_emulator/faults');
    await expect(
      e.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['x'] })),
    ).resolves.toBeDefined();
  });

  it('share hits an even, repeatable share of the matching calls (0.25: every fourth), count caps the hits', async () => {
    const e = env();
    await e.fault({ operation: 'ecs:ListClusters', kind: 'server-error', share: 0.25, count: 2 });
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const result = await e.ecs.send(new ListClustersCommand({})).then(
        () => 'ok',
        (error: Error) => error.name,
      );
      outcomes.push(result);
    }
    expect(outcomes.map((o, i) => (o === 'ok' ? '' : i + 1)).filter(Boolean)).toEqual([4, 8]);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(['ServerException', 'ServerException']);
    await expect(e.fault({ kind: 'throttle', share: 0 })).rejects.toThrow(/share must be/);
    await expect(e.fault({ kind: 'throttle', share: 1.5 })).rejects.toThrow(/share must be/);
  });

  it('a service-read bucket holds 100 calls and refills 20 per second (fixed clock)', () => {
    const limiter = new RateLimiter(undefined);
    const at = (ms: number) => limiter.allow('us-east-1', 'ecs:DescribeServices', ms);
    const first = Array.from({ length: 130 }, () => at(1_000_000));
    expect(first.filter((ok) => !ok)).toHaveLength(30);
    const halfSecondLater = Array.from({ length: 15 }, () => at(1_000_500));
    expect(halfSecondLater.filter(Boolean)).toHaveLength(10);
  });

  it('rejects malformed fault rules', async () => {
    const e = env();
    await expect(e.fault({ kind: 'explode' })).rejects.toThrow(/400/);
    await expect(e.fault({ kind: 'throttle', operation: 'UpdateService' })).rejects.toThrow(/400/);
  });

  it('changes the failing-image rule at runtime through /_emulator/config', async () => {
    const e = env();
    expect(await e.admin('POST', '/_emulator/config', { failImagePattern: 'bad' })).toEqual({
      failImagePattern: 'bad',
    });
    expect(await e.admin('POST', '/_emulator/config', { failImagePattern: null })).toEqual({
      failImagePattern: null,
    });
  });
});
