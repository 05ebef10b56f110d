// The Prometheus alerting rules of docs/monitoring/ are valid (promtool check rules) and fire when
// they should (promtool test rules over alerts.test.yaml). CI installs Debian's prometheus package.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promtool, promtoolPath } from './kit.js';

const binary = await promtoolPath();
if (!binary) {
  console.warn(
    'promtool not found: skipping the alert rule checks (apt-get install -y prometheus to run them)',
  );
}

describe.skipIf(!binary)('alerting rules (promtool)', () => {
  it('given docs/monitoring/alerts.yaml, when promtool checks it, then every rule parses', async () => {
    const result = await promtool(binary!, ['check', 'rules', 'alerts.yaml']);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code).toBe(0);
  });

  it('given the rule unit tests, when promtool runs them, then each alert fires exactly as specified', async () => {
    const result = await promtool(binary!, ['test', 'rules', 'alerts.test.yaml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('given a rule with a PromQL error, when promtool checks it, then it fails (the check can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-rules-'));
    try {
      const file = join(dir, 'bad.yaml');
      await writeFile(
        file,
        'groups:\n  - name: bad\n    rules:\n      - alert: Bad\n        expr: sum by (job (ecs_gitops_reconcile_total)\n',
      );
      const result = await promtool(binary!, ['check', 'rules', file]);
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/FAILED|error/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
