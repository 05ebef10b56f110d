// A fleet where every service has its own TaskDefinition manifest (one file each, as teams lay out
// repositories), and one writing pass of the controller's pipeline with the tags `run` writes.
// The cold-start and pipelined-apply tests and the estate benchmarks use it.
import { applyChangeSet } from '../../controller/apply/index.js';
import type { ApplyResult } from '../../controller/apply/model.js';
import type { AwsClients } from '../../controller/aws/clients.js';
import { diffResources } from '../../controller/diff/index.js';
import { readLive, type TaskDefinitionCache } from '../../controller/live/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import { planChanges } from '../../controller/plan/index.js';
import { specHashTags } from '../../controller/reconcile/fingerprint.js';

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

/** read → diff → plan → apply once, tagging like `run` does (spec-hash, source). */
export async function applyPass(
  clients: AwsClients,
  desired: DesiredState,
  options: { instance: string; cache?: TaskDefinitionCache; concurrency?: number },
): Promise<ApplyResult> {
  const live = await readLive(clients, desired, {
    instance: options.instance,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  const diffs = diffResources(desired, live, { instance: options.instance });
  const changeSet = planChanges(diffs, {
    revision: desired.revision,
    prune: false,
    pruneLimit: 1,
    pruneConfirm: false,
  });
  const sources = new Map(desired.resources.map((r) => [`${r.kind}/${r.name}`, r.source.file]));
  return applyChangeSet(clients, changeSet, {
    instance: options.instance,
    revision: desired.revision,
    live,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    sourcePath: (key) => sources.get(`${key.kind}/${key.name}`),
    extraTags: specHashTags(desired.resources),
  });
}
