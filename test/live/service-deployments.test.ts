// live/ reads the current service deployment of BLUE_GREEN / LINEAR / CANARY services, and only
// while it can still change: a finished one is cached, so a steady pass makes no such call.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { plain } from '../../controller/live/batch.js';
import { readServiceDeployments, ServiceDeploymentCache } from '../../controller/live/service-deployments.js';
import { givenCluster, givenService, givenTaskDefinition } from '../emulator/world.js';
import { useTestEmulator } from '../helpers/emulator.js';
import { controllerClients } from './support.js';

const env = useTestEmulator();

const LB = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1',
  containerName: 'web',
  containerPort: 80,
  advancedConfiguration: {
    alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2',
    productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/3/4/5',
    roleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
  },
};

describe('readServiceDeployments', () => {
  it('describes in-flight deployments every time, finished ones once, ROLLING services never', async () => {
    // given a blue/green service and a rolling one
    const e = env();
    const clients = controllerClients(e.url);
    await givenCluster(e.ecs);
    await givenTaskDefinition(e.ecs, 'web');
    await givenService(e.ecs, {
      loadBalancers: [LB],
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
    });
    await givenService(e.ecs, { serviceName: 'worker' });
    const services = async () =>
      (
        (await e.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'worker'] })))
          .services ?? []
      ).map(plain);
    const cache = new ServiceDeploymentCache();
    const read = async () => {
      e.resetCalls();
      const found = await readServiceDeployments(clients, await services(), cache);
      return {
        found: [...found.values()].map((d) => d.status),
        calls: e.calls()['ecs:DescribeServiceDeployments'] ?? 0,
      };
    };
    // when the deployment is in flight, then each read describes it
    expect(await read()).toEqual({ found: ['PENDING'], calls: 1 });
    e.advance(5);
    expect(await read()).toEqual({ found: ['IN_PROGRESS'], calls: 1 });
    // when it finished, then the next read describes it once more and later reads not at all
    e.advance(120);
    expect(await read()).toEqual({ found: ['SUCCESSFUL'], calls: 1 });
    expect(await read()).toEqual({ found: ['SUCCESSFUL'], calls: 0 });
    // when a new deployment starts, then it is described again
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    expect(await read()).toEqual({ found: ['PENDING'], calls: 1 });
  });
});
