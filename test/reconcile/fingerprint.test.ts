import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredResource } from '../../controller/manifest/model.js';
import { fingerprintAll } from '../../controller/reconcile/fingerprint.js';

function desired(image: string, file = 'app.yaml'): readonly DesiredResource[] {
  const yaml = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions: [{name: web, image: ${image}}]
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: web}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-1]}}
`;
  const result = parseManifests([{ path: file, content: yaml }], { revision: 'r' });
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
