// The EC2 flow with an independent client (the Debian `aws` CLI, botocore): two container instances,
// a binpacked EC2 service that fits, scaled past capacity (unplaced event; ecs-gitops health says
// Progressing with ECS's reason), a third instance (converges), then a drained instance (tasks move).
import { describe, expect, it } from 'vitest';
import { serviceHealth } from '../../controller/health/service.js';
import type { LiveService } from '../../controller/live/model.js';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.js';
import { useTestEmulator } from '../helpers/emulator.js';

const hasAws = hasAwsCli;

const env = useTestEmulator();
const aws = (...args: string[]) => awsCli(env().url, 'us-east-1', ...args);

async function registerInstance(id: string, memory = 2048): Promise<string> {
  const out = (await aws(
    'ecs',
    'register-container-instance',
    '--cluster',
    'ec2',
    '--instance-identity-document',
    JSON.stringify({ instanceId: id, instanceType: 'm5.large', availabilityZone: 'us-east-1a' }),
    '--instance-identity-document-signature',
    'c2lnbmF0dXJl',
    '--total-resources',
    'name=CPU,type=INTEGER,integerValue=2048',
    `name=MEMORY,type=INTEGER,integerValue=${memory}`,
  )) as { containerInstance: { containerInstanceArn: string } };
  return out.containerInstance.containerInstanceArn;
}

async function service(): Promise<LiveService> {
  const out = (await aws('ecs', 'describe-services', '--cluster', 'ec2', '--services', 'api')) as {
    services: LiveService[];
  };
  return out.services[0] as LiveService;
}

async function tasksOn(instance: string): Promise<string[]> {
  const out = (await aws('ecs', 'list-tasks', '--cluster', 'ec2', '--container-instance', instance)) as {
    taskArns: string[];
  };
  return out.taskArns;
}

describe.skipIf(!hasAws)('the EC2 flow through the aws CLI', () => {
  it('places, reports unplaced tasks, converges with more capacity and moves tasks off a drained instance', async () => {
    await aws('ecs', 'create-cluster', '--cluster-name', 'ec2');
    const first = await registerInstance('i-0aaaaaaaaaaaaaaa1');
    const second = await registerInstance('i-0aaaaaaaaaaaaaaa2');
    await aws(
      'ecs',
      'register-task-definition',
      '--cli-input-json',
      JSON.stringify({
        family: 'api',
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [
          { name: 'api', image: 'nginx:1.27', cpu: 256, memory: 1024, portMappings: [{ containerPort: 80 }] },
        ],
      }),
    );
    await aws(
      'ecs',
      'create-service',
      '--cluster',
      'ec2',
      '--service-name',
      'api',
      '--task-definition',
      'api',
      '--desired-count',
      '4',
      '--launch-type',
      'EC2',
      '--placement-strategy',
      'type=binpack,field=memory',
    );
    env().advance(10);
    // four 1 GiB tasks fill two 2 GiB instances
    expect(serviceHealth(await service()).state).toBe('Healthy');
    expect((await tasksOn(first)).length).toBe(2);
    expect((await tasksOn(second)).length).toBe(2);

    // past capacity: the fifth task cannot be placed
    await aws('ecs', 'update-service', '--cluster', 'ec2', '--service', 'api', '--desired-count', '5');
    env().advance(10);
    const unplaced = await service();
    const events = unplaced.events as { message: string }[];
    expect(events[0]?.message).toMatch(
      /^\(service api\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) has insufficient memory available\./,
    );
    const health = serviceHealth(unplaced);
    expect(health).toMatchObject({ state: 'Progressing', reason: 'TasksUnplaced' });
    expect(health.message).toContain('4/5 running');

    // a third, larger instance: the scheduler places the fifth task
    const third = await registerInstance('i-0aaaaaaaaaaaaaaa3', 4096);
    env().advance(10);
    expect(serviceHealth(await service()).state).toBe('Healthy');
    expect((await tasksOn(third)).length).toBe(1);

    // draining the first instance moves its two tasks to the room left on the third
    await aws(
      'ecs',
      'update-container-instances-state',
      '--cluster',
      'ec2',
      '--container-instances',
      first,
      '--status',
      'DRAINING',
    );
    env().advance(30);
    expect(await tasksOn(first)).toEqual([]);
    expect((await tasksOn(third)).length).toBe(3);
    const described = (await aws(
      'ecs',
      'describe-container-instances',
      '--cluster',
      'ec2',
      '--container-instances',
      first,
    )) as { containerInstances: { status: string; runningTasksCount: number }[] };
    expect(described.containerInstances[0]).toMatchObject({ status: 'DRAINING', runningTasksCount: 0 });
    const after = await service();
    expect(after.runningCount).toBe(5);
    expect(serviceHealth(after).state).toBe('Healthy');
  }, 180_000);
});
