// `ecs-gitops import` in-process against the emulator: the refusals and the summary. A
// CloudFormation-owned service is not adopted without --adopt-owned; an existing file is never
// overwritten without --force; an unknown cluster or service is exit 2 with one clear line.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator();
const dirs: string[] = [];
let out = '';

beforeEach(async () => {
  out = mkdtempSync(join(tmpdir(), 'ecs-gitops-import-cli-'));
  dirs.push(out);
  const { ecs } = env();
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  for (const name of ['web', 'stack-app']) {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [{ name, image: `${name}:1`, memory: 128 }],
      }),
    );
    const service = await ecs.send(
      new CreateServiceCommand({ cluster: 'prod', serviceName: name, taskDefinition: name, desiredCount: 1 }),
    );
    if (name === 'stack-app') {
      for (const resourceArn of [td.taskDefinition?.taskDefinitionArn, service.service?.serviceArn]) {
        await env().admin('POST', '/_emulator/system-tags', {
          resourceArn,
          tags: [{ key: 'aws:cloudformation:stack-name', value: 'legacy' }],
        });
      }
    }
  }
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const importCli = (...args: string[]) =>
  runCliCaptured(['import', '--out', out, '--endpoint-url', env().url, ...args]);
const file = (path: string) => readFileSync(join(out, path), 'utf8');

describe('ecs-gitops import', () => {
  it('given an unknown cluster, then it exits 2 naming it and writes nothing', async () => {
    const run = await importCli('--cluster', 'prod', '--cluster', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: cluster "nope" not found in ${env().url} (no ACTIVE cluster of that name); nothing written\n`,
    );
    expect(existsSync(join(out, 'prod'))).toBe(false);
  });

  it('given an unknown service, then it exits 2 naming it', async () => {
    const run = await importCli('--cluster', 'prod', '--service', 'web,nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: service "nope" not found in the clusters read; nothing written');
  });

  it('given no cluster, then it says how to name one', async () => {
    const run = await importCli();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--cluster NAME (repeatable) or --all-clusters');
  });

  it('given a CloudFormation-owned service, when imported without --adopt-owned, then it has no adopt annotation and apply leaves it alone', async () => {
    const run = await importCli('--cluster', 'prod');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'prod/stack-app.yaml: Service/stack-app: managed by CloudFormation (stack legacy): imported without ecs-gitops/adopt',
    );
    expect(file('prod/stack-app.yaml')).not.toContain('ecs-gitops/adopt');
    expect(file('prod/web.yaml')).toContain('ecs-gitops/adopt: "true"');

    env().resetCalls();
    const applied = await runCliCaptured(['apply', '--path', out, '--endpoint-url', env().url]);
    expect(applied.code).toBe(0);
    // cluster, web's task definition and web: the stack's service and task definition are untouched
    expect(env().calls()['ecs:TagResource']).toBe(3);
    expect(applied.stdout).not.toContain('stack-app');
  });

  it('given --adopt-owned, then the owned service is annotated too, with a warning', async () => {
    const run = await importCli('--cluster', 'prod', '--adopt-owned');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'Service/stack-app: managed by CloudFormation (stack legacy): adopted anyway (--adopt-owned)',
    );
    expect(file('prod/stack-app.yaml')).toContain('ecs-gitops/adopt: "true"');
  });

  it('given files that exist, then they are skipped (exit 1) unless --force', async () => {
    expect((await importCli('--cluster', 'prod')).code).toBe(0);
    writeFileSync(join(out, 'prod', 'web.yaml'), '# edited by hand\n');

    const again = await importCli('--cluster', 'prod');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('prod/web.yaml: exists (use --force to overwrite)');
    expect(file('prod/web.yaml')).toBe('# edited by hand\n');

    const forced = await importCli('--cluster', 'prod', '--force');
    expect(forced.code).toBe(0);
    expect(file('prod/web.yaml')).toContain('kind: Service');
  });

  it('given --output json, then the summary is data', async () => {
    const run = await importCli('--cluster', 'prod', '--service', 'web', '--output', 'json');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      written: [
        { path: 'prod/cluster.yaml', resources: ['Cluster/prod'] },
        { path: 'prod/web.yaml', resources: ['TaskDefinition/web', 'Service/web'] },
      ],
      skipped: [],
      warnings: [],
      check: { problems: [], differences: [] },
    });
  });
});
