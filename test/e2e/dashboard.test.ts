// The dashboard in Debian's Chromium against a whole controller: the example fleet Synced/Healthy,
// a commit shows up as the new revision without a reload, an out-of-band change as Drifted.
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, SKIP_REASON, saveScreenshot } from '../helpers/browser.js';
import { allSyncedAndHealthy, exampleFiles, type Harness, startHarness, waitForStatus } from './harness.js';

const available = chromiumAvailable();
if (!available) console.warn(`skipping the dashboard end-to-end test: ${SKIP_REASON}`);

describe.skipIf(!available)('dashboard, end to end', () => {
  let harness: Harness;
  let browser: Browser;
  beforeAll(async () => {
    harness = await startHarness();
    browser = (await launchBrowser())!;
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('given the example fleet, then rows go Synced/Healthy, a commit shows its revision live, and drift shows the field', async () => {
    await waitForStatus(harness.app, (s) => allSyncedAndHealthy(s));
    const page = await browser.newPage();
    await page.goto(`${harness.app.url}/`);
    const row = (key: string) => page.locator(`tr[data-key="${key}"]`);
    for (const key of [
      'Cluster/prod',
      'Cluster/batch',
      'TaskDefinition/web',
      'TaskDefinition/worker',
      'Service/web',
      'Service/worker',
      'ScalingPolicy/web',
    ]) {
      await expect.poll(() => row(key).locator('[data-col="sync"]').textContent()).toContain('Synced');
      await expect.poll(() => row(key).locator('[data-col="health"]').textContent()).toContain('Healthy');
    }
    // A marker on the window survives only if the page is never reloaded.
    await page.evaluate(() => {
      (globalThis as unknown as { __noReload: boolean }).__noReload = true;
    });

    const files = await exampleFiles();
    const sha = await harness.repo.commit(
      { 'manifests/web.yaml': files['manifests/web.yaml']!.replace('nginx/nginx:1.27', 'nginx/nginx:1.28') },
      'web: nginx 1.28',
    );
    await expect
      .poll(() => row('Service/web').locator('[data-col="revision"]').textContent(), { timeout: 15_000 })
      .toContain(sha.slice(0, 12));

    await harness.emulator.ecs.send(
      new UpdateServiceCommand({ cluster: 'batch-prod', service: 'worker', desiredCount: 3 }),
    );
    await expect
      .poll(() => row('Service/worker').locator('[data-col="sync"]').textContent(), { timeout: 15_000 })
      .toContain('Drifted');
    await expect
      .poll(() => row('Service/worker').locator('[data-col="drift"]').textContent())
      .toContain('desiredCount');
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(
      true,
    );
    await saveScreenshot(page, 'e2e-dashboard.png');
  });
});
