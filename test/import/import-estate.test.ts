// The whole handover on a varied estate built without ecs-gitops (AWS SDK + aws CLI): import every
// cluster, validate, diff (exit 0: adoptions only), apply (tag writes only, counted by operation
// from the emulator), diff again (exit 0, nothing left).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { readEstate } from '../../controller/live/estate.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';
import { controllerClients } from '../live/support.js';
import {
  buildEstate,
  ESTATE_SERVICES,
  FOREIGN_SERVICES,
  GOLDEN_ESTATE,
  GOLDEN_SERVICES,
  HAS_AWS_CLI,
} from './estate.js';

const env = useTestEmulator();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-import-'));
  dirs.push(dir);
  return dir;
}

/** The three representative services' estate, read from the emulator, as the golden test's input. */
async function captureGoldenEstate(url: string): Promise<void> {
  const clients = controllerClients(url);
  try {
    const estate = await readEstate(clients, {
      clusters: ['web-prod', 'batch', 'mesh'],
      services: [...GOLDEN_SERVICES],
    });
    writeFileSync(GOLDEN_ESTATE, `${JSON.stringify(estate, null, 2)}\n`);
  } finally {
    clients.destroy();
  }
}

const WRITES = /^(ecs|application-autoscaling):(?!Describe|List)/;

if (!HAS_AWS_CLI)
  console.warn('import-estate.test.ts: skipped — the `aws` CLI is not installed (apt-get install awscli)');

describe.skipIf(!HAS_AWS_CLI)('importing an estate made with the SDK and the aws CLI', () => {
  it('given 14 services over 3 clusters, when imported, then validate passes, diff is empty, apply only tags, and diff stays empty', async () => {
    await buildEstate(env());
    const out = outDir();
    const endpoint = ['--endpoint-url', env().url];

    if (process.env.UPDATE_GOLDEN) await captureGoldenEstate(env().url);

    const imported = await runCliCaptured(['import', '--all-clusters', '--out', out, ...endpoint]);
    expect(imported.stderr).not.toContain('error:');
    expect(imported.code).toBe(0);
    const serviceCount = Object.values(ESTATE_SERVICES).flat().length;
    expect(serviceCount).toBeGreaterThanOrEqual(12);
    expect(imported.stdout).toContain(
      `Import: 3 cluster(s), ${serviceCount} service(s); ${serviceCount + 3} file(s) written, 0 skipped`,
    );
    for (const [service, owner] of Object.entries(FOREIGN_SERVICES)) {
      expect(imported.stderr).toMatch(new RegExp(`Service/[a-z-]*${service}: managed by ${owner}`));
    }
    expect(imported.stderr).toContain('ADMIN_TOKEN, which looks like a secret');
    expect(imported.stderr).toContain('runs web:1 while Service/web runs web:2');

    const validated = await runCliCaptured(['validate', out]);
    expect(validated.stdout + validated.stderr).not.toContain('error');
    expect(validated.code).toBe(0);

    const first = await runCliCaptured(['diff', '--path', out, ...endpoint]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('= Service/web will be adopted');
    expect(first.stdout).not.toMatch(/^[~+-] /m);

    env().resetCalls();
    const applied = await runCliCaptured(['apply', '--path', out, ...endpoint]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const writes = Object.fromEntries(Object.entries(env().calls()).filter(([op]) => WRITES.test(op)));
    // One TagResource per adopted resource: 3 clusters, 8 task definition families, 11 of the 14
    // services (the 3 foreign ones and their task definitions are left alone), 3 scalable targets.
    const foreign = Object.keys(FOREIGN_SERVICES).length;
    expect(writes).toEqual({
      'ecs:TagResource': 3 + (11 - foreign) + (serviceCount - foreign),
      'application-autoscaling:TagResource': 3,
    });

    const described = await env().ecs.send(
      new DescribeServicesCommand({ cluster: 'web-prod', services: ['web', 'cfn-app'], include: ['TAGS'] }),
    );
    const tags = (name: string) =>
      Object.fromEntries(
        (described.services?.find((s) => s.serviceName === name)?.tags ?? []).map((t) => [t.key, t.value]),
      );
    expect(Object.keys(tags('web'))).toEqual(
      expect.arrayContaining(['ecs-gitops/managed-by', 'ecs-gitops/revision', 'ecs-gitops/spec-hash']),
    );
    expect(tags('cfn-app')['ecs-gitops/managed-by']).toBeUndefined();

    const second = await runCliCaptured(['diff', '--path', out, ...endpoint]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes.');
  }, 120_000);
});
