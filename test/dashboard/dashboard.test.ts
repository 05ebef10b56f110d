// The dashboard in a real Chromium against the real server, fed by a real EventLog and a status
// provider whose data the test changes while the page is open.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '../../controller/server/redact.js';
import type { ResourceStatus } from '../../controller/status/model.js';
import { chromiumAvailable, launchBrowser, SKIP_REASON, saveScreenshot } from '../helpers/browser.js';
import {
  event,
  fleet,
  type Harness,
  resource,
  SHA1,
  SHA2,
  snapshot,
  startHarness,
  webService,
} from '../server/harness.js';

if (!chromiumAvailable()) console.warn(`skipping dashboard browser tests: ${SKIP_REASON}`);

const row = (key: string) => `tr[data-key="${key}"]`;
const cell = (key: string, col: string) => `${row(key)} [data-col="${col}"]`;

describe.skipIf(!chromiumAvailable())('dashboard in Chromium', () => {
  let browser: Browser;
  let harness: Harness | undefined;
  let page: Page;
  let pageErrors: string[];

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
    // the page must never throw or log errors
    expect(pageErrors).toEqual([]);
  });

  async function openDashboard(h: Harness, hash = ''): Promise<void> {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${h.url}/${hash}`);
    // a marker that a full reload would erase
    await page.evaluate('window.marker = 42');
  }

  async function notReloaded(): Promise<void> {
    expect(await page.evaluate('window.marker')).toBe(42);
  }

  it('lists every resource, follows status changes live, and shows a rejected revision', async () => {
    // given a synced, healthy fleet
    harness = await startHarness({ statusPollMs: 100 });
    harness.events.publish(event({ message: 'applied revision a1b2c3d' }));
    await openDashboard(harness);

    // then the table lists all four resources with their state
    await page.locator(cell('Service/web', 'sync')).getByText('Synced').waitFor();
    expect(
      await page
        .locator('tbody#resource-rows tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
    ).toEqual(['Cluster/prod', 'TaskDefinition/web', 'Service/web', 'ScalingPolicy/web']);
    expect(await page.locator(cell('Service/web', 'health')).innerText()).toContain('Healthy');
    expect(await page.locator(cell('Service/web', 'revision')).innerText()).toBe(SHA1.slice(0, 12));
    expect(await page.locator(cell('Service/web', 'age')).innerText()).toBe('5m');
    expect(await page.locator(cell('Service/web', 'drift')).innerText()).toBe('');
    expect(await page.locator(cell('TaskDefinition/web', 'health')).innerText()).toBe('Healthy');
    // and the source panel and live connection
    const source = page.getByTestId('source');
    expect(await source.innerText()).toContain('https://github.com/example/fleet.git');
    expect(await source.innerText()).toContain('main');
    expect(await page.getByTestId('source-revision').innerText()).toBe(SHA1.slice(0, 12));
    expect(await page.getByTestId('source-condition').innerText()).toContain('Ready');
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    expect(await page.getByTestId('overview-events').innerText()).toContain('applied revision a1b2c3d');
    expect(await page.getByTestId('rejected-banner').isHidden()).toBe(true);

    // when someone changes desiredCount behind Git's back and the loop reports it
    const drifted = webService({
      sync: 'Drifted',
      diff: [{ path: 'desiredCount', op: 'change', desired: 2, live: 5 }],
    });
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), drifted]);
    harness.events.publish(
      event({
        type: 'DriftDetected',
        severity: 'warning',
        message: 'Service/web drifted: desiredCount 2 → 5',
      }),
    );

    // then the row shows it without a reload, the field highlighted, and it is announced
    await page.locator(cell('Service/web', 'sync')).getByText('Drifted').waitFor({ timeout: 5000 });
    expect(await page.locator(`${cell('Service/web', 'drift')} mark`).innerText()).toBe('desiredCount');
    expect(await page.locator(row('Service/web')).getAttribute('class')).toContain('is-drifted');
    expect(await page.getByTestId('announcer').innerText()).toContain('Service/web is now Drifted');
    await page.getByTestId('overview-events').getByText('Service/web drifted: desiredCount 2 → 5').waitFor();
    await notReloaded();

    // when a new commit is applied
    harness.current = snapshot(
      fleet().map((r) => ({ ...r, lastAppliedRevision: SHA2 })),
      { lastAppliedRevision: SHA2, source: { ...snapshot().overall.source, revision: SHA2 } },
    );
    await page
      .locator(cell('Service/web', 'revision'))
      .getByText(SHA2.slice(0, 12))
      .waitFor({ timeout: 5000 });
    expect(await page.locator(cell('Service/web', 'sync')).innerText()).toBe('Synced');

    // when the next commit has invalid manifests
    const problems = [
      'manifests/web.yaml:14:7: Service/web: spec.desiredCount: must be integer >= 0',
      'manifests/cluster.yaml:3:1: bad indentation of a mapping entry',
    ];
    harness.current = snapshot(fleet(), {
      lastAppliedRevision: SHA2,
      rejectedRevision: {
        revision: 'c0ffee0000000000000000000000000000000000',
        problems,
        at: new Date().toISOString(),
      },
    });
    // then a banner lists every problem with file:line
    const banner = page.getByTestId('rejected-banner');
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    expect(await banner.getByRole('heading').innerText()).toBe('Revision c0ffee000000 was rejected');
    expect(await banner.getByTestId('problem').allInnerTexts()).toEqual(problems);
    expect(await banner.innerText()).toContain(`The last good revision ${SHA2.slice(0, 12)} stays applied.`);
    expect(await banner.getAttribute('role')).toBe('alert');
    await notReloaded();

    // keep the richest state for the screenshot: drift + rejected revision + events
    harness.current = snapshot(
      [
        resource('Cluster', 'prod', { healthMessage: 'ACTIVE', lastAppliedRevision: SHA2 }),
        resource('TaskDefinition', 'web', { lastAppliedRevision: SHA2 }),
        { ...drifted, lastAppliedRevision: SHA2 },
        resource('ScalingPolicy', 'web', { lastAppliedRevision: SHA2 }),
        resource('Service', 'api', {
          sync: 'OutOfSync',
          health: 'Progressing',
          healthMessage: '1/2 running, rollout IN_PROGRESS',
          diff: [
            { path: 'containerDefinitions[api].image', op: 'change', desired: 'api:1.5', live: 'api:1.4' },
          ],
        }),
      ],
      {
        lastAppliedRevision: SHA2,
        rejectedRevision: {
          revision: 'c0ffee0000000000000000000000000000000000',
          problems,
          at: new Date().toISOString(),
        },
      },
    );
    await page.locator(row('Service/api')).waitFor({ timeout: 5000 });
    expect(await page.locator('main').innerText()).not.toMatch(/\b(null|undefined|NaN)\b/);
    await saveScreenshot(page, 'dashboard.png');
  });

  it('resource page: diff with masked secrets, deployments, events; live without reload', async () => {
    // given a service mid-rollout whose new tasks fail to start
    harness = await startHarness({ statusPollMs: 100 });
    const failing: ResourceStatus = webService({
      sync: 'Synced',
      health: 'Degraded',
      healthMessage: 'tasks failing to start',
      diff: [
        { path: 'containerDefinitions[web].image', op: 'change', desired: 'nginx:1.28', live: 'nginx:1.27' },
        {
          path: 'containerDefinitions[web].environment[DB_PASSWORD]',
          op: 'change',
          desired: 'hunter2',
          live: 'old',
        },
        { path: 'launchType', op: 'change', desired: 'EC2', live: 'FARGATE', createOnly: true },
      ],
      deployments: [
        {
          id: 'ecs-svc/2222222222222222222',
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4',
          desiredCount: 2,
          runningCount: 0,
          pendingCount: 1,
          failedTasks: 3,
          updatedAt: new Date().toISOString(),
        },
        {
          id: 'ecs-svc/1111111111111111111',
          status: 'ACTIVE',
          rolloutState: 'COMPLETED',
          taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          failedTasks: 0,
        },
      ],
      stoppedReasons: ['CannotPullContainerError: pull access denied for nginx:1.28'],
    });
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), failing]);
    harness.events.publish(
      event({ type: 'HealthDegraded', severity: 'error', message: 'web: tasks failing to start' }),
    );
    harness.events.publish(event({ resource: 'Cluster/prod', message: 'cluster event (not for web)' }));
    await openDashboard(harness);
    await page.locator(row('Service/web')).waitFor();

    // when the user follows the resource link with the keyboard
    const link = page.locator(`${cell('Service/web', 'name')} a`);
    await link.focus();
    await page.keyboard.press('Enter');

    // then the resource page shows, focus moves to its heading, and no reload happened
    await page.getByTestId('view-resource').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#/Service/web');
    expect(await page.getByTestId('resource-heading').innerText()).toBe('Service/web');
    expect(await page.evaluate('document.activeElement?.id')).toBe('resource-heading');
    await notReloaded();
    expect(await page.getByTestId('resource-health').innerText()).toBe('Degraded');

    // the field-level diff, desired vs live, secrets masked
    const diff = page.getByTestId('diff');
    const image = diff.locator('tr[data-path="containerDefinitions[web].image"]');
    expect(await image.locator('[data-col="desired"]').innerText()).toBe('nginx:1.28');
    expect(await image.locator('[data-col="live"]').innerText()).toBe('nginx:1.27');
    const secret = diff.locator('tr[data-path="containerDefinitions[web].environment[DB_PASSWORD]"]');
    expect(await secret.locator('[data-col="desired"]').innerText()).toBe(MASK);
    expect(await page.content()).not.toContain('hunter2');
    expect(await diff.locator('tr[data-path="launchType"]').innerText()).toContain('replace');

    // the deployments with rollout state, running/desired and failed tasks' reasons
    const deployments = page.getByTestId('deployments');
    const primary = deployments.locator('tr[data-deployment="ecs-svc/2222222222222222222"]');
    expect(await primary.locator('[data-col="rollout"]').innerText()).toContain('IN_PROGRESS');
    expect(await primary.locator('[data-col="tasks"]').innerText()).toBe('0/2');
    expect(await primary.locator('[data-col="failed"]').innerText()).toBe('3');
    expect(await primary.innerText()).toContain('web:4');
    expect(await page.getByTestId('stopped-reasons').innerText()).toContain('CannotPullContainerError');

    // only this resource's events
    const events = page.getByTestId('resource-events');
    await events.getByText('web: tasks failing to start').waitFor();
    expect(await events.innerText()).not.toContain('cluster event');
    expect(await page.locator('main').innerText()).not.toMatch(/\b(null|undefined|NaN)\b/);
    await saveScreenshot(page, 'dashboard-resource.png');

    // when the rollout completes and the loop publishes an event
    const recovered = webService({ health: 'Healthy' });
    harness.current = snapshot([...fleet().filter((r) => r.key !== 'Service/web'), recovered]);
    harness.events.publish(event({ type: 'HealthRecovered', message: 'web: healthy again' }));
    // then the page follows live
    await page.getByTestId('resource-health').getByText('Healthy').waitFor({ timeout: 5000 });
    await events.getByText('web: healthy again').waitFor({ timeout: 5000 });
    await page.getByTestId('no-diff').waitFor({ state: 'visible' });
    expect(await deployments.locator('[data-col="tasks"]').allInnerTexts()).toEqual(['2/2']);
    await notReloaded();

    // and the back link returns to the table, still without a reload
    await page.getByRole('link', { name: 'All resources' }).click();
    await page.getByTestId('view-overview').waitFor({ state: 'visible' });
    expect(await page.locator(cell('Service/web', 'health')).innerText()).toContain('Healthy');
    await notReloaded();
  });

  it('"Sync now" calls the API from the page', async () => {
    harness = await startHarness();
    await openDashboard(harness);
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-result').getByText('Sync requested.').waitFor();
    expect(harness.syncs).toEqual(['api: dashboard']);
    // the token field stays hidden when the server requires none
    expect(await page.getByTestId('api-token').isHidden()).toBe(true);
  });

  it('"Sync now" asks for the API token when the server requires one, then remembers it', async () => {
    harness = await startHarness({ apiToken: 'tok-2f9c' });
    await openDashboard(harness);
    // when the user clicks without a token
    await page.getByTestId('sync-now').click();
    // then nothing is triggered, the token field appears and takes focus
    await page.getByTestId('sync-result').getByText('This controller requires an API token.').waitFor();
    expect(harness.syncs).toEqual([]);
    expect(await page.evaluate('document.activeElement?.id')).toBe('api-token');
    // when a wrong token is entered
    await page.getByLabel('API token').fill('nope');
    await page.keyboard.press('Enter');
    await page.getByTestId('sync-result').getByText('The API token was not accepted.').waitFor();
    expect(harness.syncs).toEqual([]);
    // when the right one is entered
    await page.getByLabel('API token').fill('tok-2f9c');
    await page.keyboard.press('Enter');
    await page.getByTestId('sync-result').getByText('Sync requested.').waitFor();
    expect(harness.syncs).toEqual(['api: dashboard']);
    // and after a reload the stored token is used
    await page.reload();
    await page.getByTestId('api-token').waitFor({ state: 'visible' });
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-result').getByText('Sync requested.').waitFor();
    expect(harness.syncs).toEqual(['api: dashboard', 'api: dashboard']);
    // the browser logs the expected 401 responses; nothing else may appear
    pageErrors = pageErrors.filter((e) => !e.includes('status of 401'));
  });

  it('falls back to polling when live updates are unavailable', async () => {
    // given a server that refuses every event stream
    harness = await startHarness({ maxEventClients: 0 });
    await openDashboard(harness);
    await page.locator(cell('Service/web', 'sync')).getByText('Synced').waitFor();
    // when the status changes
    harness.current = snapshot([webService({ sync: 'Failed', health: 'Degraded' })]);
    // then the next poll shows it, without a reload
    await page.locator(cell('Service/web', 'sync')).getByText('Failed').waitFor({ timeout: 8000 });
    expect(await page.locator('tbody#resource-rows tr').count()).toBe(1);
    expect(['polling', 'reconnecting']).toContain(
      await page.getByTestId('connection').getAttribute('data-state'),
    );
    await notReloaded();
    // the refused streams are not page errors worth failing on
    pageErrors = pageErrors.filter((e) => !e.includes('status of 503'));
  });
});
