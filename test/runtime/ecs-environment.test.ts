// ECS environment detection against a real HTTP server playing the task metadata endpoint v4.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultHolderId,
  detectEcsEnvironment,
  environmentFromTaskMetadata,
  parseTaskArn,
} from '../../controller/runtime/ecs-environment.js';

// Shapes as the ECS agent answers them (AWS docs' v4 examples): Fargate reports the cluster as an ARN.
const FARGATE_TASK = {
  Cluster: 'arn:aws:ecs:us-west-2:111122223333:cluster/platform',
  TaskARN: 'arn:aws:ecs:us-west-2:111122223333:task/platform/8f03e41243824aea923aca126495f665',
  Family: 'ecs-gitops',
  Revision: '7',
  DesiredStatus: 'RUNNING',
  KnownStatus: 'RUNNING',
  Limits: { CPU: 0.25, Memory: 512 },
  AvailabilityZone: 'us-west-2a',
  LaunchType: 'FARGATE',
  Containers: [{ Name: 'ecs-gitops', DockerId: 'abc', Labels: {} }],
};

interface MetadataServer {
  readonly uri: string;
  readonly paths: string[];
  close(): Promise<void>;
}

const servers: MetadataServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function metadataServer(
  answer: (path: string) => { status: number; body: string } | 'hang',
): Promise<MetadataServer> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    const result = answer(request.url ?? '');
    if (result === 'hang') return; // never answers: the caller's timeout must fire
    response.writeHead(result.status, { 'content-type': 'application/json' });
    response.end(result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const running = {
    // The agent's variable looks like http://169.254.170.2/v4/<container-id>; the path is kept.
    uri: `http://127.0.0.1:${port}/v4/0123456789abcdef-1234567890`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(running);
  return running;
}

describe('detectEcsEnvironment', () => {
  it('given no metadata endpoint, when detecting, then it is not in ECS and keeps AWS_REGION', async () => {
    const environment = await detectEcsEnvironment({ env: { AWS_REGION: 'eu-central-1' } });
    expect(environment).toEqual({ inEcs: false, region: 'eu-central-1' });
  });

  it('given a Fargate task, when detecting, then cluster, task, account, zone and region come from /task', async () => {
    const server = await metadataServer((path) =>
      path.endsWith('/task')
        ? { status: 200, body: JSON.stringify(FARGATE_TASK) }
        : { status: 404, body: '{}' },
    );

    const environment = await detectEcsEnvironment({ env: { ECS_CONTAINER_METADATA_URI_V4: server.uri } });

    expect(server.paths).toEqual(['/v4/0123456789abcdef-1234567890/task']);
    expect(environment).toEqual({
      inEcs: true,
      region: 'us-west-2',
      accountId: '111122223333',
      cluster: 'arn:aws:ecs:us-west-2:111122223333:cluster/platform',
      clusterName: 'platform',
      taskArn: FARGATE_TASK.TaskARN,
      taskId: '8f03e41243824aea923aca126495f665',
      taskDefinition: 'ecs-gitops:7',
      availabilityZone: 'us-west-2a',
      launchType: 'FARGATE',
    });
    expect(defaultHolderId(environment)).toBe(FARGATE_TASK.TaskARN);
  });

  it('given AWS_REGION set by ECS, when detecting, then the variable wins over the task ARN', async () => {
    const server = await metadataServer(() => ({ status: 200, body: JSON.stringify(FARGATE_TASK) }));
    const environment = await detectEcsEnvironment({
      env: { ECS_CONTAINER_METADATA_URI_V4: `${server.uri}/`, AWS_REGION: 'us-west-1' },
    });
    expect(environment.region).toBe('us-west-1');
    expect(environment.accountId).toBe('111122223333');
  });

  it('given an endpoint that never answers, when detecting, then it gives up after the timeout without throwing', async () => {
    const server = await metadataServer(() => 'hang');
    const started = performance.now();

    const environment = await detectEcsEnvironment({
      env: { ECS_CONTAINER_METADATA_URI_V4: server.uri, AWS_REGION: 'ap-south-1' },
      timeoutMs: 200,
    });

    expect(performance.now() - started).toBeLessThan(2000);
    expect(environment.inEcs).toBe(false);
    expect(environment.region).toBe('ap-south-1');
    expect(environment.problem).toMatch(/no answer within 200 ms/);
  });

  it('given an endpoint answering 500 or garbage, when detecting, then the problem is reported as data', async () => {
    const failing = await metadataServer(() => ({ status: 500, body: 'oops' }));
    const broken = await metadataServer(() => ({ status: 200, body: '<html>' }));

    const a = await detectEcsEnvironment({ env: { ECS_CONTAINER_METADATA_URI_V4: failing.uri } });
    const b = await detectEcsEnvironment({ env: { ECS_CONTAINER_METADATA_URI_V4: broken.uri } });

    expect(a).toMatchObject({ inEcs: false, problem: expect.stringMatching(/HTTP 500/) });
    expect(b).toMatchObject({ inEcs: false, problem: expect.stringMatching(/task metadata/) });
  });

  it('given a closed port, when detecting, then it is not in ECS and says why', async () => {
    const server = await metadataServer(() => ({ status: 200, body: '{}' }));
    await server.close();
    const environment = await detectEcsEnvironment({ env: { ECS_CONTAINER_METADATA_URI_V4: server.uri } });
    expect(environment.inEcs).toBe(false);
    expect(environment.problem).toBeDefined();
  });
});

describe('environmentFromTaskMetadata', () => {
  it('given an EC2 task with a bare cluster name and a short task ARN, when reading, then both still resolve', () => {
    const environment = environmentFromTaskMetadata({
      Cluster: 'default',
      TaskARN: 'arn:aws:ecs:us-east-2:012345678910:task/9781c248-0edd-4cdb-9a93-f63cb662a5d3',
      Family: 'nginx',
      Revision: '5',
    });
    expect(environment).toMatchObject({
      inEcs: true,
      region: 'us-east-2',
      accountId: '012345678910',
      cluster: 'default',
      clusterName: 'default',
      taskId: '9781c248-0edd-4cdb-9a93-f63cb662a5d3',
      taskDefinition: 'nginx:5',
    });
  });

  it('given no TaskARN, when reading, then it is not in ECS and the region falls back to the zone', () => {
    const environment = environmentFromTaskMetadata({ AvailabilityZone: 'eu-west-1b' });
    expect(environment).toMatchObject({ inEcs: false, region: 'eu-west-1', problem: expect.any(String) });
    expect(environment.accountId).toBeUndefined();
  });
});

describe('parseTaskArn', () => {
  it('given long, short and China-partition ARNs, when parsing, then region, account, cluster and id come out', () => {
    expect(parseTaskArn('arn:aws:ecs:eu-west-1:123456789012:task/prod/abc123')).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      clusterName: 'prod',
      taskId: 'abc123',
    });
    expect(parseTaskArn('arn:aws-cn:ecs:cn-north-1:123456789012:task/abc')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '123456789012',
      taskId: 'abc',
    });
    expect(parseTaskArn('arn:aws:ecs:eu-west-1:123456789012:service/prod/web')).toBeUndefined();
    expect(parseTaskArn('not an arn')).toBeUndefined();
  });

  it('given no task ARN, when naming the holder, then host name and pid are used', () => {
    expect(defaultHolderId({ inEcs: false }, 'laptop', 4242)).toBe('laptop:4242');
  });
});
