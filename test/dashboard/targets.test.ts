// The dashboard of a controller with several targets, in a real Chromium against the real server:
// resources are grouped under a header row per target, the same Kind/name in two targets are two
// rows, and each links to its target-qualified page; the unqualified API route refuses to guess.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { combineSnapshots } from '../../controller/targets/combine.js';
import { chromiumAvailable, launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { fleet, type Harness, snapshot, startHarness, webService } from '../server/harness.js';

if (!chromiumAvailable()) console.warn(`skipping dashboard target tests: ${SKIP_REASON}`);

function twoTargets() {
  const prodFleet = fleet().map((r) =>
    r.key === 'Service/web'
      ? webService({ health: 'Degraded', healthMessage: 'tasks failed to start: CannotPullContainerError' })
      : r,
  );
  return combineSnapshots([
    { target: 'staging', snapshot: snapshot(fleet()) },
    { target: 'prod', snapshot: snapshot(prodFleet) },
  ]);
}

describe.skipIf(!chromiumAvailable())('dashboard with several targets (Chromium)', () => {
  let browser: Browser;
  let harness: Harness | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

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
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('given two targets with the same resources, when the overview opens, then each target has a header and its own rows linking to its own page', async () => {
    harness = await startHarness({ statusPollMs: 100 });
    harness.current = twoTargets();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${harness.url}/`);
    await page.locator('tr[data-key="prod/Service/web"]').waitFor();

    expect(
      await page
        .locator('tbody#resource-rows tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
    ).toEqual([
      'target:staging',
      'staging/Cluster/prod',
      'staging/TaskDefinition/web',
      'staging/Service/web',
      'staging/ScalingPolicy/web',
      'target:prod',
      'prod/Cluster/prod',
      'prod/TaskDefinition/web',
      'prod/Service/web',
      'prod/ScalingPolicy/web',
    ]);
    expect(await page.locator('tr[data-key="target:staging"]').innerText()).toBe('staging · 4 resources');
    expect(await page.locator('tr[data-key="target:prod"]').innerText()).toBe(
      'prod · 4 resources · 1 failing',
    );
    expect(
      await page.locator('tr[data-key="staging/Service/web"] [data-col="health"]').innerText(),
    ).toContain('Healthy');

    // when prod's web is opened, then its own page (and its own API route) shows prod's state
    await page.locator('tr[data-key="prod/Service/web"] [data-col="name"] a').click();
    await page.waitForFunction("location.hash === '#/targets/prod/Service/web'");
    await page
      .locator('#view-resource')
      .getByText('tasks failed to start: CannotPullContainerError')
      .waitFor();
    expect(await page.title()).toBe('prod/Service/web · ecs-gitops');
  });

  it('given two targets, when the API is asked for Service/web without a target, then it answers 409 naming the targets; with one, that target’s resource', async () => {
    harness = await startHarness();
    harness.current = twoTargets();
    const ambiguous = await fetch(`${harness.url}/api/resources/Service/web`);
    expect(ambiguous.status).toBe(409);
    expect(await ambiguous.json()).toMatchObject({ error: 'Ambiguous', targets: ['staging', 'prod'] });
    const prod = await fetch(`${harness.url}/api/targets/prod/resources/Service/web`);
    expect(prod.status).toBe(200);
    expect(((await prod.json()) as { resource: { target: string; health: string } }).resource).toMatchObject({
      target: 'prod',
      health: 'Degraded',
    });
    expect((await fetch(`${harness.url}/api/targets/qa/resources/Service/web`)).status).toBe(404);
    // a resource only one target has is still found without one
    harness.current = combineSnapshots([
      { target: 'staging', snapshot: snapshot(fleet()) },
      { target: 'prod', snapshot: snapshot([]) },
    ]);
    expect((await fetch(`${harness.url}/api/resources/Service/web`)).status).toBe(200);
  });
});
