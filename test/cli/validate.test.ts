// `ecs-gitops validate`: every problem printed as file:line:col, exit 0 clean / 1 problems, JSON output.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { EXAMPLE_RESOURCES } from '../helpers/example-fleet.js';

const root = join(import.meta.dirname, '..', '..');

async function validate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const code = await runCli(['validate', ...args], {
    stdout,
    stderr,
    env: {},
    cwd: root,
    stopSignal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}

let bad: string;

beforeAll(async () => {
  // given a folder with every kind of bad input the issue lists
  bad = await mkdtemp(join(tmpdir(), 'ecs-gitops-validate-'));
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    lines.push(
      `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(96 + level)}`)
        .join(',')}]`,
    );
  }
  await writeFile(join(bad, 'bomb.yaml'), `${lines.join('\n')}\n`);
  await writeFile(join(bad, 'big.yaml'), Buffer.alloc(10 * 1024 * 1024, 0x23));
  await writeFile(
    join(bad, 'garbage.yaml'),
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff]),
  );
  await writeFile(join(bad, 'empty.yaml'), '');
  await writeFile(join(bad, 'dashes.yaml'), '---\n---\n');
  await writeFile(
    join(bad, 'dup.yaml'),
    'apiVersion: ecs-gitops/v1\nkind: Cluster\nkind: Cluster\nmetadata: {name: a}\nspec: {}\n',
  );
  await writeFile(join(bad, 'list.yaml'), '- 1\n');
  await writeFile(
    join(bad, 'kind.yaml'),
    'apiVersion: ecs-gitops/v2\nkind: Deployment\nmetadata: {name: a}\nspec: {}\n',
  );
  await writeFile(join(tmpdir(), 'ecs-gitops-outside.yaml'), 'x: 1\n');
  await symlink(join(tmpdir(), 'ecs-gitops-outside.yaml'), join(bad, 'link.yaml'));
});

afterAll(async () => {
  await rm(bad, { recursive: true, force: true });
  await rm(join(tmpdir(), 'ecs-gitops-outside.yaml'), { force: true });
});

describe('ecs-gitops validate', () => {
  it('exits 0 on the example fleet', async () => {
    const result = await validate('manifests/examples');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^manifests/examples: ${EXAMPLE_RESOURCES} resources valid \\(revision sha256:[0-9a-f]{12}\\)\n$`,
      ),
    );
  });

  it('prints every problem as file:line:col: Kind/name: path: message and exits 1', async () => {
    const result = await validate('test/fixtures/manifest/invalid');
    expect(result.code).toBe(1);
    const prefix = 'test/fixtures/manifest/invalid';
    expect(result.stdout.trim().split('\n')).toEqual([
      `${prefix}/broken.yaml:4:1: invalid YAML: deficient indentation`,
      `${prefix}/web.yaml:9:11: TaskDefinition/web: spec.memory: Fargate does not support cpu 256 with memory 4096 MiB; with cpu 256 memory must be 512, 1024, 2048 MiB`,
      `${prefix}/web.yaml:13:52: TaskDefinition/web: spec.containerDefinitions[0].portMappings[0].hostPort: with networkMode "awsvpc" hostPort must equal containerPort (80) or be omitted, got 8080`,
      `${prefix}/web.yaml:21:17: Service/web: spec.desiredCount: must be integer >= 0, got -1`,
      `${prefix}/web.yaml:22:3: Service/web: spec.desiredCont: unknown field "desiredCont" (did you mean "desiredCount"?)`,
    ]);
    expect(result.stderr).toBe('5 problems found; nothing would be applied\n');
  });

  it('reports each bad input with a clear message and no stack trace', async () => {
    const result = await validate(bad);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.slice(line.indexOf('/ecs-gitops-validate-')).replace(/^\/[^/]+\//, ''));
    expect(lines).toEqual([
      'big.yaml:1:1: file is too large (10.0 MB; the limit is 1.0 MB per manifest file)',
      'bomb.yaml:1:1: YAML aliases expand to more than 100000 nodes (an alias bomb?); document rejected without expanding it',
      'dup.yaml:3:1: kind: duplicate key "kind"',
      'garbage.yaml:1:1: not a text file (contains NUL bytes); expected YAML',
      'kind.yaml:1:13: apiVersion: unsupported apiVersion "ecs-gitops/v2"; expected "ecs-gitops/v1"',
      'kind.yaml:2:7: kind: unknown kind "Deployment"; expected one of CapacityProvider, Cluster, TaskDefinition, Service, ScalingPolicy, ScheduledTask, Task',
      expect.stringMatching(
        /^link\.yaml:1:1: symlink points outside the manifest folder \(to .+\); refused$/,
      ),
      'list.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec, got a list',
    ]);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives the same as data with --output json', async () => {
    const result = await validate('test/fixtures/manifest/invalid', '--output', 'json');
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems).toHaveLength(5);
    expect(output.problems[3]).toEqual({
      file: 'test/fixtures/manifest/invalid/web.yaml',
      line: 21,
      column: 17,
      resource: 'Service/web',
      path: 'spec.desiredCount',
      message: 'must be integer >= 0, got -1',
    });
    const clean = JSON.parse((await validate('manifests/examples', '--output', 'json')).stdout);
    expect(clean.ok).toBe(true);
    expect(
      clean.resources.map((resource: { kind: string; name: string }) => `${resource.kind}/${resource.name}`),
    ).toContain('ScalingPolicy/web');
  });

  it('validates a single file and reports a missing folder', async () => {
    expect((await validate('test/fixtures/manifest/invalid/broken.yaml')).stdout).toBe(
      'test/fixtures/manifest/invalid/broken.yaml:4:1: invalid YAML: deficient indentation\n',
    );
    const missing = await validate('does/not/exist');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('does/not/exist:1:1: no such folder\n');
  });

  it('runs as a real process with the documented exit codes', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['bin/ecs-gitops.js', 'validate', 'manifests/examples'], {
      cwd: root,
    });
    expect(ok.stdout).toContain(`${EXAMPLE_RESOURCES} resources valid`);
    const failed = await run(process.execPath, ['bin/ecs-gitops.js', 'validate', bad], { cwd: root }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in failed && failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  }, 120_000); // two real processes (tsx transpiles on start): slow on a loaded machine
});
