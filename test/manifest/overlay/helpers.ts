// Builders for overlay tests: a repository as a map of path → YAML text.
import { formatProblem } from '../../../controller/errors.js';
import type { ManifestResult } from '../../../controller/manifest/model.js';
import { loadOverlay, type OverlayLoad } from '../../../controller/manifest/overlay/index.js';

export const BASE_WEB = `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - name: web
      image: public.ecr.aws/nginx/nginx:1.27
      portMappings: [{name: http, containerPort: 80}]
      environment:
        - {name: LOG_LEVEL, value: info}
        - {name: REGION, value: "\${REGION}"}
    - name: sidecar
      image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4
      essential: false
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: web, labels: {tier: front}}
spec:
  cluster: apps
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
`;

export const BASE_CLUSTER = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: apps}
spec:
  capacityProviders: [FARGATE]
`;

/** An overlay file from its spec lines (indented two spaces, as under `spec:`). */
export function overlay(name: string, spec: string): string {
  return `apiVersion: ecs-gitops/v1\nkind: Overlay\nmetadata: {name: ${name}}\nspec:\n${spec}`;
}

export function load(
  repository: Record<string, string>,
  dir: string,
  env: Record<string, string> = {},
): OverlayLoad {
  const files = Object.entries(repository).map(([path, content]) => ({ path, content }));
  return loadOverlay(files, { dir, env, revision: 'test' });
}

export function problemsOf(result: ManifestResult): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

export function rendered(loaded: OverlayLoad): Record<string, unknown> {
  if (!loaded.result.ok) throw new Error(problemsOf(loaded.result).join('\n'));
  const byKey: Record<string, unknown> = {};
  for (const document of loaded.documents) {
    const { kind, metadata } = document as { kind: string; metadata: { name: string } };
    byKey[`${kind}/${metadata.name}`] = document;
  }
  return byKey;
}
