// Hostile manifests against `validate` (the same loader the controller runs on every revision):
// each is refused with a clear problem naming the file, in bounded time and memory, and none
// hangs, crashes or pollutes prototypes.
//
// Bounds (generous, measured in a fresh child process, so a loaded machine does not make them
// flaky): peak resident memory under 300 MB (an empty validate takes ~130 MB; 100,000 tiny
// documents took 590 MB before documents were bounded) and under 30 s of CPU time.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const MEASURE = join(import.meta.dirname, 'measure-validate.ts');
const HOSTILE_BOUNDS = { maxRssMb: 300, cpuMs: 30_000 } as const;

interface Measured {
  code: number;
  cpuMs: number;
  maxRssMb: number;
  polluted: boolean;
  outputBytes: number;
  result: {
    ok: boolean;
    problems: Array<{ file: string; line: number; message: string }>;
    problemCount?: number;
  };
}

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'ecs-gitops-hostile-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

async function measure(dir: string): Promise<Measured> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', MEASURE, dir], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return JSON.parse(stdout) as Measured;
}

function expectBounded(measured: Measured): void {
  expect(measured.maxRssMb).toBeLessThan(HOSTILE_BOUNDS.maxRssMb);
  expect(measured.cpuMs).toBeLessThan(HOSTILE_BOUNDS.cpuMs);
  expect(measured.polluted).toBe(false);
  // what is reported is bounded too: at most 100 problems of at most ~1 KB each
  expect(measured.outputBytes).toBeLessThan(256 * 1024);
}

const CLUSTER = 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';

describe('hostile manifests', { timeout: 180_000 }, () => {
  it('100,000 tiny documents in one 900 KB file: one problem naming the file', async () => {
    const dir = await folder('many-documents', {
      'many.yaml': '---\na: 1\n'.repeat(100_000),
      'ok.yaml': CLUSTER,
    });
    const measured = await measure(dir);
    expect(measured.code).toBe(1);
    expect(measured.result.problems).toEqual([
      expect.objectContaining({
        file: 'many.yaml',
        message: expect.stringMatching(/more than 1000 YAML documents/),
      }),
    ]);
    expectBounded(measured);
  });

  it('alias bombs, 10,000-level nesting, __proto__ keys, a symlink out, a FIFO and control characters: each refused by name', async () => {
    const bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 12; level++) {
      bomb.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(',')}]`,
      );
    }
    const depth = 10_000;
    const dir = await folder('mixed', {
      'bomb.yaml': `${bomb.join('\n')}\n`,
      'flow.yaml': `${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      'block.yaml': `${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`,
      'proto.yaml': [
        'apiVersion: ecs-gitops/v1',
        'kind: Cluster',
        'metadata: {name: prod, __proto__: {polluted: yes}, annotations: {constructor: {prototype: {polluted: yes}}}}',
        'spec: {__proto__: {polluted: yes}, constructor: {polluted: yes}, tags: {__proto__: x}}',
        '',
      ].join('\n'),
      'control.yaml':
        'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: "a\\e[2Jb\\u202e"}\nspec: {}\n',
      'ok.yaml': CLUSTER.replace('prod', 'ok'),
    });
    const outside = join(base, 'outside.yaml');
    await writeFile(outside, CLUSTER);
    await symlink(outside, join(dir, 'escape.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    // when validated (a FIFO read would block forever: finishing at all is part of the check)
    const measured = await measure(dir);
    // then every hostile file is named, nothing leaked into prototypes, and it stayed in bounds
    expect(measured.code).toBe(1);
    expect(measured.polluted).toBe(false);
    const byFile = new Map<string, string[]>();
    for (const problem of measured.result.problems) {
      byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem.message]);
    }
    expect([...byFile.keys()].sort()).toEqual([
      'block.yaml',
      'bomb.yaml',
      'control.yaml',
      'escape.yaml',
      'flow.yaml',
      'pipe.yaml',
      'proto.yaml',
    ]);
    expect(byFile.get('bomb.yaml')?.join()).toMatch(/alias/);
    expect(byFile.get('escape.yaml')?.join()).toMatch(/symlink points outside/);
    expect(byFile.get('control.yaml')?.join()).toContain('\\u202e');
    expect(JSON.stringify(measured.result)).not.toMatch(RAW_CONTROL);
    expectBounded(measured);
  });

  it('a 20 MB string is refused by size, and a 900 KB one is quoted clipped', async () => {
    const dir = await folder('big-strings', {
      'huge.yaml': `apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: "${'x'.repeat(20 * 1024 * 1024)}"}\nspec: {}\n`,
      'large.yaml': `apiVersion: ecs-gitops/v1\nkind: "${'K'.repeat(900 * 1024)}"\nmetadata: {name: a}\nspec: {}\n`,
    });
    const measured = await measure(dir);
    expect(measured.code).toBe(1);
    const byFile = Object.fromEntries(measured.result.problems.map((p) => [p.file, p.message]));
    expect(byFile['huge.yaml']).toMatch(
      /file is too large \(20\.0 MB; the limit is 1\.0 MB per manifest file\)/,
    );
    expect(byFile['large.yaml']).toMatch(/^unknown kind "K+… \(\d+ more characters\)$/);
    expectBounded(measured);
  });
});
