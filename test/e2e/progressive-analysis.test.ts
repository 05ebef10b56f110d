// ecs-gitops/analysis end to end: `run` against a real Git repository and the emulator over the real
// SDK, the analysis a real HTTP server. While the check answers 2xx the controller promotes the
// blue/green gate itself (Healthy); once it answers 500 the next commit is rolled back at the gate:
// reported RolledBack / Degraded with one RolloutFailed, never Healthy nor a successful commit status, each check
// recorded in the status (API and status branch), and the rolled-back content not re-deployed.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommitSummary, summarize } from '../../controller/commit-status/summary.js';
import type { ResourceStatus } from '../../controller/status/model.js';
import { readTree } from '../helpers/git.js';
import { type Harness, startHarness, waitForStatus } from './harness.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'manifests', 'examples-progressive');

let h: Harness;
let checks: ChecksServer;
type ChecksServer = Server & { answer: number; hits: number };
let files: Record<string, string>;

/** catalog.yaml (BLUE_GREEN, bake 2 min) with the analysis annotation on its Service. */
function withAnalysis(catalog: string, url: string): string {
  const [taskDefinition, service] = catalog.split('kind: Service\nmetadata: {name: catalog}\n');
  if (service === undefined) throw new Error('catalog.yaml changed shape');
  return `${taskDefinition}kind: Service\nmetadata:\n  name: catalog\n  annotations:\n    ecs-gitops/analysis: "${url} count=2 interval=1s timeout=2s"\n${service}`;
}

beforeAll(async () => {
  checks = Object.assign(
    createServer((_req, res) => {
      checks.hits++;
      res.writeHead(checks.answer).end();
    }),
    { answer: 200, hits: 0 },
  );
  await new Promise<void>((done) => checks.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(checks.address() as AddressInfo).port}/catalog/health`;
  h = await startHarness({ dir: 'progressive' });
  files = {
    'progressive/cluster.yaml': await readFile(join(EXAMPLE, 'cluster.yaml'), 'utf8'),
    'progressive/catalog.yaml': withAnalysis(await readFile(join(EXAMPLE, 'catalog.yaml'), 'utf8'), url),
  };
  await h.repo.commit(files, 'catalog with an analysis gate');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await new Promise((done) => checks?.close(done));
});

const catalog = () => h.app.store.snapshot().resources.find((r) => r.key === 'Service/catalog');

function alertsOf(type: string): Record<string, unknown>[] {
  return h.receiver.received
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .map((body) => (body.event as Record<string, unknown> | undefined) ?? body)
    .filter((event) => event.type === type);
}

describe('an analysis gate on a blue/green service', () => {
  it('promotes itself while the check passes, and rolls back (reported as rolled back) when it answers 500', async () => {
    // (what the status said while a gate waited: the analysis, not a person, answers it)
    const gateMessages = new Set<string>();
    const stopWatching = h.app.store.subscribe((snapshot) => {
      const service = snapshot.resources.find((r) => r.key === 'Service/catalog');
      if (service?.serviceDeployment?.waitingFor) gateMessages.add(service.healthMessage ?? '');
    });
    // given the service created while the check answers 204: the controller continues its gate
    await waitForStatus(
      h.app,
      () => catalog()?.health === 'Healthy' && catalog()?.serviceDeployment?.status === 'SUCCESSFUL',
      60_000,
    );
    expect(catalog()?.analyses?.at(-1)).toMatchObject({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      state: 'Passed',
      answer: 'CONTINUE',
    });
    expect(
      catalog()
        ?.analyses?.at(-1)
        ?.checks.map((c) => c.httpStatus),
    ).toEqual([200, 200]);
    const firstArn = catalog()!.serviceDeployment!.arn;
    // and while it waited, it said the analysis was running, and nobody was asked to approve
    stopWatching();
    expect([...gateMessages]).toEqual([
      expect.stringMatching(
        /^blue\/green 0% \(test 100%\) · analysis running at POST_TEST_TRAFFIC_SHIFT \(hook /,
      ),
    ]);
    expect(alertsOf('AwaitingApproval')).toEqual([]);

    // when the check starts answering 500 and a new image is committed
    checks.answer = 500;
    const seen: Array<Pick<ResourceStatus, 'health' | 'sync'> & { arn: string | undefined }> = [];
    const verdicts: CommitSummary[] = [];
    const unsubscribe = h.app.store.subscribe((snapshot) => {
      const service = snapshot.resources.find((r) => r.key === 'Service/catalog');
      if (service)
        seen.push({ health: service.health, sync: service.sync, arn: service.serviceDeployment?.arn });
      const verdict = summarize(snapshot);
      if (verdict) verdicts.push(verdict);
    });
    const revision = await h.repo.commit(
      {
        'progressive/catalog.yaml': files['progressive/catalog.yaml']!.replace('nginx:1.27', 'nginx:1.28'),
      },
      'catalog: nginx 1.28',
    );

    // then the controller rolls the deployment back at the gate: ROLLBACK_SUCCESSFUL, Degraded
    await waitForStatus(
      h.app,
      () =>
        catalog()?.serviceDeployment?.arn !== firstArn &&
        catalog()?.serviceDeployment?.status === 'ROLLBACK_SUCCESSFUL',
      60_000,
    );
    await waitForStatus(h.app, () => catalog()?.health === 'Degraded', 10_000);
    unsubscribe();
    const rolledBack = catalog()!;
    expect(rolledBack.healthMessage).toMatch(/rolled back \(ROLLBACK_SUCCESSFUL\)/);
    const run = rolledBack.analyses?.at(-1);
    expect(run).toMatchObject({
      serviceDeploymentArn: rolledBack.serviceDeployment!.arn,
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      state: 'Failed',
      answer: 'ROLLBACK',
    });
    expect(run?.checks).toEqual([
      expect.objectContaining({ ok: false, httpStatus: 500, error: 'HTTP 500 (expected 2xx)' }),
    ]);
    expect(rolledBack.approvals?.at(-1)).toMatchObject({
      action: 'rollback',
      by: 'analysis',
      serviceDeploymentArn: rolledBack.serviceDeployment!.arn,
    });
    // and it was never reported as a success: never Healthy on that deployment, and the commit's
    // status (what GitHub / GitLab show) went pending → failure, never success
    expect(seen.filter((s) => s.arn === rolledBack.serviceDeployment!.arn && s.health === 'Healthy')).toEqual(
      [],
    );
    const ofRevision = verdicts.filter((v) => v.revision === revision);
    expect(ofRevision.map((v) => v.state)).not.toContain('success');
    expect(ofRevision.at(-1)).toMatchObject({ state: 'failure', resource: 'Service/catalog' });
    await expect
      .poll(() => alertsOf('RolloutFailed').filter((event) => event.resource === 'Service/catalog').length, {
        timeout: 10_000,
      })
      .toBe(1);

    // and /api/status and the status branch carry the evaluation
    const api = (await (await fetch(`${h.app.url}/api/status`)).json()) as { resources: ResourceStatus[] };
    expect(api.resources.find((r) => r.key === 'Service/catalog')?.analyses?.at(-1)?.answer).toBe('ROLLBACK');
    await expect
      .poll(
        async () => {
          const tree = await readTree(h.repo.remote, 'ecs-gitops/status').catch(
            () => ({}) as Record<string, string>,
          );
          return tree['status/Service/catalog.yaml'] ?? '';
        },
        { timeout: 15_000 },
      )
      .toMatch(/httpStatus: 500[\s\S]*answer: ROLLBACK/);

    // and the rolled-back content is not deployed again, nor evaluated again
    const hits = checks.hits;
    h.emulator.resetCalls();
    await new Promise((done) => setTimeout(done, 3000));
    expect(h.emulator.calls()['ecs:UpdateService'] ?? 0).toBe(0);
    expect(checks.hits).toBe(hits);
    expect(catalog()?.sync).toBe('Failed');
  }, 240_000);
});
