// The EC2 example fleet (manifests/examples-ec2: a CapacityProvider, a Cluster using it, an EC2
// service): validate, apply from empty on the emulator, and re-diff to zero changes.
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 } });
const DIR = new URL('../../manifests/examples-ec2/', import.meta.url).pathname;

function cli(...args: string[]) {
  return runCliCaptured(args[0] === 'validate' ? [...args, DIR] : [...args, '--path', DIR], {
    cwd: DIR,
    env: { AWS_REGION: 'us-east-1' },
  });
}

describe('manifests/examples-ec2', () => {
  it('validates, applies from empty (capacity provider before the cluster) and re-diffs to zero', async () => {
    const validated = await cli('validate');
    expect(validated.code).toBe(0);

    const applied = await cli('apply', '--endpoint-url', env().url, '--wait', '--wait-interval', '50ms');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const { ecs } = env();
    const provider = await ecs.send(
      new DescribeCapacityProvidersCommand({ capacityProviders: ['web-asg'], include: ['TAGS'] }),
    );
    expect(provider.capacityProviders?.[0]).toMatchObject({
      status: 'ACTIVE',
      autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', targetCapacity: 90 } },
    });
    expect(provider.capacityProviders?.[0]?.tags).toContainEqual({
      key: 'ecs-gitops/managed-by',
      value: 'ecs-gitops',
    });
    const cluster = await ecs.send(new DescribeClustersCommand({ clusters: ['ec2-prod'] }));
    expect(cluster.clusters?.[0]?.capacityProviders).toEqual(['web-asg']);
    // the service runs on instances that managed scaling added to the provider
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'ec2-prod', services: ['api'] })))
      .services?.[0];
    expect(service?.runningCount).toBe(3);
    const instances = await ecs.send(new ListContainerInstancesCommand({ cluster: 'ec2-prod' }));
    expect(instances.containerInstanceArns?.length).toBeGreaterThan(0);

    const diffed = await cli('diff', '--endpoint-url', env().url);
    expect(diffed.stdout).not.toContain('~');
    expect(diffed.code).toBe(0);
  }, 60_000);
});
