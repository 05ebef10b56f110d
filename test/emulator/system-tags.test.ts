// The admin route for tags only AWS sets (CloudFormation's aws:cloudformation:*): TagResource keeps
// refusing the reserved prefix, the admin API puts them on like a stack would.
import { CreateClusterCommand, ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';

const env = useTestEmulator();

describe('system tags', () => {
  it('given a cluster, when CloudFormation tags are put through the admin API, then ListTagsForResource shows them and TagResource still refuses aws: keys', async () => {
    const { ecs } = env();
    const created = await ecs.send(
      new CreateClusterCommand({ clusterName: 'stacked', tags: [{ key: 'team', value: 'web' }] }),
    );
    const resourceArn = String(created.cluster?.clusterArn);

    await env().admin('POST', '/_emulator/system-tags', {
      resourceArn,
      tags: [{ key: 'aws:cloudformation:stack-name', value: 'shop' }],
    });

    const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(listed.tags).toEqual([
      { key: 'team', value: 'web' },
      { key: 'aws:cloudformation:stack-name', value: 'shop' },
    ]);
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'aws:cloudformation:x', value: 'y' }] })),
    ).rejects.toThrow('Tag keys beginning with aws: are reserved for system use.');
    await expect(
      env().admin('POST', '/_emulator/system-tags', { resourceArn: 'nope', tags: [] }),
    ).rejects.toThrow(/resourceArn must be an ECS or Application Auto Scaling ARN/);
  });
});
