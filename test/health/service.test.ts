import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceHealth } from '../../controller/health/service.js';
import type { LiveService } from '../../controller/live/model.js';

interface Fixture {
  readonly service: LiveService;
  readonly options?: { expectedDeploymentId?: string; stoppedReasons?: string[] };
  readonly expected: { state: string; reason: string; messageIncludes?: string };
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
    const result = serviceHealth(fixture.service, fixture.options);
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
    expect(serviceHealth(service, fixture!.options).state).toBe('Degraded');
  });

  it('reports the first stoppedReason in a failure message', () => {
    const fixture = fixtures.find(([name]) => name === 'degraded-rolled-back-steady-counts')?.[1];
    const result = serviceHealth(fixture!.service, {
      ...fixture!.options,
      stoppedReasons: [
        '',
        'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:...)',
      ],
    });
    expect(result.message).toContain('Task failed ELB health checks');
  });
});
