// The progressive example (manifests/examples-progressive: a CANARY service with an approval gate,
// a BLUE_GREEN one with an alarm): validate, apply from empty on the emulator, re-diff to zero
// changes (the gate's PAUSE hook is part of the desired content, never drift), and answer the gate.
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 } });
const DIR = new URL('../../manifests/examples-progressive/', import.meta.url).pathname;

function cli(...args: string[]) {
  return runCliCaptured(args[0] === 'validate' ? [...args, DIR] : [...args, '--path', DIR], {
    cwd: DIR,
    env: { AWS_REGION: 'us-east-1' },
  });
}

async function checkoutDeployment() {
  const { ecs } = env();
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['checkout'] })))
    .services?.[0];
  const out = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [service!.currentServiceDeployment!] }),
  );
  return out.serviceDeployments![0]!;
}

describe('manifests/examples-progressive', () => {
  it('validates, applies, re-diffs to zero, and is promoted through its gates', async () => {
    expect((await cli('validate')).code).toBe(0);
    const applied = await cli('apply', '--endpoint-url', env().url);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const diffed = await cli('diff', '--endpoint-url', env().url);
    expect(diffed.stdout).not.toContain('~');
    expect(diffed.code).toBe(0);
    // the canary waits at its gate before production traffic moves; promote answers it
    await expect
      .poll(async () => (await checkoutDeployment()).lifecycleHookDetails?.[0]?.status, { timeout: 20_000 })
      .toBe('AWAITING_ACTION');
    const promoted = await cli('promote', 'Service/checkout', '--endpoint-url', env().url);
    expect(promoted.stdout).toMatch(/^promoted Service\/checkout at PRE_PRODUCTION_TRAFFIC_SHIFT/);
    expect(promoted.code).toBe(0);
    // ECS keeps no record of who answered: the CLI says so and names the way that records it
    expect(promoted.stderr).toMatch(/^note: answered in ECS directly, so \S+ is not recorded; --server URL/);
    const untargeted = await cli(
      'promote',
      'Service/checkout',
      '--target',
      'prod',
      '--endpoint-url',
      env().url,
    );
    expect(untargeted.code).toBe(2);
    expect(untargeted.stderr).toMatch(/--target prod needs --server/);
    // a rollback where nothing waits is refused with exit 1 once the deployment is over
    await expect
      .poll(async () => (await checkoutDeployment()).lifecycleHookDetails?.[0]?.status, { timeout: 20_000 })
      .toBe('AWAITING_ACTION');
    expect((await cli('rollback', 'Service/checkout', '--endpoint-url', env().url)).code).toBe(0);
    await expect
      .poll(async () => (await checkoutDeployment()).status, { timeout: 20_000 })
      .toBe('ROLLBACK_FAILED');
    const refused = await cli('promote', 'Service/checkout', '--endpoint-url', env().url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/promote refused: .* is ROLLBACK_FAILED; nothing to promote/);
  }, 60_000);
});
