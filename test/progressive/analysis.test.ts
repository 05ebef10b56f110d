// ecs-gitops/analysis: the HTTP check against a real HTTP server (2xx passes; 500, a timeout and a
// refused connection fail), and the runner that answers the gate (the AWS side is a fake port here;
// test/e2e/progressive-analysis.test.ts runs it against the emulator).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSpec } from '../../controller/manifest/approval-gate.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { AnalysisRunner, analysisVerdict, gatesToAnalyse } from '../../controller/progressive/analysis.js';
import { type CheckOutcome, checkAnalysis } from '../../controller/progressive/analysis-check.js';
import { type GateAction, GateError, type GateTarget } from '../../controller/progressive/gate.js';
import type { ResourceStatus } from '../../controller/status/model.js';
import type { KeyString } from '../../controller/types.js';
import { CLUSTER, load, SERVICE, TASK_DEFINITION } from '../manifest/helpers.js';

let server: Server;
let base: string;
const hanging: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(204).end();
    else if (req.url === '/fail') res.writeHead(500).end('boom');
    else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
    else if (req.url === '/hang') hanging.push(() => res.writeHead(200).end());
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const release of hanging) release();
  await new Promise((done) => server.close(done));
});

const spec = (path: string, options: Partial<AnalysisSpec> = {}): AnalysisSpec => ({
  url: `${base}${path}`,
  count: 3,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  ...options,
});

describe('one analysis check', () => {
  it('passes on 2xx (after redirects) and fails on 500, 404, a timeout or a refused connection', async () => {
    expect(await checkAnalysis(spec('/ok'))).toEqual({ ok: true, httpStatus: 204 });
    expect(await checkAnalysis(spec('/moved'))).toEqual({ ok: true, httpStatus: 204 });
    expect(await checkAnalysis(spec('/fail'))).toEqual({
      ok: false,
      httpStatus: 500,
      error: 'HTTP 500 (expected 2xx)',
    });
    expect(await checkAnalysis(spec('/missing'))).toMatchObject({ ok: false, httpStatus: 404 });
    expect(await checkAnalysis(spec('/hang', { timeoutSeconds: 1 }))).toEqual({
      ok: false,
      error: 'timed out after 1 s',
    });
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const refused = await checkAnalysis({ ...spec('/'), url: `http://127.0.0.1:${port}/` });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^ECONNREFUSED/);
  });
});

describe('the verdict', () => {
  it('fails at the first failed check and passes after count passes', () => {
    const s = spec('/ok', { count: 2 });
    const ok = { at: 't', ok: true, httpStatus: 200 };
    const bad = { at: 't', ok: false, httpStatus: 503 };
    expect(analysisVerdict(s, [])).toBe('Running');
    expect(analysisVerdict(s, [ok])).toBe('Running');
    expect(analysisVerdict(s, [ok, ok])).toBe('Passed');
    expect(analysisVerdict(s, [ok, bad])).toBe('Failed');
    expect(analysisVerdict(s, [bad])).toBe('Failed');
  });
});

function desiredWith(annotations: string): DesiredState {
  const service = `${SERVICE.replace(
    'metadata: {name: web}',
    `metadata:\n  name: web\n  annotations:\n${annotations}`,
  )}  deploymentConfiguration: {strategy: BLUE_GREEN, bakeTimeInMinutes: 1}\n`;
  const result = load({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, service].join('---\n') });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.desired;
}

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

function waiting(hookId: string, stage = 'POST_TEST_TRAFFIC_SHIFT'): ResourceStatus {
  return {
    kind: 'Service',
    name: 'web',
    key: 'Service/web' as KeyString,
    sync: 'Synced',
    health: 'Progressing',
    conditions: [],
    diff: [],
    arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    serviceDeployment: {
      arn: ARN,
      status: 'IN_PROGRESS',
      strategy: 'BLUE_GREEN',
      stage,
      waitingFor: { hookId, targetType: 'PAUSE', status: 'AWAITING_ACTION' },
      awaitingApproval: true,
    },
  };
}

/** A runner whose checks answer from a script and whose gate answers are recorded. */
function harness(
  outcomes: CheckOutcome[],
  answer?: (action: GateAction) => void,
  lease: { held: boolean } = { held: true },
) {
  const statuses = new Map<KeyString, ResourceStatus>();
  const answers: Array<{ target: GateTarget; action: GateAction; hookId: string }> = [];
  const sleeps: number[] = [];
  const syncs: string[] = [];
  let checks = 0;
  const runner = new AnalysisRunner({
    check: async () => outcomes[checks++] ?? { ok: true, httpStatus: 200 },
    answer: async (target, action, hookId) => {
      answer?.(action);
      answers.push({ target, action, hookId });
      return {
        action,
        serviceDeploymentArn: ARN,
        stage: 'POST_TEST_TRAFFIC_SHIFT',
        hookId,
        via: 'ContinueServiceDeployment',
      };
    },
    updateResource: (key, update) => {
      const previous = statuses.get(key);
      if (previous) statuses.set(key, update(previous));
    },
    requestSync: (reason) => syncs.push(reason),
    now: () => new Date('2026-01-01T00:00:00Z'),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: () => undefined,
    mayWrite: async () => lease.held,
  });
  return {
    runner,
    answers,
    sleeps,
    syncs,
    checks: () => checks,
    status: () => statuses.get('Service/web' as KeyString),
    observe(status: ResourceStatus, desired: DesiredState) {
      // The status a pass left (what the runner recorded stays, as the reconciler keeps it).
      if (!statuses.has(status.key)) statuses.set(status.key, status);
      runner.observe([status], desired);
    },
  };
}

const ANALYSIS = `    ecs-gitops/analysis: "http://checks/web count=3 interval=20s timeout=2s"`;

describe('the analysis runner', () => {
  it('given a gate waiting with a check that fails its second request, when observed, then it answers ROLLBACK and records why', async () => {
    const h = harness([
      { ok: true, httpStatus: 200 },
      { ok: false, httpStatus: 500, error: 'HTTP 500 (expected 2xx)' },
    ]);
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.answers).toEqual([
      { target: { cluster: 'prod', service: 'web' }, action: 'rollback', hookId: 'hook-1' },
    ]);
    expect(h.checks()).toBe(2);
    expect(h.sleeps).toEqual([20_000]);
    const run = h.status()?.analyses?.at(-1);
    expect(run).toMatchObject({
      hookId: 'hook-1',
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      url: 'http://checks/web',
      state: 'Failed',
      answer: 'ROLLBACK',
    });
    expect(run?.checks.map((c) => c.httpStatus)).toEqual([200, 500]);
    expect(h.status()?.approvals?.at(-1)).toMatchObject({ action: 'rollback', by: 'analysis' });
    expect(h.syncs).toEqual(['analysis failed for Service/web']);
  });

  it('given every check passes, then it answers CONTINUE after count checks, once per gate', async () => {
    const h = harness([]);
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.answers.map((a) => a.action)).toEqual(['promote']);
    expect(h.checks()).toBe(3);
    expect(h.status()?.analyses?.at(-1)).toMatchObject({ state: 'Passed', answer: 'CONTINUE' });
    // when the next gate of the deployment waits (a new hook), it is evaluated afresh
    h.observe(waiting('hook-2'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.answers.map((a) => a.hookId)).toEqual(['hook-1', 'hook-2']);
    expect(h.status()?.analyses?.map((r) => r.hookId)).toEqual(['hook-1', 'hook-2']);
  });

  it('with approval: manual too, a pass is recorded and the person still answers; a failure rolls back', async () => {
    const both = `    ecs-gitops/approval: manual\n${ANALYSIS}`;
    const passed = harness([]);
    passed.observe(waiting('hook-1'), desiredWith(both));
    await passed.runner.idle();
    expect(passed.answers).toEqual([]);
    expect(passed.status()?.analyses?.at(-1)).toMatchObject({
      state: 'Passed',
      note: 'passed; ecs-gitops/approval: manual waits for a person to promote',
    });
    const failed = harness([{ ok: false, error: 'timed out after 2 s' }]);
    failed.observe(waiting('hook-1'), desiredWith(both));
    await failed.runner.idle();
    expect(failed.answers.map((a) => a.action)).toEqual(['rollback']);
  });

  it('on a standby replica (the write lease held elsewhere) evaluates nothing, until it holds the lease', async () => {
    const lease = { held: false };
    const h = harness([], undefined, lease);
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.checks()).toBe(0);
    expect(h.answers).toEqual([]);
    expect(h.status()?.analyses).toBeUndefined();
    lease.held = true;
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.answers.map((a) => a.action)).toEqual(['promote']);
  });

  it('leaves alone a gate without analysis, a PAUSE hook at another stage, and a gate someone answered first', async () => {
    expect(gatesToAnalyse([waiting('h')], desiredWith('    ecs-gitops/approval: manual'))).toEqual([]);
    expect(gatesToAnalyse([waiting('h', 'PRE_SCALE_UP')], desiredWith(ANALYSIS))).toEqual([]);
    const h = harness([], () => {
      throw new GateError('service prod/web no longer waits at hook hook-1');
    });
    h.observe(waiting('hook-1'), desiredWith(ANALYSIS));
    await h.runner.idle();
    expect(h.status()?.analyses?.at(-1)).toMatchObject({
      state: 'Passed',
      note: 'service prod/web no longer waits at hook hook-1',
    });
    expect(h.status()?.approvals).toBeUndefined();
  });
});
