// IAM roles and ELBv2 target groups in the emulator, over the AWS query protocol (form-encoded POST,
// XML answers and errors), as the IAM and Elastic Load Balancing API references define them: proven
// with the real SDK clients and with the Debian `aws` CLI (botocore, an independent client).
import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';
import { errorOf } from './world.js';

const env = useTestEmulator();

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

function clients(region = 'us-east-1') {
  const config = { endpoint: env().url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { iam: new IAMClient(config), elb: new ElasticLoadBalancingV2Client(config) };
}

describe('IAM roles (SDK)', () => {
  it('given a created role, when GetRole asks for it, then it answers its identity and the URL-encoded trust policy', async () => {
    const { iam } = clients();
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'web-task',
        Path: '/ecs/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'web',
      }),
    );
    expect(created.Role).toMatchObject({
      RoleName: 'web-task',
      Path: '/ecs/',
      Arn: 'arn:aws:iam::123456789012:role/ecs/web-task',
    });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);

    const got = await iam.send(new GetRoleCommand({ RoleName: 'WEB-TASK' }));
    expect(got.Role).toMatchObject({
      RoleName: 'web-task',
      Arn: 'arn:aws:iam::123456789012:role/ecs/web-task',
      Description: 'web',
      MaxSessionDuration: 3600,
      RoleId: created.Role?.RoleId,
    });
    expect(got.Role?.CreateDate).toBeInstanceOf(Date);
    // IAM returns policies URL-encoded (RFC 3986); the SDK does not decode them
    expect(got.Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      JSON.parse(TRUST),
    );
    iam.destroy();
  });

  it('given bad input or a missing role, when called, then IAM answers its error codes and statuses', async () => {
    const { iam } = clients();
    await iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: TRUST }));
    expect(
      await errorOf(iam.send(new CreateRoleCommand({ RoleName: 'DUP', AssumeRolePolicyDocument: TRUST }))),
    ).toEqual({
      name: 'EntityAlreadyExistsException',
      message: 'Role with name DUP already exists.',
      status: 409,
    });
    expect(
      await errorOf(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{nope' }))),
    ).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
    });
    expect(
      await errorOf(
        iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST })),
      ),
    ).toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    });
    expect(
      await errorOf(
        iam.send(new CreateRoleCommand({ RoleName: 'p', Path: 'nope', AssumeRolePolicyDocument: TRUST })),
      ),
    ).toMatchObject({ name: 'ValidationError' });
    expect(await errorOf(iam.send(new GetRoleCommand({ RoleName: 'ghost' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name ghost cannot be found.',
      status: 404,
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'dup' }));
    expect(await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'dup' })))).toMatchObject({
      name: 'NoSuchEntityException',
    });
    iam.destroy();
  });

  it('given a role created through one region, when asked through another, then it is there (IAM is global to the account)', async () => {
    const { iam } = clients('us-east-1');
    await iam.send(new CreateRoleCommand({ RoleName: 'global', AssumeRolePolicyDocument: TRUST }));
    const other = clients('eu-west-1').iam;
    expect((await other.send(new GetRoleCommand({ RoleName: 'global' }))).Role?.RoleName).toBe('global');
    expect(env().calls()).toMatchObject({ 'iam:CreateRole': 1, 'iam:GetRole': 1 });
    iam.destroy();
    other.destroy();
  });
});

describe('ELBv2 target groups (SDK)', () => {
  it('given a created target group, when described by ARN or name, then it carries the defaults of its protocol', async () => {
    const { elb } = clients();
    const created = await elb.send(
      new CreateTargetGroupCommand({
        Name: 'web',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: 'vpc-1',
        TargetType: 'ip',
      }),
    );
    const group = created.TargetGroups?.[0];
    expect(group?.TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/web\/[0-9a-f]{16}$/,
    );
    const byArn = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [group?.TargetGroupArn ?? ''] }),
    );
    expect(byArn.TargetGroups).toEqual([
      {
        TargetGroupArn: group?.TargetGroupArn,
        TargetGroupName: 'web',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: 'vpc-1',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 6,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200' },
        LoadBalancerArns: [],
        TargetType: 'ip',
        ProtocolVersion: 'HTTP1',
        IpAddressType: 'ipv4',
      },
    ]);
    const tcp = await elb.send(
      new CreateTargetGroupCommand({ Name: 'nlb', Protocol: 'TCP', Port: 5432, VpcId: 'vpc-1' }),
    );
    expect(tcp.TargetGroups?.[0]).toMatchObject({
      HealthCheckProtocol: 'TCP',
      HealthCheckTimeoutSeconds: 10,
      TargetType: 'instance',
    });
    expect(tcp.TargetGroups?.[0]).not.toHaveProperty('HealthCheckPath');
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: ['nlb', 'web'] }));
    expect(byName.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['nlb', 'web']);
    const paged = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 1 }));
    expect(paged.TargetGroups).toHaveLength(1);
    expect(paged.NextMarker).toBeDefined();
    elb.destroy();
  });

  it('given the same name, when created again, then the same settings answer the existing group and others are a duplicate', async () => {
    const { elb } = clients();
    const input = { Name: 'api', Protocol: 'HTTP' as const, Port: 8080, VpcId: 'vpc-1' };
    const first = await elb.send(new CreateTargetGroupCommand(input));
    const again = await elb.send(new CreateTargetGroupCommand(input));
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(first.TargetGroups?.[0]?.TargetGroupArn);
    expect(await errorOf(elb.send(new CreateTargetGroupCommand({ ...input, Port: 9090 })))).toMatchObject({
      name: 'DuplicateTargetGroupNameException',
      message: "A target group with the same name 'api' exists, but with different settings",
    });
    elb.destroy();
  });

  it('given unknown groups or bad input, when called, then ELB answers TargetGroupNotFound and ValidationError', async () => {
    const { elb } = clients();
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ghost/0123456789abcdef';
    expect(await errorOf(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missing] })))).toEqual({
      name: 'TargetGroupNotFoundException',
      message: 'One or more target groups not found',
      status: 400,
    });
    expect(await errorOf(elb.send(new DescribeTargetGroupsCommand({ Names: ['ghost'] })))).toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
    expect(
      await errorOf(
        elb.send(new CreateTargetGroupCommand({ Name: '-web', Protocol: 'HTTP', Port: 80, VpcId: 'v' })),
      ),
    ).toMatchObject({
      name: 'ValidationError',
    });
    expect(
      await errorOf(elb.send(new CreateTargetGroupCommand({ Name: 'noport', Protocol: 'HTTP', VpcId: 'v' }))),
    ).toMatchObject({
      name: 'ValidationError',
      message: 'A port must be specified',
    });
    expect(await errorOf(elb.send(new DescribeTargetGroupsCommand({ PageSize: 401 })))).toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value '401' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 400",
    });
    // deleting what does not exist succeeds (the reference lists no not-found error)
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: missing }));
    elb.destroy();
  });

  it('given a throttling fault on DescribeTargetGroups, when called, then the XML error is Throttling', async () => {
    await env().fault({ operation: 'elasticloadbalancing:DescribeTargetGroups', kind: 'throttle', count: 1 });
    const { elb } = clients();
    expect(await errorOf(elb.send(new DescribeTargetGroupsCommand({})))).toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
    });
    expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toEqual([]);
    elb.destroy();
  });
});

describe.skipIf(!hasAwsCli)('IAM and ELBv2 with the aws CLI', { timeout: 180_000 }, () => {
  it('creates and reads a role and a target group; errors name the AWS codes', async () => {
    const url = env().url;
    await awsCli(
      url,
      'us-east-1',
      'iam',
      'create-role',
      '--role-name',
      'cli-role',
      '--assume-role-policy-document',
      TRUST,
    );
    const role = (await awsCli(url, 'us-east-1', 'iam', 'get-role', '--role-name', 'cli-role')) as {
      Role: { Arn: string; AssumeRolePolicyDocument: unknown };
    };
    expect(role.Role.Arn).toBe('arn:aws:iam::123456789012:role/cli-role');
    // botocore decodes the URL-encoded policy document into JSON, as it does for real IAM
    expect(role.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(TRUST));
    await expect(awsCli(url, 'us-east-1', 'iam', 'get-role', '--role-name', 'ghost')).rejects.toThrow(
      /NoSuchEntity.*The role with name ghost cannot be found/,
    );

    const created = (await awsCli(
      url,
      'us-east-1',
      'elbv2',
      'create-target-group',
      '--name',
      'cli-tg',
      '--protocol',
      'HTTP',
      '--port',
      '80',
      '--vpc-id',
      'vpc-1',
      '--target-type',
      'ip',
    )) as { TargetGroups: Array<{ TargetGroupArn: string }> };
    const arn = created.TargetGroups[0]?.TargetGroupArn ?? '';
    const described = (await awsCli(
      url,
      'us-east-1',
      'elbv2',
      'describe-target-groups',
      '--target-group-arns',
      arn,
    )) as {
      TargetGroups: Array<Record<string, unknown>>;
    };
    expect(described.TargetGroups[0]).toMatchObject({
      TargetGroupName: 'cli-tg',
      Port: 80,
      Protocol: 'HTTP',
      TargetType: 'ip',
    });
    await expect(
      awsCli(url, 'us-east-1', 'elbv2', 'describe-target-groups', '--names', 'ghost'),
    ).rejects.toThrow(/TargetGroupNotFound.*One or more target groups not found/);
    await awsCli(url, 'us-east-1', 'elbv2', 'delete-target-group', '--target-group-arn', arn);
    expect(await awsCli(url, 'us-east-1', 'elbv2', 'describe-target-groups')).toEqual({ TargetGroups: [] });
  });
});
