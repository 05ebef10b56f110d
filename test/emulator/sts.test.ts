// STS in the emulator, as the STS API reference specifies it (query protocol, XML): AssumeRole returns
// credentials of the role's account, GetCallerIdentity says who signed, and each account has its
// own ECS state. Proven with the Debian `aws` CLI (an independent client) and with the SDK's
// credential provider the controller uses.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';

const run = promisify(execFile);
const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAws)
  console.warn(
    'sts.test.ts: aws CLI cases skipped — the `aws` CLI is not installed (apt-get install awscli)',
  );

const env = useTestEmulator();

async function aws(credentials: { id: string; secret: string; token?: string }, ...args: string[]) {
  const result = await run(
    'aws',
    [...args, '--endpoint-url', env().url, '--region', 'eu-west-1', '--output', 'json'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: credentials.id,
        AWS_SECRET_ACCESS_KEY: credentials.secret,
        ...(credentials.token ? { AWS_SESSION_TOKEN: credentials.token } : {}),
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    },
  ).catch((error: { stderr?: string }) => ({ stdout: '', stderr: String(error.stderr) }));
  return {
    json: result.stdout.trim() ? (JSON.parse(result.stdout) as Record<string, never>) : undefined,
    stderr: result.stderr,
  };
}

const LONG_TERM = { id: TEST_CREDENTIALS.accessKeyId, secret: TEST_CREDENTIALS.secretAccessKey };

// Each `aws` invocation starts Python: seconds apiece on a loaded 2-core machine.
describe.skipIf(!hasAws)('STS with the aws CLI', { timeout: 180_000 }, () => {
  it("assumes a role of another account; its calls see that account's state only", async () => {
    // given the emulator's own account with a cluster
    await aws(LONG_TERM, 'ecs', 'create-cluster', '--cluster-name', 'home');
    expect((await aws(LONG_TERM, 'sts', 'get-caller-identity')).json).toMatchObject({
      Account: '123456789012',
    });

    // when a role in account 210987654321 is assumed
    const assumed = (
      await aws(
        LONG_TERM,
        'sts',
        'assume-role',
        '--role-arn',
        'arn:aws:iam::210987654321:role/deployer',
        '--role-session-name',
        'ecs-gitops-prod',
        '--external-id',
        'secret-id',
      )
    ).json as unknown as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string; AssumedRoleId: string };
    };
    // then the credentials are temporary ones of that role
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(assumed.AssumedRoleUser.Arn).toBe(
      'arn:aws:sts::210987654321:assumed-role/deployer/ecs-gitops-prod',
    );
    expect(assumed.AssumedRoleUser.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:ecs-gitops-prod$/);
    const expires = Date.parse(assumed.Credentials.Expiration) - Date.now();
    expect(expires).toBeGreaterThan(3500_000);
    expect(expires).toBeLessThanOrEqual(3600_000 + 5_000);
    const role = {
      id: assumed.Credentials.AccessKeyId,
      secret: assumed.Credentials.SecretAccessKey,
      token: assumed.Credentials.SessionToken,
    };
    expect((await aws(role, 'sts', 'get-caller-identity')).json).toEqual({
      UserId: assumed.AssumedRoleUser.AssumedRoleId,
      Account: '210987654321',
      Arn: 'arn:aws:sts::210987654321:assumed-role/deployer/ecs-gitops-prod',
    });
    // and ECS calls signed with them live in the role's account
    const created = (await aws(role, 'ecs', 'create-cluster', '--cluster-name', 'away')).json as unknown as {
      cluster: { clusterArn: string };
    };
    expect(created.cluster.clusterArn).toBe('arn:aws:ecs:eu-west-1:210987654321:cluster/away');
    const listed = (await aws(role, 'ecs', 'list-clusters')).json as unknown as { clusterArns: string[] };
    expect(listed.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:210987654321:cluster/away']);
    const home = (await aws(LONG_TERM, 'ecs', 'list-clusters')).json as unknown as { clusterArns: string[] };
    expect(home.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:cluster/home']);
  });

  it("validates as STS does: the role's one-hour maximum, the ARN, the session name", async () => {
    const arn = 'arn:aws:iam::210987654321:role/deployer';
    // (below 900 seconds the CLI refuses before sending, as botocore knows the documented minimum)
    const long = await aws(
      LONG_TERM,
      'sts',
      'assume-role',
      '--role-arn',
      arn,
      '--role-session-name',
      's1',
      '--duration-seconds',
      '7200',
    );
    expect(long.stderr).toContain(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    const badArn = await aws(
      LONG_TERM,
      'sts',
      'assume-role',
      '--role-arn',
      'arn:aws:iam::12:user/someone',
      '--role-session-name',
      's1',
    );
    expect(badArn.stderr).toContain('(ValidationError)');
    const badName = await aws(
      LONG_TERM,
      'sts',
      'assume-role',
      '--role-arn',
      arn,
      '--role-session-name',
      'has space',
    );
    expect(badName.stderr).toContain("at 'roleSessionName' failed to satisfy constraint");
  });
});

describe('STS with the SDK credential provider', () => {
  it('fromTemporaryCredentials assumes the role through the emulator and ECS calls land in that account', async () => {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam::333333333333:role/ops', RoleSessionName: 'sdk-test' },
      masterCredentials: TEST_CREDENTIALS,
      clientConfig: { region: 'us-west-2', endpoint: env().url },
    });
    const ecs = new ECSClient({ region: 'us-west-2', endpoint: env().url, credentials });
    const out = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk' }));
    expect(out.cluster?.clusterArn).toBe('arn:aws:ecs:us-west-2:333333333333:cluster/sdk');
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      'arn:aws:ecs:us-west-2:333333333333:cluster/sdk',
    ]);
    ecs.destroy();
    expect(env().emulator.calls()['sts:AssumeRole']).toBe(1);
  });
});
