// A state file whose JSON parses but whose inner structure is broken is refused on load, naming the
// bad path, and left untouched — instead of loading and answering 500 to every later call.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateFileError } from '../../emulator/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { givenCluster, givenService, givenTaskDefinition } from './world.js';

const root = new URL('../../', import.meta.url).pathname;
let dir: string;
let good: Record<string, unknown>;

beforeAll(async () => {
  // given a state file written by a real emulator with a cluster, a task definition and a service
  dir = mkdtempSync(join(tmpdir(), 'emulator-state-shape-'));
  const file = join(dir, 'good.json');
  const emulator = await startTestEmulator({ stateFile: file });
  await givenCluster(emulator.ecs);
  await givenTaskDefinition(emulator.ecs);
  await givenService(emulator.ecs, { desiredCount: 1 });
  emulator.advance(3);
  await emulator.close();
  good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Region = Record<string, Record<string, unknown>>;

function broken(name: string, edit: (region: Region) => void): string {
  const state = structuredClone(good) as { regions: Record<string, Region> };
  const region = Object.values(state.regions)[0]!;
  edit(region);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(state));
  return file;
}

function firstService(region: Region): Record<string, unknown> {
  return (region.services!.prod as unknown as Array<Record<string, unknown>>)[0]!;
}

describe('emulator state file structure', () => {
  it('loads the file it wrote itself', async () => {
    const file = join(dir, 'again.json');
    writeFileSync(file, JSON.stringify(good));
    const emulator = await startTestEmulator({ stateFile: file });
    const services = await emulator.ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(services.serviceArns).toHaveLength(1);
    await emulator.close();
  });

  const cases: Array<[string, (region: Region) => void, RegExp]> = [
    [
      'deployments-not-a-list',
      (r) => {
        firstService(r).deployments = 'oops';
      },
      /regions\.us-east-1\.services\.prod\[0\]\.deployments: expected a list, got string "oops"/,
    ],
    [
      'services-not-a-list',
      (r) => {
        r.services!.prod = {} as never;
      },
      /services\.prod: expected a list, got an object/,
    ],
    [
      'cluster-status',
      (r) => {
        (r.clusters!.prod as Record<string, unknown>).status = 'GONE';
      },
      /clusters\.prod\.status: expected one of ACTIVE, INACTIVE, got string "GONE"/,
    ],
    [
      'task-missing-task',
      (r) => {
        const task = Object.values(r.tasks!)[0] as Record<string, unknown>;
        delete task.task;
      },
      /tasks\[".+"\]\.task: missing|tasks\.\w+\.task: missing/,
    ],
    [
      'desired-count-text',
      (r) => {
        firstService(r).desiredCount = '2';
      },
      /desiredCount: expected a number, got string "2"/,
    ],
    [
      'region-not-object',
      (r) => {
        for (const key of Object.keys(r)) delete r[key];
        Object.assign(r, { clusters: [] });
      },
      /clusters: expected an object, got a list/,
    ],
  ];

  for (const [name, edit, message] of cases) {
    it(`refuses ${name}, naming the path, and leaves the file untouched`, async () => {
      const file = broken(name, edit);
      const before = readFileSync(file, 'utf8');
      const error = await startTestEmulator({ stateFile: file }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateFileError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/It was left untouched/);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });
  }

  it('the emulator command exits non-zero with the reason on stderr', async () => {
    const file = broken('cli', (r) => {
      firstService(r).deployments = 'oops';
    });
    const before = readFileSync(file, 'utf8');
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'ecs-gitops.js'), 'emulator', '--port', '0', '--state', file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      /cli\.json cannot be used: its content is malformed at .*deployments: expected a list/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 30_000);
});
