// A service moving from ROLLING to BLUE_GREEN on the emulator (real SDK): `diff` explains the change
// in words (how ECS deploys from then on, what it needs), `apply` says the same before it writes,
// ECS accepts it, and the next diff is empty.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 } });
const EXAMPLE = new URL('../../manifests/examples-progressive/', import.meta.url).pathname;
let dir: string;
let blueGreen: string;

/** catalog.yaml as it would have been before BLUE_GREEN: ROLLING with the circuit breaker. */
function rollingOf(catalog: string): string {
  const start = catalog.indexOf('  deploymentConfiguration:');
  return `${catalog.slice(0, start)}  deploymentConfiguration:\n    deploymentCircuitBreaker: {enable: true, rollback: true}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-strategy-'));
  await writeFile(join(dir, 'cluster.yaml'), await readFile(join(EXAMPLE, 'cluster.yaml')));
  blueGreen = await readFile(join(EXAMPLE, 'catalog.yaml'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return runCliCaptured([...args, '--path', dir, '--endpoint-url', env().url], {
    cwd: dir,
    env: { AWS_REGION: 'us-east-1' },
  });
}

describe('a strategy change, ROLLING → BLUE_GREEN', () => {
  it('is explained by diff and apply, accepted by ECS, and in sync afterwards', async () => {
    // given the service running ROLLING
    await writeFile(join(dir, 'catalog.yaml'), rollingOf(blueGreen));
    expect((await cli('apply')).code).toBe(0);

    // when the manifest moves it to BLUE_GREEN
    await writeFile(join(dir, 'catalog.yaml'), blueGreen);
    const diffed = await cli('diff');
    // then diff explains what changes for the deployments and lists nothing ECS would refuse
    expect(diffed.code).toBe(1);
    expect(diffed.stdout).toContain(
      '    # strategy ROLLING → BLUE_GREEN: from the next deployment on, each new revision (green) starts at full size next to the running one (blue), gets test traffic, then all production traffic at once; ECS keeps both for 2 min (bakeTimeInMinutes), then removes blue\n',
    );
    expect(diffed.stdout).not.toContain('ECS will refuse');
    // and apply says it too, and ECS takes it
    const applied = await cli('apply');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(
      '  # Service/catalog: strategy ROLLING → BLUE_GREEN: from the next deployment on',
    );
    const { ecs } = env();
    const live = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['catalog'] })))
      .services?.[0];
    expect(live?.deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    const again = await cli('diff');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('# strategy');
  }, 60_000);
});
