// Golden renderings of manifests/examples-envs (base + staging + prod), read from disk as the
// controller reads them. UPDATE_GOLDEN=1 rewrites test/fixtures/overlay/*.rendered.yaml (review the diff).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOverlay, printRendered } from '../../../controller/manifest/overlay/index.js';
import { readOverlayFiles } from '../../../controller/source/read-overlay.js';
import { problemsOf } from './helpers.js';

const REPOSITORY = join(import.meta.dirname, '../../..');
const GOLDEN = join(import.meta.dirname, '../../fixtures/overlay');

async function render(env: string, edit?: (text: string) => string) {
  const read = await readOverlayFiles(REPOSITORY, `manifests/examples-envs/envs/${env}`);
  const overlayFile = `manifests/examples-envs/envs/${env}/ecs-gitops.yaml`;
  const files = read.files.map((file) =>
    edit && file.path === overlayFile ? { ...file, content: edit(String(file.content)) } : file,
  );
  return loadOverlay(files, { dir: read.dir, env: {}, revision: 'golden', readProblems: read.problems });
}

describe('manifests/examples-envs', () => {
  it.each(['staging', 'prod'])('%s renders to its golden file and validates', async (env) => {
    // given the example base and the environment's overlay
    // when rendered
    const loaded = await render(env);
    // then it is valid and exactly the recorded rendering
    expect(problemsOf(loaded.result)).toEqual([]);
    const text = printRendered(loaded.documents, 'yaml');
    const golden = join(GOLDEN, `examples-envs-${env}.rendered.yaml`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('prod differs from the base by patch: replicas, cpu/memory, merged env, a second subnet, a var', async () => {
    const loaded = await render('prod');
    const [cluster, taskDefinition, service] = loaded.documents as Array<{
      metadata: { name: string };
      spec: Record<string, unknown>;
    }>;
    expect(cluster?.metadata.name).toBe('prod-apps');
    expect(taskDefinition?.spec).toMatchObject({
      cpu: '1024',
      memory: '2048',
      containerDefinitions: [
        {
          name: 'web',
          environment: [
            { name: 'APP_ENV', value: 'prod' },
            { name: 'LOG_LEVEL', value: 'warn' },
            { name: 'CHECKOUT_V2', value: 'true' },
          ],
        },
      ],
    });
    expect(service?.spec).toMatchObject({
      cluster: 'prod-apps',
      taskDefinition: 'prod-web',
      desiredCount: 3,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'] },
      },
    });
  });

  it("promoting staging's image to prod is one line of prod's overlay, and changes only the image", async () => {
    // given prod as committed and staging's tag
    const before = await render('prod');
    const staging = await render('staging');
    const stagingImage = (staging.documents[1] as { spec: { containerDefinitions: { image: string }[] } })
      .spec.containerDefinitions[0]?.image;
    const stagingTag = stagingImage?.split(':').pop() ?? '';
    // when prod's newTag line is changed to it
    let changedLines = 0;
    const after = await render('prod', (text) =>
      text
        .split('\n')
        .map((line) => {
          if (!/^\s+newTag: /.test(line)) return line;
          changedLines += 1;
          return line.replace(/newTag: .*/, `newTag: "${stagingTag}"`);
        })
        .join('\n'),
    );
    // then the rendering differs in exactly the image of prod's web container
    expect(changedLines).toBe(1);
    const lines = (loaded: typeof before) => printRendered(loaded.documents, 'yaml').split('\n');
    const a = lines(before);
    const b = lines(after);
    const changed = a.flatMap((line, index) => (line === b[index] ? [] : [[line.trim(), b[index]?.trim()]]));
    expect(changed).toEqual([
      ['image: public.ecr.aws/nginx/nginx:1.27', `image: public.ecr.aws/nginx/nginx:${stagingTag}`],
    ]);
    expect(stagingTag).toBe('1.28');
  });
});
