// Small builders for manifest tests.
import { formatProblem } from '../../controller/errors.js';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredResource, ManifestResult } from '../../controller/manifest/model.js';

export const CLUSTER = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: prod}
spec:
  capacityProviders: [FARGATE, FARGATE_SPOT]
  defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1}]
`;

export const TASK_DEFINITION = `apiVersion: ecs-gitops/v1
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
      portMappings: [{containerPort: 80}]
`;

export const SERVICE = `apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: web}
spec:
  cluster: prod
  taskDefinition: web
  desiredCount: 2
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
`;

export const SCALING_POLICY = `apiVersion: ecs-gitops/v1
kind: ScalingPolicy
metadata: {name: web}
spec:
  service: web
  minCapacity: 2
  maxCapacity: 10
  targetTracking:
    - {policyName: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}
`;

export const FLEET = [CLUSTER, TASK_DEFINITION, SERVICE, SCALING_POLICY].join('---\n');

export function load(files: Record<string, string | Buffer>): ManifestResult {
  return parseManifests(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    { revision: 'test' },
  );
}

/** The formatted problems (fails the test when the load succeeded). */
export function problemsOf(files: Record<string, string | Buffer>): string[] {
  const result = load(files);
  if (result.ok) throw new Error('expected problems, but the manifests are valid');
  return result.problems.map(formatProblem);
}

export function resourcesOf(files: Record<string, string | Buffer>): readonly DesiredResource[] {
  const result = load(files);
  if (!result.ok)
    throw new Error(`expected valid manifests:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.desired.resources;
}

/** Replaces `from` in `text`, failing loudly when it is not there (so a test cannot silently pass). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`"${from}" not found`);
  return text.replace(from, to);
}
