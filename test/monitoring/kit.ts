// Reads the monitoring kit (docs/monitoring/) and checks it against what the controller exports:
// the PromQL of the dashboard and the alert rules may only name metrics and labels that a running
// controller's /metrics really has.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';

export const KIT = join(import.meta.dirname, '..', '..', 'docs', 'monitoring');
const run = promisify(execFile);

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly targets?: ReadonlyArray<{ readonly refId: string; readonly expr: string }>;
}

export interface Dashboard {
  readonly panels: readonly Panel[];
  readonly templating: {
    readonly list: ReadonlyArray<{
      readonly name: string;
      readonly type: string;
      readonly definition?: string;
    }>;
  };
}

export async function loadDashboard(): Promise<Dashboard> {
  return JSON.parse(await readFile(join(KIT, 'grafana-dashboard.json'), 'utf8')) as Dashboard;
}

export async function ruleExpressions(): Promise<Array<{ name: string; expr: string }>> {
  const doc = load(await readFile(join(KIT, 'alerts.yaml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }>;
  };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ name: r.alert ?? r.record ?? '?', expr: r.expr })));
}

/** Every query of the dashboard: panel targets and the template variables' label_values(). */
export function dashboardExpressions(dashboard: Dashboard): Array<{ name: string; expr: string }> {
  const panels = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ name: `panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr })),
  );
  const variables = dashboard.templating.list.flatMap((v) => {
    const match = v.definition ? /^label_values\((.*),\s*\w+\)$/.exec(v.definition) : null;
    return match?.[1] ? [{ name: `variable $${v.name}`, expr: match[1] }] : [];
  });
  return [...panels, ...variables];
}

/** Grafana's variables replaced by values Prometheus accepts, so promtool can parse the query. */
export function withVariablesResolved(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, '.*');
}

/** Dashboard problems promtool and the schema cannot see: ids, layout, variables. */
export function lintDashboard(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const ids = new Set<number>();
  const cells = new Map<string, number>();
  const variables = new Set(dashboard.templating.list.map((v) => v.name));
  for (const builtin of ['__rate_interval', '__interval', '__range']) variables.add(builtin);
  for (const [index, panel] of dashboard.panels.entries()) {
    if (ids.has(panel.id)) problems.push(`panel id ${panel.id} is used twice`);
    ids.add(panel.id);
    const { h, w, x, y } = panel.gridPos;
    if (x + w > 24) problems.push(`panel ${panel.id} "${panel.title}" is wider than the 24-column grid`);
    for (let row = y; row < y + h; row += 1) {
      for (let col = x; col < Math.min(24, x + w); col += 1) {
        const other = cells.get(`${row}:${col}`);
        if (other !== undefined && other !== index) {
          problems.push(`panel ${panel.id} "${panel.title}" overlaps panel ${dashboard.panels[other]?.id}`);
          row = y + h;
          break;
        }
        cells.set(`${row}:${col}`, index);
      }
    }
    const refIds = (panel.targets ?? []).map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length) problems.push(`panel ${panel.id} repeats a refId`);
    for (const target of panel.targets ?? []) {
      for (const [, name] of target.expr.matchAll(/\$\{?(\w+)\}?/g)) {
        if (name && !variables.has(name)) problems.push(`panel ${panel.id} uses undefined variable $${name}`);
      }
    }
  }
  return problems;
}

/** Sample name → label names, from Prometheus' text exposition format. */
export function parseExposition(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!match?.[1]) continue;
    const labels = series.get(match[1]) ?? new Set<string>();
    for (const [, label] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g))
      if (label) labels.add(label);
    series.set(match[1], labels);
  }
  return series;
}

// Prometheus adds these to every scraped series; histograms have `le`.
const TARGET_LABELS = new Set(['job', 'instance', 'le']);

/** Metric and label names an expression uses that the exposition does not have. */
export function unknownNames(expr: string, exposition: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const [, metric, selector] of expr.matchAll(/\b(ecs_gitops_[a-z0-9_]+)(?:\{([^}]*)\})?/g)) {
    if (!metric) continue;
    used.add(metric);
    const labels = exposition.get(metric);
    if (!labels) {
      problems.push(`metric ${metric} is not exported by the controller`);
      continue;
    }
    for (const [, label] of (selector ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) {
      if (label && !labels.has(label) && !TARGET_LABELS.has(label)) {
        problems.push(`metric ${metric} has no label ${label}`);
      }
    }
  }
  const known = new Set([...used].flatMap((m) => [...(exposition.get(m) ?? [])]));
  for (const [, list] of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of (list ?? '').split(',').map((l) => l.trim())) {
      if (label && !known.has(label) && !TARGET_LABELS.has(label)) {
        problems.push(`grouping label ${label} is on none of ${[...used].join(', ')}`);
      }
    }
  }
  return problems;
}

export async function promtoolPath(): Promise<string | undefined> {
  for (const candidate of [process.env.PROMTOOL, '/usr/bin/promtool', '/usr/local/bin/promtool']) {
    if (!candidate) continue;
    try {
      await run(candidate, ['--version']);
      return candidate;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

export async function promtool(
  binary: string,
  args: readonly string[],
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(binary, [...args], { cwd: KIT });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
