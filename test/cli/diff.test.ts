// `ecs-gitops diff` in-process: exit codes 0 / 1 / 2, text and JSON output, and one clear line for
// invalid manifests and for each AWS failure people hit (unreachable, access denied, bad credentials).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/cli.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { fleetManifests, seedFleet } from '../live/fleet.js';

const env = useTestEmulator();
const dirs: string[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const server of servers.splice(0)) await new Promise((done) => server.close(done));
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-diff-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function run(args: string[]) {
  return runCommand(args, {
    cwd: process.cwd(),
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...process.env, NO_COLOR: '1' },
  });
}

/** A real HTTP server answering every call with one AWS JSON error. */
async function failingEndpoint(status: number, type: string, message: string): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ __type: type, message }));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

describe('ecs-gitops diff', () => {
  it('exits 0 and says so when live state matches', async () => {
    // given an in-sync fleet
    await seedFleet(env(), 3);
    const dir = folder(fleetManifests(3));
    // when
    const result = await run(['diff', '--path', dir, '--endpoint-url', env().url]);
    // then
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('No changes.');
    expect(result.code).toBe(0);
  });

  it('exits 1 with the plan when something differs, and prints JSON on --output json', async () => {
    // given the fleet with one image changed in Git
    await seedFleet(env(), 3);
    const files = fleetManifests(3);
    const dir = folder({ 'fleet.yaml': (files['fleet.yaml'] ?? '').replace('nginx:1.1"', 'nginx:1.9"') });
    // when
    const text = await run(['diff', '--path', dir, '--endpoint-url', env().url]);
    const json = await run(['diff', '--path', dir, '--endpoint-url', env().url, '--output', 'json']);
    // then
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      '~ containerDefinitions[app].image: "public.ecr.aws/nginx/nginx:1.1" → "public.ecr.aws/nginx/nginx:1.9"',
    );
    expect(text.stdout).toContain('Plan: 0 to create, 2 to update, 0 to replace, 0 to delete.');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      summary: { update: number };
      entries: { key: string; action: string }[];
    };
    expect(parsed.summary.update).toBe(2);
    expect(parsed.entries.filter((e) => e.action !== 'noop').map((e) => e.key)).toEqual([
      'TaskDefinition/app-1',
      'Service/svc-0001',
    ]);
  });

  it('exits 2 and prints every manifest problem, without contacting AWS', async () => {
    const dir = folder({
      'bad.yaml':
        'apiVersion: ecs-gitops/v1\nkind: Service\nmetadata: {name: web}\nspec: {cluster: nope, taskDefinition: nope, desiredCount: -1}\n',
    });
    const result = await run(['diff', '--path', dir, '--endpoint-url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:\d+:\d+: Service\/web: /);
    expect(result.stderr).toContain('nothing compared');
    expect(result.stdout).toBe('');
  });

  it('exits 2 with one line when AWS cannot be reached', async () => {
    const dir = folder(fleetManifests(1));
    const result = await run(['diff', '--path', dir, '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: cannot reach AWS at http:\/\/127\.0\.0\.1:9: /);
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 with one line on access denied and on rejected credentials', async () => {
    const dir = folder(fleetManifests(1));
    const denied = await failingEndpoint(
      400,
      'AccessDeniedException',
      'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:DescribeClusters',
    );
    const deniedRun = await run(['diff', '--path', dir, '--endpoint-url', denied]);
    expect(deniedRun.code).toBe(2);
    expect(deniedRun.stderr).toMatch(
      /^error: access denied by AWS: DescribeClusters: User: .* not authorized/,
    );
    expect(deniedRun.stderr.trim().split('\n')).toHaveLength(1);

    const badKey = await failingEndpoint(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    const badKeyRun = await run(['diff', '--path', dir, '--endpoint-url', badKey]);
    expect(badKeyRun.code).toBe(2);
    expect(badKeyRun.stderr).toMatch(
      /^error: AWS rejected the credentials: DescribeClusters: The security token/,
    );
  });

  it('exits 2 when no source is given', async () => {
    const result = await run(['diff', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--path');
  });
});
