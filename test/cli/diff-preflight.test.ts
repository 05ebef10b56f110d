// `ecs-gitops diff` shows the preflight of what it would write (changed task definitions,
// load-balanced services), read over the real wire from the emulator; `--no-preflight` turns it
// off. The rendered text is a golden file: UPDATE_GOLDEN=1 rewrites it (review the git diff).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/cli.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { webFleet } from '../helpers/web-fleet.js';
import { createPrerequisites, REGISTRY } from '../preflight/prerequisites.js';

const env = useTestEmulator();
// The SDK's default credential chain reads the process environment.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const GOLDEN = join(import.meta.dirname, '../fixtures/preflight/diff-text.golden');
const GHOST_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';

const FLEET = webFleet({
  image: `${REGISTRY}/web:1.4`,
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  targetGroupArn: GHOST_TG,
});

function diff(dir: string, ...flags: string[]) {
  return runCommand(['diff', '--path', dir, '--endpoint-url', env().url, '--region', 'us-east-1', ...flags], {
    cwd: process.cwd(),
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1' },
  });
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-diff-preflight-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'web.yaml'), FLEET);
  return dir;
}

describe('ecs-gitops diff with preflight', () => {
  it('given a new fleet whose image, role and target group are missing, when diffed, then the plan is followed by the failed checks (golden)', async () => {
    await createPrerequisites(env().url, { images: [{ repository: 'web', tag: '1.3' }] });
    const result = await diff(folder());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, result.stdout);
    expect(result.stdout).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('given the same fleet, when diffed as JSON, then each report is data next to the plan', async () => {
    await createPrerequisites(env().url, {
      images: [{ repository: 'web', tag: '1.4' }],
      roles: [{ name: 'ecsTaskExecutionRole' }],
    });
    const result = await diff(folder(), '--output', 'json');
    const parsed = JSON.parse(result.stdout) as {
      preflight: { reports: Array<{ resource: string; ok: boolean }> };
    };
    expect(parsed.preflight.reports.map((r) => [r.resource, r.ok])).toEqual([
      ['TaskDefinition/web', true],
      ['Service/web', false],
    ]);
  });

  it('given --no-preflight, when diffed, then nothing is checked and nothing is read', async () => {
    const result = await diff(folder(), '--no-preflight');
    expect(result.stdout).not.toContain('Preflight');
    expect(result.code).toBe(1);
    const calls = Object.keys(env().calls());
    expect(calls.filter((c) => /^(ecr|iam|elasticloadbalancing):/.test(c))).toEqual([]);
  });
});
