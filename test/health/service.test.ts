import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ServiceHealthOptions, serviceHealth } from '../../controller/health/service.js';
import type { LiveService, LiveServiceDeployment } from '../../controller/live/model.js';
import type { GatePolicy } from '../../controller/manifest/approval-gate.js';

interface Fixture {
  readonly service: LiveService;
  readonly options?: {
    expectedDeploymentId?: string;
    stoppedReasons?: string[];
    /** BLUE_GREEN / LINEAR / CANARY: the current service deployment, and when it was read. */
    serviceDeployment?: LiveServiceDeployment;
    now?: string;
    /** The manifest's gate (`ecs-gitops/approval` / `analysis`): who answers a PAUSE hook. */
    gate?: GatePolicy;
  };
  readonly expected: { state: string; reason: string; messageIncludes?: string };
}

/** The fixture's options with `now` as a Date. */
function optionsOf(fixture: Fixture): ServiceHealthOptions {
  const { now, ...options } = fixture.options ?? {};
  return { ...options, ...(now ? { now: new Date(now) } : {}) };
}

const dir = new URL('./fixtures/service/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map(
    (file) =>
      [file.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Fixture] as const,
  );

describe('serviceHealth', () => {
  it('has fixtures for every state', () => {
    const states = new Set(fixtures.map(([, f]) => f.expected.state));
    expect([...states].sort()).toEqual(['Degraded', 'Healthy', 'Missing', 'Progressing']);
  });

  it.each(fixtures)('%s', (_name, fixture) => {
    // given a DescribeServices service (and maybe the deployment we created)
    // when its health is computed
    const result = serviceHealth(fixture.service, optionsOf(fixture));
    // then state and reason match the golden expectation
    expect({ state: result.state, reason: result.reason }).toEqual({
      state: fixture.expected.state,
      reason: fixture.expected.reason,
    });
    expect(result.message).not.toBe('');
    if (fixture.expected.messageIncludes) expect(result.message).toContain(fixture.expected.messageIncludes);
  });

  it('is Missing for an absent service', () => {
    expect(serviceHealth(undefined).state).toBe('Missing');
  });

  it('calls a rollback Degraded where the SDK waiter calls it stable', () => {
    // given a service whose deployment ecs-svc/222 was rolled back and replaced by a steady ecs-svc/333
    const fixture = fixtures.find(([name]) => name === 'degraded-expected-deployment-gone')?.[1];
    expect(fixture).toBeDefined();
    const service = fixture!.service;
    // when the SDK waiter's acceptor (services-stable: one deployment, running == desired) looks at it
    const deployments = service.deployments as unknown[];
    const waiterStable = deployments.length === 1 && service.runningCount === service.desiredCount;
    // then the waiter would report success, but we report the rollback
    expect(waiterStable).toBe(true);
    expect(serviceHealth(service, optionsOf(fixture!)).state).toBe('Degraded');
  });

  it('reports the first stoppedReason in a failure message', () => {
    const fixture = fixtures.find(([name]) => name === 'degraded-rolled-back-steady-counts')?.[1];
    const result = serviceHealth(fixture!.service, {
      ...optionsOf(fixture!),
      stoppedReasons: [
        '',
        'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:...)',
      ],
    });
    expect(result.message).toContain('Task failed ELB health checks');
  });

  it('never calls a rolled-back blue/green deploy Healthy, though its counts are steady', () => {
    // given the service of a blue/green deployment that was rolled back: blue runs in full, alone
    const fixture = fixtures.find(([name]) => name === 'degraded-blue-green-rolled-back-steady-counts')?.[1];
    expect(fixture).toBeDefined();
    // when judged on the counts alone it looks Healthy…
    expect(serviceHealth(fixture!.service).state).toBe('Healthy');
    // …then with its service deployment it is Degraded, RolledBack, with the reason
    const result = serviceHealth(fixture!.service, optionsOf(fixture!));
    expect(result).toMatchObject({ state: 'Degraded', reason: 'RolledBack' });
    expect(result.message).toContain('CloudWatch alarm(s) web-5xx in ALARM state.');
  });

  it('ignores a service deployment that is not the current one', () => {
    const fixture = fixtures.find(([name]) => name === 'degraded-blue-green-rolled-back-steady-counts')?.[1];
    const service = {
      ...fixture!.service,
      currentServiceDeployment: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/newer',
    };
    expect(serviceHealth(service, optionsOf(fixture!)).state).toBe('Healthy');
  });
});
