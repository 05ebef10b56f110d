import { describe, expect, it } from 'vitest';
import type { DesiredResource } from '../../controller/manifest/model.js';
import { fingerprintAll } from '../../controller/reconcile/fingerprint.js';
import { CLUSTER, load, SERVICE, TASK_DEFINITION } from '../manifest/helpers.js';

function desired(image: string, file = 'app.yaml'): readonly DesiredResource[] {
  const yaml = [CLUSTER, TASK_DEFINITION.replace('public.ecr.aws/nginx/nginx:1.27', image), SERVICE].join(
    '---\n',
  );
  const result = load({ [file]: yaml });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.desired.resources;
}

describe('desired fingerprints', () => {
  it('given the same manifests in another file, then fingerprints do not change', () => {
    expect(fingerprintAll(desired('nginx:1'))).toEqual(fingerprintAll(desired('nginx:1', 'moved/app.yaml')));
  });

  it('given an image change, then the TaskDefinition and the Service that runs it change, the Cluster does not', () => {
    const before = fingerprintAll(desired('nginx:1'));
    const after = fingerprintAll(desired('nginx:2'));
    expect(after.get('TaskDefinition/web')).not.toBe(before.get('TaskDefinition/web'));
    expect(after.get('Service/web')).not.toBe(before.get('Service/web'));
    expect(after.get('Cluster/prod')).toBe(before.get('Cluster/prod'));
  });
});
