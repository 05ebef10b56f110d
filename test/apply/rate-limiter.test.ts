import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../controller/aws/clients.js';
import { bucketFor, RateLimiter } from '../../controller/aws/rate-limiter.js';
import { ManualClock } from './manual-clock.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimiter', () => {
  it('lets a burst through, then paces at the sustained rate', async () => {
    // given RegisterTaskDefinition's bucket: 3 burst, 1 per second
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      headroom: 1,
      clock,
      buckets: { 'ecs.taskDefinitionRegister': { capacity: 3, refillPerSecond: 1 } },
    });
    // when 5 registrations ask at once
    const done: number[] = [];
    const calls = [0, 1, 2, 3, 4].map((i) =>
      limiter.acquire('ecs', 'RegisterTaskDefinition').then(() => done.push(i)),
    );
    await flush();
    // then the burst goes immediately and the rest wait one second each, in arrival order
    expect(done).toEqual([0, 1, 2]);
    expect(clock.sleeps).toEqual([1000, 2000]);
    clock.advance(1000);
    await flush();
    expect(done).toEqual([0, 1, 2, 3]);
    clock.advance(1000);
    await Promise.all(calls);
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.stats()['ecs.taskDefinitionRegister']).toEqual({
      acquired: 5,
      delayed: 2,
      waitedMs: 3000,
      throttled: 0,
    });
  });

  it('refills while idle, never beyond capacity', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      headroom: 1,
      clock,
      buckets: { 'ecs.serviceRead': { capacity: 2, refillPerSecond: 10 } },
    });
    await limiter.acquire('ecs', 'DescribeServices');
    await limiter.acquire('ecs', 'DescribeServices');
    // a long idle period refills to 2, not to 100
    clock.advance(10_000);
    await limiter.acquire('ecs', 'ListServices');
    await limiter.acquire('ecs', 'DescribeServices');
    const third = limiter.acquire('ecs', 'DescribeServices');
    await flush();
    expect(clock.sleeps).toEqual([100]);
    clock.advance(100);
    await third;
  });

  it('keeps buckets independent per action group', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      headroom: 1,
      clock,
      buckets: { 'ecs.taskDefinitionRegister': { capacity: 1, refillPerSecond: 1 } },
    });
    await limiter.acquire('ecs', 'RegisterTaskDefinition');
    // an empty registration bucket does not hold up service reads
    await limiter.acquire('ecs', 'DescribeServices');
    expect(clock.sleeps).toEqual([]);
  });

  it('slows only the throttled action group to its sustained rate', async () => {
    // given a full registration bucket and a full service-read bucket
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, headroom: 1 });
    // when ECS throttles a RegisterTaskDefinition anyway (another client shares the account)
    limiter.throttled('ecs', 'RegisterTaskDefinition');
    // then the next registration waits for a refill, service reads do not
    const register = limiter.acquire('ecs', 'RegisterTaskDefinition');
    await limiter.acquire('ecs', 'DescribeServices');
    await flush();
    expect(clock.sleeps).toEqual([1000]);
    clock.advance(1000);
    await register;
    expect(limiter.stats()['ecs.taskDefinitionRegister']).toMatchObject({ throttled: 1, delayed: 1 });
  });

  it('maps operations to ECS action groups', () => {
    expect(bucketFor('ecs', 'DescribeServices')).toBe('ecs.serviceRead');
    expect(bucketFor('ecs', 'UpdateService')).toBe('ecs.serviceModify');
    expect(bucketFor('ecs', 'RegisterTaskDefinition')).toBe('ecs.taskDefinitionRegister');
    expect(bucketFor('ecs', 'PutClusterCapacityProviders')).toBe('ecs.clusterModify');
    expect(bucketFor('application-autoscaling', 'DescribeScalableTargets')).toBe('autoscaling.read');
    expect(bucketFor('application-autoscaling', 'PutScalingPolicy')).toBe('autoscaling.modify');
  });

  it('refills a little slower than ECS by default, to stay clear of its buckets', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      clock,
      buckets: { 'ecs.taskDefinitionRegister': { capacity: 1, refillPerSecond: 1 } },
    });
    await limiter.acquire('ecs', 'RegisterTaskDefinition');
    const next = limiter.acquire('ecs', 'RegisterTaskDefinition');
    await flush();
    expect(clock.sleeps).toEqual([1112]);
    clock.advance(1112);
    await next;
  });

  it('rejects a bucket that could never refill', () => {
    expect(() => new RateLimiter({ buckets: { 'ecs.other': { capacity: 1, refillPerSecond: 0 } } })).toThrow(
      /ecs.other/,
    );
  });
});

describe('rate limiter in the SDK clients', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('holds every HTTP attempt, retries included, until a token is free', async () => {
    // given an ECS-speaking HTTP server that throttles the first attempt
    let requests = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests += 1;
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (requests === 1) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
          return;
        }
        res.end(JSON.stringify({ clusters: [], failures: [] }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const clock = new ManualClock();
    const limiter = new RateLimiter({
      headroom: 1,
      clock,
      buckets: { 'ecs.clusterRead': { capacity: 1, refillPerSecond: 1 } },
    });
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    const clients = createAwsClients(
      { region: 'us-east-1', endpointUrl: `http://127.0.0.1:${port}`, maxAttempts: 3 },
      undefined,
      { rateLimiter: limiter },
    );
    try {
      // when one DescribeClusters is sent and its first attempt is throttled
      const call = clients.ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
      // then the retry waits for the limiter's next token (the SDK's own backoff runs first)
      for (let i = 0; i < 200 && clock.waiting === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(requests).toBe(1);
      expect(clock.waiting).toBe(1);
      clock.advance(1000);
      await call;
      expect(requests).toBe(2);
      expect(clients.counter.snapshot()).toEqual({ 'ecs:DescribeClusters': 2 });
      expect(limiter.stats()['ecs.clusterRead']).toMatchObject({ acquired: 2, delayed: 1, throttled: 1 });
    } finally {
      clients.destroy();
    }
  });
});
