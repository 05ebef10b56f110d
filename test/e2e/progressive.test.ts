// Progressive delivery end to end: `run` against a real Git repository and the emulator over the
// real SDK. A CANARY service with `ecs-gitops/approval: manual` waits at its gate (one
// AwaitingApproval alert), `ecs-gitops promote` lets it go on until Healthy; the next commit is
// rolled back with the dashboard's button in Chromium: Degraded, RolloutFailed, and no re-deploy loop.
// SyncSucceeded and the commit status say success only for the commit whose deployment completed
// SUCCESSFUL; the rolled-back one goes pending → failure and is never announced as succeeded.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommitSummary, summarize } from '../../controller/commit-status/summary.js';
import { launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { type Harness, startHarness, waitForStatus } from './harness.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'manifests', 'examples-progressive');

async function exampleFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(EXAMPLE))
    files[`progressive/${name}`] = await readFile(join(EXAMPLE, name), 'utf8');
  return files;
}

let h: Harness;
let files: Record<string, string>;

beforeAll(async () => {
  h = await startHarness({ dir: 'progressive' });
  files = await exampleFiles();
  await h.repo.commit(files, 'progressive example');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Webhook alerts of a type (the payload carries the event at its top or under `event`). */
function alertsOf(type: string): Record<string, unknown>[] {
  return h.receiver.received
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .map((body) => (body.event as Record<string, unknown> | undefined) ?? body)
    .filter((event) => event.type === type);
}

const checkout = () => h.app.store.snapshot().resources.find((r) => r.key === 'Service/checkout');

const answered = new Set<string>();

/** Waits until the service waits at a gate not answered before (the status lags a pass behind). */
async function nextGate() {
  await waitForStatus(
    h.app,
    () => {
      const hook = checkout()?.serviceDeployment?.waitingFor?.hookId;
      return (
        checkout()?.serviceDeployment?.awaitingApproval === true && hook !== undefined && !answered.has(hook)
      );
    },
    30_000,
  );
  const gate = checkout()!;
  answered.add(gate.serviceDeployment!.waitingFor!.hookId);
  return gate;
}

async function promote(): Promise<string> {
  const out = await runCliCaptured([
    'promote',
    'Service/checkout',
    '--cluster',
    'shop',
    '--endpoint-url',
    h.emulator.url,
    '--region',
    'us-east-1',
  ]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout;
}

/** Roll back on the service's dashboard page, in Chromium, as `by` (or through its API without Chromium). */
async function rollBackFromDashboard(by: string): Promise<void> {
  const browser = await launchBrowser();
  if (!browser) {
    console.warn(`rolling back through the API the dashboard calls: ${SKIP_REASON}`);
    const response = await fetch(`${h.app.url}/api/resources/Service/checkout/rollback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by }),
    });
    expect(response.status).toBe(200);
    return;
  }
  try {
    const page = await browser.newPage();
    await page.goto(`${h.app.url}/#/Service/checkout`);
    await page.getByTestId('progressive').waitFor({ state: 'visible' });
    await page.getByTestId('gate-by').fill(by);
    await page.getByTestId('rollback').click();
    await page.getByText(/^rolled back Service\/checkout at PRE_PRODUCTION_TRAFFIC_SHIFT/).waitFor();
  } finally {
    await browser.close();
  }
}

describe('a canary with a manual approval gate', () => {
  it('waits at the gate, is promoted to Healthy; a rolled-back commit is Degraded once and not re-deployed', async () => {
    // given the example deployed (the first deployment of a new service passes its gates too)
    await nextGate();
    await promote();
    await nextGate();
    await promote();
    await waitForStatus(
      h.app,
      () => checkout()?.health === 'Healthy' && checkout()?.sync === 'Synced',
      60_000,
    );
    const alertsBefore = alertsOf('AwaitingApproval').length;

    // (the commit statuses the controller would post, from every status update)
    const verdicts: CommitSummary[] = [];
    const unsubscribe = h.app.store.subscribe((snapshot) => {
      const verdict = summarize(snapshot);
      if (verdict) verdicts.push(verdict);
    });
    const statesOf = (sha: string) =>
      verdicts
        .filter((v) => v.revision === sha)
        .map((v) => v.state)
        .filter((state, i, all) => state !== all[i - 1]);
    const succeeded = (sha: string) => alertsOf('SyncSucceeded').filter((event) => event.revision === sha);

    // when a new image is committed
    const promoted = await h.repo.commit(
      {
        'progressive/checkout.yaml': files['progressive/checkout.yaml']!.replace('nginx:1.27', 'nginx:1.28'),
      },
      'checkout: nginx 1.28',
    );
    // then it waits at the gate before any production traffic, Progressing, with one alert
    const gate = await nextGate();
    expect(gate.health).toBe('Progressing');
    expect(gate.healthMessage).toMatch(
      /^canary 0% \(test 100%\) · waiting for approval at PRE_PRODUCTION_TRAFFIC_SHIFT/,
    );
    expect(gate.serviceDeployment).toMatchObject({
      strategy: 'CANARY',
      stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
      status: 'IN_PROGRESS',
    });
    await expect.poll(() => alertsOf('AwaitingApproval').length, { timeout: 10_000 }).toBe(alertsBefore + 1);
    // when promoted: the canary step runs (10 %), then the second gate, promoted again
    expect(await promote()).toMatch(
      /^promoted Service\/checkout at PRE_PRODUCTION_TRAFFIC_SHIFT \(ContinueServiceDeployment CONTINUE, arn:aws:ecs:/,
    );
    await waitForStatus(h.app, () => checkout()?.serviceDeployment?.productionWeight === 10, 30_000);
    await nextGate();
    await promote();
    // then it completes and turns Healthy on the new revision
    await waitForStatus(
      h.app,
      () => checkout()?.health === 'Healthy' && checkout()?.serviceDeployment?.status === 'SUCCESSFUL',
      60_000,
    );
    // and only now is the commit announced as succeeded, once; its commit status went pending → success
    await expect.poll(() => succeeded(promoted).length, { timeout: 10_000 }).toBe(1);
    expect(statesOf(promoted)).toEqual(['pending', 'success']);

    // when the next commit is rolled back at its gate through the controller's API (the dashboard's button)
    const rejected = await h.repo.commit(
      {
        'progressive/checkout.yaml': files['progressive/checkout.yaml']!.replace('nginx:1.27', 'nginx:1.29'),
      },
      'checkout: nginx 1.29',
    );
    await nextGate();
    await rollBackFromDashboard('alice');
    // then it is Degraded, RolledBack, with one RolloutFailed alert, and who answered is recorded
    await waitForStatus(h.app, () => checkout()?.serviceDeployment?.status === 'ROLLBACK_SUCCESSFUL', 60_000);
    const rolledBack = checkout()!;
    expect(rolledBack.health).toBe('Degraded');
    expect(rolledBack.approvals?.at(-1)).toMatchObject({
      action: 'rollback',
      by: 'alice',
      stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
    });
    await expect
      .poll(() => alertsOf('RolloutFailed').filter((event) => event.resource === 'Service/checkout').length, {
        timeout: 10_000,
      })
      .toBe(1);
    // and the rolled-back content is not deployed again
    h.emulator.resetCalls();
    await new Promise((done) => setTimeout(done, 3000));
    expect(h.emulator.calls()['ecs:UpdateService'] ?? 0).toBe(0);
    expect(checkout()?.sync).toBe('Failed');
    // and the rolled-back commit was never announced as succeeded: pending → failure, never success
    unsubscribe();
    expect(succeeded(rejected)).toEqual([]);
    expect(statesOf(rejected)).toEqual(['pending', 'failure']);
  }, 240_000);
});
