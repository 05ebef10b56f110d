// Hook runs where people look: the dashboard (Debian's Chromium against a whole controller), the
// status branch of the watched repository, and /metrics — after a PreSync migration that failed
// and one that succeeded, both run by `run`'s controller on the emulator.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatusBranch } from '../../controller/status/read-status-branch.js';
import { chromiumAvailable, launchBrowser, SKIP_REASON } from '../helpers/browser.js';
import { type Harness, startHarness, waitForStatus } from './harness.js';
import { migration, webWith } from './hook-support.js';

const available = chromiumAvailable();
if (!available) console.warn(`skipping the hook runs views test: ${SKIP_REASON}`);

describe.skipIf(!available)('hook runs on the dashboard, the status branch and /metrics', () => {
  let harness: Harness;
  let browser: Browser;
  beforeAll(async () => {
    harness = await startHarness({}, { omit: ['web-migrate.yaml'] });
    browser = (await launchBrowser())!;
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('shows each run of Task/migrate (phase, revision, state, exit codes, message) and why web waits', async () => {
    const h = harness;
    await waitForStatus(
      h.app,
      (s) => s.resources.length === h.fleetResources && s.resources.every((r) => r.sync === 'Synced'),
    );
    const good = await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('0'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.28'),
      },
      'web 1.28 with its migration',
    );
    await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.hookRuns?.[0]?.state === 'Succeeded',
      30_000,
    );
    const bad = await h.repo.commit(
      {
        'manifests/migrate.yaml': migration('1'),
        'manifests/web.yaml': await webWith('public.ecr.aws/nginx/nginx:1.29'),
      },
      'web 1.29, the migration fails',
    );
    await waitForStatus(
      h.app,
      (s) => s.resources.find((r) => r.key === 'Task/migrate')?.sync === 'Failed',
      30_000,
    );

    // The dashboard: the fleet table has the Task, its page the hook runs table, newest first.
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${h.app.url}/`);
    const row = page.locator('tr[data-key="Task/migrate"]');
    await expect.poll(() => row.locator('[data-col="sync"]').textContent()).toContain('Failed');
    await expect.poll(() => row.locator('[data-col="health"]').textContent()).toContain('Degraded');
    await page.goto(`${h.app.url}/#/Task/migrate`);
    const table = page.getByTestId('hook-runs');
    await table.waitFor({ state: 'visible' });
    const runs = table.locator('tbody tr');
    await expect.poll(() => runs.count()).toBe(2);
    const newest = runs.nth(0);
    expect(await newest.getAttribute('data-hook-run')).toBe('PreSync');
    expect(await newest.getAttribute('class')).toContain('is-failed');
    expect(await newest.textContent()).toContain(bad.slice(0, 12));
    expect(await newest.locator('[data-col="state"]').textContent()).toContain('Failed');
    expect(await newest.locator('[data-col="exit-codes"]').textContent()).toBe('migrate=1');
    expect(await newest.textContent()).toMatch(/container migrate exited 1/);
    const older = runs.nth(1);
    expect(await older.textContent()).toContain(good.slice(0, 12));
    expect(await older.locator('[data-col="state"]').textContent()).toContain('Succeeded');
    expect(await older.locator('[data-col="exit-codes"]').textContent()).toBe('migrate=0');
    expect(await page.locator('#no-hook-runs').isHidden()).toBe(true);
    // The guarded service says why it was not updated.
    await page.goto(`${h.app.url}/#/Service/web`);
    await expect
      .poll(() => page.locator('#resource-body').textContent())
      .toMatch(/hook-failed|PreSync hook Task\/migrate failed/);
    expect(await page.getByTestId('hook-runs').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();

    // The status branch: status/Task/migrate.yaml carries the same runs.
    let file: { hookRuns?: Array<Record<string, unknown>> } | undefined;
    await expect
      .poll(
        async () => {
          const read = await readStatusBranch({ repoUrl: h.repo.remote }).catch(() => undefined);
          file = read?.snapshot.resources.find((r) => r.key === 'Task/migrate') as typeof file;
          return `${file?.hookRuns?.length ?? 0} ${file?.hookRuns?.[0]?.state ?? ''}`;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('2 Failed');
    expect(file?.hookRuns?.[0]).toMatchObject({
      phase: 'PreSync',
      revision: bad,
      state: 'Failed',
      exitCodes: { migrate: 1 },
    });
    expect(file?.hookRuns?.[1]).toMatchObject({
      phase: 'PreSync',
      revision: good,
      state: 'Succeeded',
      exitCodes: { migrate: 0 },
    });

    // /metrics: each ended run counted by phase and result, the Task's sync and health.
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="succeeded"} 1');
    expect(metrics).toContain('ecs_gitops_hook_runs_total{phase="PreSync",result="failed"} 1');
    expect(metrics).toMatch(
      /ecs_gitops_resource_info\{kind="Task",name="migrate",sync="Failed",health="Degraded"[^}]*\} 1/,
    );
  }, 120_000);
});
