// A fleet where every service has its own TaskDefinition manifest (one file each, as teams lay out
// repositories), and one writing pass of the controller's pipeline with the tags `run` writes.
// The cold-start and pipelined-apply tests and the estate benchmarks use it.
import type { ApplyResult } from '../../controller/apply/model.js';
import type { AwsClients } from '../../controller/aws/clients.js';
import type { TaskDefinitionCache } from '../../controller/live/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { createPipeline } from '../../controller/pipeline/index.js';

/** Cluster `prod` and N services `svc-<i>`, each on its own task definition `svc-<i>`. */
export function serviceFleet(n: number, image = 'public.ecr.aws/nginx/nginx:1.27'): Record<string, string> {
  const files: Record<string, string> = {
    'cluster.yaml': 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n',
  };
  for (let i = 0; i < n; i += 1) {
    files[`svc-${i}.yaml`] = `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: svc-${i}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
  containerDefinitions:
    - {name: app, image: "${image}", portMappings: [{containerPort: 80}], environment: [{name: SLOT, value: "${i}"}]}
  tags: {team: web}
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: svc-${i}}
spec:
  cluster: prod
  taskDefinition: svc-${i}
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-0a1], securityGroups: [sg-0a1]}}
`;
  }
  return files;
}

/** read → diff → plan → apply once, through the pipeline `run` and `apply` use (spec-hash, source tags). */
export async function applyPass(
  clients: AwsClients,
  desired: DesiredState,
  options: { instance: string; cache?: TaskDefinitionCache; concurrency?: number },
): Promise<ApplyResult> {
  const pipeline = createPipeline(
    clients,
    { instance: options.instance, prune: false, pruneMax: { kind: 'count', value: 1 }, pruneConfirm: false },
    {
      ...(options.cache ? { caches: { taskDefinitions: options.cache } } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    },
  );
  const { live, changeSet } = await pipeline.preview(desired);
  return pipeline.apply(changeSet, { live, signal: new AbortController().signal });
}
