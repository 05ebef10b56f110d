import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeContainerInstancesCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { StateFileError } from '../../emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { addInstances, describeService, givenCluster, givenService, givenTaskDefinition } from './world.js';

const dirs: string[] = [];
const running: TestEmulator[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  dirs.push(dir);
  return dir;
}

async function start(stateFile: string): Promise<TestEmulator> {
  const e = await startTestEmulator({ stateFile });
  running.push(e);
  return e;
}

afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('state file', () => {
  it('answers a write only once the state file holds it, so a crash right after the answer loses nothing', async () => {
    const file = join(tempDir(), 'state.json');
    const e = await start(file);
    await givenCluster(e.ecs);
    // read at once, without closing (a SIGKILL gives no chance to flush)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { regions: Record<string, { clusters: object }> };
    expect(Object.keys(saved.regions['us-east-1']?.clusters ?? {})).toEqual(['prod']);
  });

  it('keeps container instances across a restart and reads files written before EC2 capacity existed', async () => {
    // given a state file of the previous format: a region without container instances or providers
    const file = join(tempDir(), 'state.json');
    const first = await start(file);
    await givenCluster(first.ecs);
    await first.close();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      regions: Record<string, Record<string, unknown>>;
    };
    for (const region of Object.values(saved.regions)) {
      delete region.containerInstances;
      delete region.capacityProviders;
      delete region.accountSettings;
    }
    writeFileSync(file, JSON.stringify(saved));
    // when it is loaded, instances are added and the emulator restarts again
    const second = await start(file);
    expect(
      (await second.ecs.send(new ListContainerInstancesCommand({ cluster: 'prod' }))).containerInstanceArns,
    ).toEqual([]);
    const [instance] = await addInstances(second.admin, { cluster: 'prod', memory: 4096 });
    await second.close();
    const third = await start(file);
    // then the instance is still registered with its resources
    const described = await third.ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod',
        containerInstances: [instance?.containerInstanceArn ?? ''],
      }),
    );
    expect(
      described.containerInstances?.[0]?.registeredResources?.find((r) => r.name === 'MEMORY')?.integerValue,
    ).toBe(4096);
  });

  it('survives a restart: services, deployments, tasks and the clock continue', async () => {
    // given an emulator with a running service, stopped cleanly
    const file = join(tempDir(), 'state.json');
    const first = await start(file);
    await givenCluster(first.ecs);
    await givenTaskDefinition(first.ecs);
    await givenService(first.ecs, { desiredCount: 2 });
    first.advance(3);
    const before = await describeService(first.ecs);
    const clockBefore = (await first.admin('GET', '/_emulator/clock')) as { epochSeconds: number };
    await first.close();
    running.splice(running.indexOf(first), 1);
    // when a new emulator starts on the same file
    const second = await start(file);
    // then the service and its deployment are there, and time goes on from where it stopped
    const after = await describeService(second.ecs);
    expect(after.deployments?.[0]?.id).toBe(before.deployments?.[0]?.id);
    expect(after.pendingCount).toBe(2);
    const clockAfter = (await second.admin('GET', '/_emulator/clock')) as { epochSeconds: number };
    expect(clockAfter.epochSeconds).toBeCloseTo(clockBefore.epochSeconds, 3);
    second.advance(5);
    expect((await describeService(second.ecs)).runningCount).toBe(2);
  });

  it('writes atomically: the file always parses while writes happen, and no temp files are left', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const e = await start(file);
    await givenCluster(e.ecs, 'c0');
    let reads = 0;
    const reader = setInterval(() => {
      try {
        JSON.parse(readFileSync(file, 'utf8'));
        reads++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }, 1);
    for (let i = 1; i < 40; i++) await givenCluster(e.ecs, `c${i}`);
    clearInterval(reader);
    await e.close();
    running.splice(running.indexOf(e), 1);
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['state.json']);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { regions: Record<string, { clusters: object }> };
    expect(Object.keys(saved.regions['us-east-1']!.clusters)).toHaveLength(40);
  });

  it('refuses a corrupt file with a clear error and leaves it untouched', async () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(file, '{"version":1,"regions":');
    const error = await startTestEmulator({ stateFile: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toMatch(/state\.json cannot be used: it is not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"regions":');
  });

  it('refuses a file of another version or shape', async () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(file, JSON.stringify({ version: 99, accountId: '1', clockMs: 0, regions: {} }));
    await expect(startTestEmulator({ stateFile: file })).rejects.toThrow(/unsupported state version 99/);
    writeFileSync(file, JSON.stringify([1, 2]));
    await expect(startTestEmulator({ stateFile: file })).rejects.toThrow(/does not hold a JSON object/);
  });

  it('starts empty when the file does not exist yet, and creates it on close', async () => {
    const file = join(tempDir(), 'new.json');
    const e = await start(file);
    expect((await e.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    await e.close();
    running.splice(running.indexOf(e), 1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, regions: {} });
  });
});
