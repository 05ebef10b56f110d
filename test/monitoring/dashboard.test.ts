// The Grafana dashboard of docs/monitoring/: valid against the dashboard JSON model, laid out on the
// grid without overlaps, every query parses as PromQL (promtool), and every metric and label the
// dashboard and the alert rules name exists on a real running controller's /metrics.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSyncedAndHealthy, type Harness, startHarness, waitForStatus } from '../e2e/harness.js';
import {
  type Dashboard,
  dashboardExpressions,
  lintDashboard,
  loadDashboard,
  parseExposition,
  promtool,
  promtoolPath,
  ruleExpressions,
  unknownNames,
  withVariablesResolved,
} from './kit.js';

const dashboard = await loadDashboard();
const binary = await promtoolPath();

describe('Grafana dashboard', () => {
  it('given the dashboard JSON, when validated against the dashboard model schema, then it passes', async () => {
    const schema = JSON.parse(
      await readFile(join(import.meta.dirname, 'grafana-dashboard.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(dashboard), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('given the dashboard, when linted, then ids are unique, panels fit the grid without overlap and only defined variables are used', () => {
    expect(lintDashboard(dashboard)).toEqual([]);
  });

  it('given a broken dashboard, when linted, then overlap, duplicate ids and unknown variables are reported', () => {
    const [first, second] = dashboard.panels.filter((p) => p.type !== 'row');
    const broken: Dashboard = {
      ...dashboard,
      panels: [
        first!,
        {
          ...second!,
          id: first!.id,
          gridPos: first!.gridPos,
          targets: [{ refId: 'A', expr: 'up{x="$nope"}' }],
        },
      ],
    };
    const problems = lintDashboard(broken);
    expect(problems).toContain(`panel id ${first!.id} is used twice`);
    expect(problems.some((p) => p.includes('overlaps'))).toBe(true);
    expect(problems).toContain(`panel ${first!.id} uses undefined variable $nope`);
  });

  it.skipIf(!binary)(
    'given every dashboard query, when promtool parses them as rules, then each is valid PromQL',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-dash-'));
      try {
        const rules = dashboardExpressions(dashboard).map((q, i) => ({
          record: `dashboard:query_${i}`,
          expr: withVariablesResolved(q.expr),
        }));
        await writeFile(join(dir, 'queries.yaml'), dump({ groups: [{ name: 'dashboard', rules }] }));
        const result = await promtool(binary!, ['check', 'rules', join(dir, 'queries.yaml')]);
        expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
        expect(result.code).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('monitoring kit against a running controller', () => {
  let harness: Harness | undefined;
  let exposition: Map<string, Set<string>>;

  beforeAll(async () => {
    // given a real controller that deployed the example fleet (so labelled counters have series)
    harness = await startHarness();
    await waitForStatus(harness.app, (s) => allSyncedAndHealthy(s));
    exposition = parseExposition(await (await fetch(`${harness.app.url}/metrics`)).text());
    // With --targets every series also carries `target` (a default label of each target's registry,
    // controller/app.ts): the dashboard and rules filter and group by it.
    for (const labels of exposition.values()) labels.add('target');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('when the dashboard queries are checked against /metrics, then every metric and label exists', () => {
    const problems = dashboardExpressions(dashboard).flatMap((q) =>
      unknownNames(q.expr, exposition).map((p) => `${q.name}: ${p}`),
    );
    expect(problems).toEqual([]);
    // and the dashboard covers every ecs_gitops_ metric family the controller exports
    const families = [...exposition.keys()]
      .filter((name) => name.startsWith('ecs_gitops_'))
      .map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    const queried = dashboardExpressions(dashboard)
      .map((q) => q.expr)
      .join('\n');
    for (const family of new Set(families)) expect(queried, family).toContain(family);
  });

  it('when the alert rules are checked against /metrics, then every metric and label exists', async () => {
    const problems = (await ruleExpressions()).flatMap((r) =>
      unknownNames(r.expr, exposition).map((p) => `${r.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('when a query names a metric or label the controller does not export, then the check reports it', () => {
    expect(unknownNames('sum by (zone) (rate(ecs_gitops_nope_total[5m]))', exposition)).toEqual([
      'metric ecs_gitops_nope_total is not exported by the controller',
      'grouping label zone is on none of ecs_gitops_nope_total',
    ]);
    expect(unknownNames('ecs_gitops_reconcile_total{outcome="x"}', exposition)).toEqual([
      'metric ecs_gitops_reconcile_total has no label outcome',
    ]);
  });
});
