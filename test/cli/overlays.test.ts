// The overlay workflow from the command line, on manifests/examples-envs: `validate envs/*` checks
// every environment in one step, `render` prints what an environment builds, `diff --output markdown`
// is a pull request comment, and `apply` then `diff` against the emulator is in sync.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/cli.js';
import { useTestEmulator } from '../helpers/emulator.js';

const root = join(import.meta.dirname, '..', '..');
// The AWS SDK reads credentials from the process environment, not from the CLI context.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
const emulator = useTestEmulator();
const scratch = mkdtempSync(join(tmpdir(), 'ecs-gitops-overlays-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], cwd = root) {
  return runCommand(args, {
    cwd,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1' },
  });
}

/** A copy of the example, outside this checkout, to break on purpose. */
function copyOfExample(): string {
  const dir = mkdtempSync(join(scratch, 'repo-'));
  cpSync(join(root, 'manifests', 'examples-envs'), dir, { recursive: true });
  return dir;
}

describe('overlays on the command line', () => {
  it('validate checks several folders at once, overlays rendered', async () => {
    const result = await run([
      'validate',
      'manifests/examples-envs/envs/prod',
      'manifests/examples-envs/envs/staging',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^manifests\/examples-envs\/envs\/prod: 3 resources valid/m);
    expect(result.stdout).toMatch(/^manifests\/examples-envs\/envs\/staging: 3 resources valid/m);

    const json = JSON.parse(
      (await run(['validate', 'manifests/examples-envs/envs/prod', 'manifests/examples', '--output', 'json']))
        .stdout,
    );
    expect(json.ok).toBe(true);
    expect(json.folders.map((folder: { path: string }) => folder.path)).toEqual([
      'manifests/examples-envs/envs/prod',
      'manifests/examples',
    ]);
  });

  it('validate fails when any folder fails, naming the overlay line that broke it', async () => {
    const repo = copyOfExample();
    const overlay = join(repo, 'envs', 'prod', 'ecs-gitops.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('desiredCount: 3', 'desiredCount: -3'));
    const result = await run(['validate', 'envs/staging', 'envs/prod'], repo);
    expect(result.code).toBe(1);
    const line =
      readFileSync(overlay, 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('desiredCount: -3')) + 1;
    expect(result.stdout).toContain(
      `envs/prod/ecs-gitops.yaml:${line}:25: Service/prod-web: spec.desiredCount: must be integer >= 0, got -3`,
    );
    expect(result.stdout).toMatch(/^envs\/staging: 3 resources valid/m);
  });

  it('render prints the YAML the golden test records, or JSON', async () => {
    const yaml = await run(['render', '--dir', 'manifests/examples-envs/envs/prod']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toBe(
      readFileSync(join(root, 'test/fixtures/overlay/examples-envs-prod.rendered.yaml'), 'utf8'),
    );
    const json = await run(['render', '--dir', 'manifests/examples-envs/envs/prod', '--output', 'json']);
    expect((JSON.parse(json.stdout) as { metadata: { name: string } }[]).map((d) => d.metadata.name)).toEqual(
      ['prod-apps', 'prod-web', 'prod-web'],
    );
  });

  it('render prints nothing on stdout for a broken overlay, the problem on stderr, exit 1', async () => {
    const repo = copyOfExample();
    const overlay = join(repo, 'envs', 'staging', 'ecs-gitops.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('../../base', '../../../outside'));
    const result = await run(['render', '--dir', 'envs/staging'], repo);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^envs\/staging\/ecs-gitops\.yaml:\d+:7: Overlay\/staging: spec\.resources\[0\]: "\.\.\/\.\.\/\.\.\/outside" resolves outside the repository/m,
    );
  });

  it('diff --output markdown is a pull request comment; after apply it says no changes', async () => {
    const args = ['--dir', 'manifests/examples-envs/envs/staging', '--endpoint-url', emulator().url];
    const before = await run(['diff', ...args, '--output', 'markdown']);
    expect(before.code, before.stderr).toBe(1);
    expect(before.stdout).toContain('<!-- ecs-gitops-diff manifests/examples-envs/envs/staging -->');
    expect(before.stdout).toContain('**Plan: 3 to create, 0 to update, 0 to replace, 0 to delete.**');
    expect(before.stdout).toContain('| `+` | `TaskDefinition/staging-web` | create |');
    const block = before.stdout.split('<code>+ TaskDefinition/staging-web will be created</code>')[1] ?? '';
    const details = block.split('</details>')[0] ?? '';
    expect(details).toContain('```diff\n+ ');
    expect(details).toContain(
      '+ containerDefinitions[web]: {"name":"web","image":"public.ecr.aws/nginx/nginx:1.28"',
    );

    const applied = await run(['apply', ...args]);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await run(['diff', ...args, '--output', 'markdown']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('**No changes.** Live state matches the manifests (3 resources).');
  });
});
