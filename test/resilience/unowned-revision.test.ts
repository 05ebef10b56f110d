// Item 9 of issue 11: a task definition revision registered outside Git and put into service made
// the family look unowned, and the controller silently stopped applying Git changes to it. Now it
// is a SyncFailed alert saying what to do; adopting lets Git's revision win.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  alertsOf,
  allSyncedAndHealthy,
  commitAndSync,
  exampleFiles,
  useConvergedHarness,
  waitForStatus,
} from './support.js';

const start = useConvergedHarness();

describe('a revision registered outside Git in service', () => {
  it('given web runs a revision registered by hand, when Git changes web, then a SyncFailed alert says to adopt; with adopt, Git wins', async () => {
    const h = await start();
    const ecs = h.emulator.ecs;
    // given someone registers web:2 by hand (no ownership tags) and deploys it
    const current = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' })))
      .taskDefinition;
    const { containerDefinitions, cpu, memory, networkMode, requiresCompatibilities, executionRoleArn } =
      current ?? {};
    const hotfix = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        cpu,
        memory,
        networkMode,
        requiresCompatibilities,
        executionRoleArn,
        containerDefinitions: containerDefinitions?.map((c, i) =>
          i === 0 ? { ...c, image: 'public.ecr.aws/nginx/nginx:hotfix' } : c,
        ),
      } as RegisterTaskDefinitionCommandInput),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: hotfix.taskDefinition?.taskDefinitionArn,
      }),
    );

    // when Git changes the web image
    const files = await exampleFiles();
    const web = (files['manifests/web.yaml'] ?? '').replace('nginx:1.27', 'nginx:1.28');
    await commitAndSync(h, { 'manifests/web.yaml': web }, 'new image');

    // then one SyncFailed alert names the revision and what to do
    await waitForStatus(h.app, () => alertsOf(h, 'SyncFailed').length > 0, 20_000);
    const alert = JSON.stringify(alertsOf(h, 'SyncFailed'));
    expect(alert).toMatch(/web:2, was not registered by this controller/);
    expect(alert).toMatch(/ecs-gitops\/adopt/);
    const td = h.app.store.snapshot().resources.find((r) => r.key === 'TaskDefinition/web');
    expect(td?.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'unowned',
    });
    const passes = h.app.reconciler.passes;
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 2, 20_000);
    expect(alertsOf(h, 'SyncFailed')).toHaveLength(1);

    // when the manifest adopts the family, Git's revision is registered and deployed
    const adopted = await commitAndSync(
      h,
      {
        'manifests/web.yaml': web.replace(
          /(kind: TaskDefinition\nmetadata:\n {2}name: web\n)/,
          '$1  annotations: {ecs-gitops/adopt: "true"}\n',
        ),
      },
      'adopt web',
    );
    await waitForStatus(
      h.app,
      (s) => s.overall.lastAppliedRevision === adopted && allSyncedAndHealthy(s),
      30_000,
    );
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })))
      .services?.[0];
    const running = (
      await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }))
    ).taskDefinition;
    expect(running?.containerDefinitions?.[0]?.image).toBe('public.ecr.aws/nginx/nginx:1.28');
  }, 90_000);
});
