// The DesiredState every later stage consumes: defaults, references, autoscaling, tags, annotations.
import { describe, expect, it } from 'vitest';
import type { DesiredOf } from '../../controller/manifest/model.js';
import type { Kind } from '../../controller/types.js';
import {
  CLUSTER,
  edit,
  FLEET,
  load,
  problemsOf,
  resourcesOf,
  SCALING_POLICY,
  SERVICE,
  TASK_DEFINITION,
} from './helpers.js';

function find<K extends Kind>(resources: readonly { kind: Kind }[], kind: K): DesiredOf<K> {
  const found = resources.find((resource) => resource.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found as DesiredOf<K>;
}

describe('resolving the desired state', () => {
  it('fills names from metadata.name and orders resources Cluster → TaskDefinition → Service → ScalingPolicy', () => {
    // given the fleet split over files in reverse order
    const resources = resourcesOf({
      'd.yaml': CLUSTER,
      'c.yaml': TASK_DEFINITION,
      'b.yaml': SERVICE,
      'a.yaml': SCALING_POLICY,
    });
    expect(resources.map((resource) => `${resource.kind}/${resource.name}`)).toEqual([
      'Cluster/prod',
      'TaskDefinition/web',
      'Service/web',
      'ScalingPolicy/web',
    ]);
    const cluster = find(resources, 'Cluster');
    expect(cluster.clusterName).toBe('prod');
    expect(cluster.spec.clusterName).toBe('prod');
    const td = find(resources, 'TaskDefinition');
    expect(td.family).toBe('web');
    expect(td.spec.family).toBe('web');
    expect(td.revisionHistoryLimit).toBe(10);
    expect(find(resources, 'Service').serviceName).toBe('web');
    expect(td.source).toEqual({ file: 'c.yaml', line: 1, column: 1, documentIndex: 0 });
  });

  it('resolves references to manifests and marks autoscaled services', () => {
    const resources = resourcesOf({ 'fleet.yaml': FLEET });
    const service = find(resources, 'Service');
    expect(service.cluster).toEqual({ type: 'manifest', name: 'prod', clusterName: 'prod' });
    expect(service.taskDefinition).toEqual({ type: 'manifest', name: 'web', family: 'web' });
    expect(service.autoscaled).toBe(true);
    expect(service.spec).not.toHaveProperty('cluster');
    expect(service.spec).not.toHaveProperty('taskDefinition');
    const policy = find(resources, 'ScalingPolicy');
    expect(policy.resourceId).toBe('service/prod/web');
    expect(policy.clusterName).toBe('prod');
    expect(policy.serviceName).toBe('web');
    // the predefinedMetricType shorthand becomes the API's form
    expect(policy.spec.targetTracking?.[0]).toEqual({
      policyName: 'cpu60',
      targetValue: 60,
      predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
  });

  it('uses explicit AWS names for identities and the scalable target', () => {
    const text = edit(
      edit(
        edit(
          FLEET,
          'metadata: {name: prod}\nspec:\n',
          'metadata: {name: prod}\nspec:\n  clusterName: prod-eu\n',
        ),
        'taskDefinition: web\n',
        'taskDefinition: web\n  serviceName: web-svc\n',
      ),
      'memory: "512"\n',
      'memory: "512"\n  family: web-family\n',
    );
    const resources = resourcesOf({ 'fleet.yaml': text });
    expect(find(resources, 'Service').cluster).toEqual({
      type: 'manifest',
      name: 'prod',
      clusterName: 'prod-eu',
    });
    expect(find(resources, 'Service').taskDefinition).toEqual({
      type: 'manifest',
      name: 'web',
      family: 'web-family',
    });
    expect(find(resources, 'ScalingPolicy').resourceId).toBe('service/prod-eu/web-svc');
  });

  it('accepts external task definitions as family:revision or ARN, and clusters as ARN', () => {
    const service = edit(
      edit(SERVICE, 'cluster: prod', 'cluster: arn:aws:ecs:us-east-1:123456789012:cluster/legacy'),
      'taskDefinition: web',
      'taskDefinition: legacy-web:42',
    );
    const resources = resourcesOf({ 'svc.yaml': service });
    const resolved = find(resources, 'Service');
    expect(resolved.cluster).toEqual({
      type: 'external',
      value: 'arn:aws:ecs:us-east-1:123456789012:cluster/legacy',
      clusterName: 'legacy',
    });
    expect(resolved.taskDefinition).toEqual({ type: 'external', value: 'legacy-web:42' });
    const arn = edit(
      service,
      'legacy-web:42',
      'arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web:7',
    );
    expect(find(resourcesOf({ 'svc.yaml': arn }), 'Service').taskDefinition).toEqual({
      type: 'external',
      value: 'arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web:7',
    });
  });

  it('accepts a bare external cluster name only with the external-cluster annotation', () => {
    const bare = edit(
      edit(SERVICE, 'cluster: prod', 'cluster: default'),
      'taskDefinition: web',
      'taskDefinition: legacy:1',
    );
    expect(problemsOf({ 'svc.yaml': bare })).toEqual([
      'svc.yaml:5:12: Service/web: spec.cluster: Cluster "default" is not defined in this repository; to use an existing cluster, give its ARN or annotate the Service with ecs-gitops/external-cluster: "true"',
    ]);
    const annotated = edit(
      bare,
      'metadata: {name: web}',
      "metadata:\n  name: web\n  annotations: {ecs-gitops/external-cluster: 'true'}",
    );
    expect(find(resourcesOf({ 'svc.yaml': annotated }), 'Service').cluster).toEqual({
      type: 'external',
      value: 'default',
      clusterName: 'default',
    });
  });

  it('separates tags from the spec and converts cpu/memory unit forms to ECS numbers', () => {
    const text = edit(
      edit(
        TASK_DEFINITION,
        'cpu: "256"\n  memory: "512"',
        'cpu: 0.5 vCPU\n  memory: 1 GB\n  revisionHistoryLimit: 3',
      ),
      'spec:\n',
      'spec:\n  tags: {team: web, cost-center: "42"}\n',
    );
    const td = find(resourcesOf({ 'td.yaml': text }), 'TaskDefinition');
    expect(td.tags).toEqual({ team: 'web', 'cost-center': '42' });
    expect(td.spec).not.toHaveProperty('tags');
    expect(td.spec).not.toHaveProperty('revisionHistoryLimit');
    expect(td.revisionHistoryLimit).toBe(3);
    expect(td.spec.cpu).toBe('512');
    expect(td.spec.memory).toBe('1024');
  });

  it('parses annotations into the resource policy', () => {
    const annotated = edit(
      SERVICE,
      'metadata: {name: web}',
      [
        'metadata:',
        '  name: web',
        '  annotations:',
        '    ecs-gitops/sync: disabled',
        '    ecs-gitops/prune: disabled',
        '    ecs-gitops/drift: heal',
        '    ecs-gitops/replace: allowed',
        '    ecs-gitops/adopt: "true"',
        '    example.com/owner: team-a',
      ].join('\n'),
    );
    const resources = resourcesOf({ 'fleet.yaml': [CLUSTER, TASK_DEFINITION, annotated].join('---\n') });
    expect(find(resources, 'Service').policy).toEqual({
      sync: false,
      prune: false,
      drift: 'heal',
      replaceAllowed: true,
      adopt: true,
    });
    expect(find(resources, 'Cluster').policy).toEqual({
      sync: true,
      prune: true,
      replaceAllowed: false,
      adopt: false,
    });
  });

  it('rejects unknown annotation keys and values under ecs-gitops/', () => {
    const annotated = edit(
      CLUSTER,
      'metadata: {name: prod}',
      'metadata:\n  name: prod\n  annotations:\n    ecs-gitops/drift: repair\n    ecs-gitops/prun: disabled',
    );
    expect(problemsOf({ 'c.yaml': annotated })).toEqual([
      'c.yaml:6:23: Cluster/prod: metadata.annotations["ecs-gitops/drift"]: invalid value "repair" for annotation ecs-gitops/drift; use alert or heal or ignore',
      'c.yaml:7:5: Cluster/prod: metadata.annotations["ecs-gitops/prun"]: unknown annotation "ecs-gitops/prun" (did you mean "ecs-gitops/prune"?)',
    ]);
  });

  it('reports unresolved references with suggestions', () => {
    const text = edit(
      edit(FLEET, 'cluster: prod', 'cluster: prd'),
      'taskDefinition: web',
      'taskDefinition: wbe',
    );
    const policy = edit(SCALING_POLICY, 'service: web', 'service: api');
    expect(problemsOf({ 'fleet.yaml': text, 'policy.yaml': policy })).toEqual([
      'fleet.yaml:25:12: Service/web: spec.cluster: Cluster "prd" is not defined in this repository (did you mean "prod"?); to use an existing cluster, give its ARN or annotate the Service with ecs-gitops/external-cluster: "true"',
      'fleet.yaml:26:19: Service/web: spec.taskDefinition: TaskDefinition "wbe" is not defined in this repository (did you mean "web"?); an external task definition must be given as family:revision or as its ARN',
      'policy.yaml:3:18: ScalingPolicy/web: metadata.name: duplicate ScalingPolicy/web: already defined at fleet.yaml:34:18',
    ]);
  });

  it('does not report references to a manifest that is itself invalid', () => {
    const text = edit(FLEET, 'desiredCount: 2', 'desiredCount: many');
    expect(problemsOf({ 'fleet.yaml': text })).toEqual([
      'fleet.yaml:27:17: Service/web: spec.desiredCount: must be integer >= 0, got string "many"',
    ]);
  });

  it('allows only one ScalingPolicy per Service', () => {
    const second = edit(SCALING_POLICY, 'name: web', 'name: web-2');
    expect(problemsOf({ 'fleet.yaml': FLEET, 'second.yaml': second })).toEqual([
      'second.yaml:5:12: ScalingPolicy/web-2: spec.service: Service/web is already scaled by ScalingPolicy/web; a Service has at most one ScalingPolicy (put all policies in one)',
    ]);
  });

  it('rejects duplicate kind/name and duplicate AWS identities', () => {
    const twin = edit(
      CLUSTER,
      'metadata: {name: prod}\nspec:\n',
      'metadata: {name: prod-2}\nspec:\n  clusterName: prod\n',
    );
    expect(problemsOf({ 'a.yaml': CLUSTER, 'b.yaml': CLUSTER, 'c.yaml': twin })).toEqual([
      'b.yaml:3:18: Cluster/prod: metadata.name: duplicate Cluster/prod: already defined at a.yaml:3:18',
      'c.yaml:5:16: Cluster/prod-2: spec.clusterName: Cluster/prod already manages cluster "prod"',
    ]);
  });

  it('returns the revision it was given', () => {
    const result = load({ 'fleet.yaml': FLEET });
    expect(result.ok && result.desired.revision).toBe('test');
  });
});
