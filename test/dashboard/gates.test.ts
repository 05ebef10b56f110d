// The dashboard's Promote / Roll back buttons in a real Chromium against the real server: they show
// on a service whose progressive deployment is in flight, call the gate route, and say what happened.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GateRequestAction } from '../../controller/server/gate-route.js';
import type { ResourceStatus } from '../../controller/status/model.js';
import { combineSnapshots } from '../../controller/targets/combine.js';
import { chromiumAvailable, launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { fleet, type Harness, snapshot, startHarness, webService } from '../server/harness.js';

if (!chromiumAvailable()) console.warn(`skipping dashboard gate tests: ${SKIP_REASON}`);

const waiting: ResourceStatus = webService({
  health: 'Progressing',
  healthMessage: 'canary 0% (test 100%) · waiting for approval at PRE_PRODUCTION_TRAFFIC_SHIFT',
  serviceDeployment: {
    arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/Ab3dE5gH7jK9mN1pQ3sT5v',
    status: 'IN_PROGRESS',
    strategy: 'CANARY',
    stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
    productionWeight: 0,
    testWeight: 100,
    waitingFor: { hookId: 'ecs-pause-abc', targetType: 'PAUSE', status: 'AWAITING_ACTION' },
    awaitingApproval: true,
  },
});

describe.skipIf(!chromiumAvailable())('dashboard gates in Chromium', () => {
  let browser: Browser;
  let harness: Harness | undefined;
  let page: Page | undefined;
  const answers: Array<[string, GateRequestAction, string]> = [];

  beforeAll(async () => {
    browser = (await launchBrowser())!;
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await page?.close();
    await harness?.close();
    harness = undefined;
  });

  it('rolls back a deployment waiting at its gate from the service page', async () => {
    // given a canary waiting for approval
    harness = await startHarness({
      onGate: async (key, action, by) => {
        answers.push([key, action, by]);
        return {
          ok: true,
          message: `rolled back ${key} at PRE_PRODUCTION_TRAFFIC_SHIFT`,
          serviceDeploymentArn: 'arn',
        };
      },
    });
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), waiting]);
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${harness.url}/#/Service/web`);
    // then its page shows where it is, with both buttons
    const progressive = page.getByTestId('progressive');
    await progressive.waitFor({ state: 'visible' });
    expect(await progressive.textContent()).toContain(
      'canary 0% · waiting for approval at PRE_PRODUCTION_TRAFFIC_SHIFT',
    );
    expect(await page.getByTestId('promote').isEnabled()).toBe(true);
    // when Roll back is clicked
    await page.getByTestId('rollback').click();
    // then the gate route was called for this service and the answer is shown
    await page.getByText('rolled back Service/web at PRE_PRODUCTION_TRAFFIC_SHIFT').waitFor();
    expect(answers).toEqual([['Service/web', 'rollback', 'dashboard']]);
    expect(errors).toEqual([]);
  });

  it('says an analysis-only gate is running its analysis, with Promote off and Roll back on', async () => {
    // given a canary at the gate `ecs-gitops/analysis` added, which the controller answers itself
    harness = await startHarness({ onGate: async () => ({ ok: false, status: 409, message: 'nothing' }) });
    const analysing: ResourceStatus = {
      ...waiting,
      healthMessage: 'canary 0% (test 100%) · analysis running at PRE_PRODUCTION_TRAFFIC_SHIFT',
      serviceDeployment: { ...waiting.serviceDeployment!, awaitingApproval: false, awaitingAnalysis: true },
    };
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), analysing]);
    page = await browser.newPage();
    await page.goto(`${harness.url}/#/Service/web`);
    // then its page says the analysis runs, nobody is asked to approve, and it can still be rolled back
    const progressive = page.getByTestId('progressive');
    await progressive.waitFor({ state: 'visible' });
    expect(await progressive.textContent()).toContain(
      'canary 0% · analysis running at PRE_PRODUCTION_TRAFFIC_SHIFT',
    );
    expect(await progressive.textContent()).not.toContain('waiting for approval');
    expect(await page.getByTestId('promote').isEnabled()).toBe(false);
    expect(await page.getByTestId('rollback').isEnabled()).toBe(true);
  });

  it("with several targets, promotes the page's target only, as the name typed in Answer as", async () => {
    // given the same canary waiting in two targets
    const calls: Array<[string, GateRequestAction, string, string | undefined]> = [];
    harness = await startHarness({
      onGate: async (key, action, by, target) => {
        calls.push([key, action, by, target]);
        return { ok: true, message: `promoted ${key} in ${target}`, serviceDeploymentArn: 'arn' };
      },
    });
    const resources = [...fleet().filter((r) => r.key !== 'Service/web'), waiting];
    harness.current = combineSnapshots([
      { target: 'staging', snapshot: snapshot(resources) },
      { target: 'prod', snapshot: snapshot(resources) },
    ]);
    page = await browser.newPage();
    await page.goto(`${harness.url}/#/targets/prod/Service/web`);
    await page.getByTestId('progressive').waitFor({ state: 'visible' });
    // when a name is typed and Promote clicked
    await page.getByTestId('gate-by').fill('dora');
    await page.getByTestId('promote').click();
    // then prod's gate route was called, as dora, and the name is kept for the next answer
    await page.getByText('promoted Service/web in prod').waitFor();
    expect(calls).toEqual([['Service/web', 'promote', 'dora', 'prod']]);
    await page.reload();
    await page.getByTestId('progressive').waitFor({ state: 'visible' });
    expect(await page.getByTestId('gate-by').inputValue()).toBe('dora');
  });

  it('lists who answered the gates and the last analysis, newest first', async () => {
    harness = await startHarness({ onGate: async () => ({ ok: false, status: 409, message: 'nothing' }) });
    const answered: ResourceStatus = {
      ...waiting,
      approvals: [
        {
          action: 'promote',
          by: 'alice',
          at: '2026-01-01T10:00:00.000Z',
          serviceDeploymentArn: 'arn1',
          stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        },
        {
          action: 'rollback',
          by: 'analysis',
          at: '2026-01-01T10:05:00.000Z',
          serviceDeploymentArn: 'arn2',
          stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        },
      ],
      analyses: [
        {
          serviceDeploymentArn: 'arn2',
          hookId: 'ecs-pause-abc',
          stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
          url: 'http://checks/web',
          startedAt: '2026-01-01T10:04:00.000Z',
          state: 'Failed',
          answer: 'ROLLBACK',
          checks: [
            { at: '2026-01-01T10:04:00.000Z', ok: true, httpStatus: 200 },
            { at: '2026-01-01T10:04:10.000Z', ok: false, httpStatus: 500, error: 'HTTP 500 (expected 2xx)' },
          ],
        },
      ],
    };
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), answered]);
    page = await browser.newPage();
    await page.goto(`${harness.url}/#/Service/web`);
    const history = page.getByTestId('gate-history');
    await history.waitFor({ state: 'visible' });
    const lines = (await history.locator('li').allTextContents()).map((line) => line.replace(/ · .*$/, ''));
    expect(lines).toEqual([
      'analysis failed at PRE_PRODUCTION_TRAFFIC_SHIFT: 2 check(s), last HTTP 500 (expected 2xx) → ROLLBACK',
      'rolled back by analysis at PRE_PRODUCTION_TRAFFIC_SHIFT',
      'promoted by alice at PRE_PRODUCTION_TRAFFIC_SHIFT',
    ]);
  });

  it('hides the buttons once the deployment finished', async () => {
    harness = await startHarness({ onGate: async () => ({ ok: false, status: 409, message: 'nothing' }) });
    const done = {
      ...waiting,
      serviceDeployment: {
        ...waiting.serviceDeployment!,
        status: 'ROLLBACK_SUCCESSFUL',
        awaitingApproval: false,
      },
    };
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), done]);
    page = await browser.newPage();
    await page.goto(`${harness.url}/#/Service/web`);
    await page.getByTestId('progressive').waitFor({ state: 'visible' });
    expect(await page.locator('#gate-actions').isHidden()).toBe(true);
    expect(await page.getByTestId('progressive').textContent()).toContain('ROLLBACK_SUCCESSFUL');
  });
});
