// The prune protection tag read back from live orphans of every kind, and written by the diff as a
// tag change when the annotation comes or goes (issue 11, defect 1). Pure: no AWS.
import { describe, expect, it } from 'vitest';
import { diffResources } from '../../controller/diff/index.js';
import { emptyLiveState, type LiveState, type OrphanRef } from '../../controller/live/model.js';
import { planChanges } from '../../controller/plan/index.js';
import { keyString } from '../../controller/types.js';
import { CLUSTER, load } from '../manifest/helpers.js';

const EMPTY = (() => {
  const result = load({ 'empty.yaml': '' });
  if (!result.ok) throw new Error('empty desired state must load');
  return result.desired;
})();

const PROTECTED = { 'ecs-gitops/managed-by': 'ecs-gitops', 'ecs-gitops/prune': 'disabled' };

function liveWith(orphans: OrphanRef[]): LiveState {
  return { ...emptyLiveState(), orphans };
}

describe('prune protection from live tags', () => {
  it('given protected orphans of every kind (tags on the object or beside it), when planned with --prune, then none is deleted', () => {
    const orphans: OrphanRef[] = [
      {
        kind: 'Cluster',
        name: 'batch-prod',
        arn: 'arn:c',
        live: { clusterName: 'batch-prod', tags: [{ key: 'ecs-gitops/prune', value: 'disabled' }] },
      },
      {
        kind: 'Service',
        name: 'worker',
        clusterName: 'batch-prod',
        arn: 'arn:s',
        live: { serviceName: 'worker', tags: [{ key: 'ecs-gitops/prune', value: 'disabled' }] },
      },
      { kind: 'TaskDefinition', name: 'worker', arn: 'arn:td:1', tags: PROTECTED },
      {
        kind: 'ScalingPolicy',
        name: 'worker',
        clusterName: 'batch-prod',
        arn: 'arn:t',
        live: {},
        tags: PROTECTED,
      },
      {
        kind: 'TaskDefinition',
        name: 'old',
        arn: 'arn:td:2',
        tags: { 'ecs-gitops/managed-by': 'ecs-gitops' },
      },
    ];
    const diffs = diffResources(EMPTY, liveWith(orphans), { instance: 'ecs-gitops', pruneCandidates: true });
    const plan = planChanges(diffs, { revision: 'r', prune: true, pruneLimit: 10, pruneConfirm: false });
    const outcome = Object.fromEntries(
      plan.entries.map((e) => [keyString(e.key), e.blocked?.reason ?? e.action]),
    );
    expect(outcome).toEqual({
      'Cluster/batch-prod': 'prune-disabled',
      'Service/worker': 'prune-disabled',
      'TaskDefinition/worker': 'prune-disabled',
      'ScalingPolicy/worker': 'prune-disabled',
      'TaskDefinition/old': 'delete',
    });
  });

  it('given a manifest with prune: disabled, then the diff adds the tag; when the annotation is removed, then the diff removes it', () => {
    const annotated = CLUSTER.replace(
      'metadata: {name: prod}',
      'metadata: {name: prod, annotations: {ecs-gitops/prune: disabled}}',
    );
    const withAnnotation = load({ 'c.yaml': annotated });
    const without = load({ 'c.yaml': CLUSTER });
    if (!withAnnotation.ok || !without.ok) throw new Error('fixtures must load');
    const cluster = withAnnotation.desired.resources[0];
    if (cluster?.kind !== 'Cluster') throw new Error('expected a Cluster');
    const live = (tags: Record<string, string>): LiveState => ({
      ...emptyLiveState(),
      clusters: {
        [cluster.clusterName]: {
          clusterName: cluster.clusterName,
          clusterArn: 'arn:c',
          status: 'ACTIVE',
          tags: Object.entries({ 'ecs-gitops/managed-by': 'ecs-gitops', ...tags }).map(([key, value]) => ({
            key,
            value,
          })),
        },
      },
    });
    const added = diffResources(withAnnotation.desired, live({}), { instance: 'ecs-gitops' })[0];
    expect(added?.changes.filter((c) => c.path.includes('ecs-gitops/prune'))).toEqual([
      { path: 'tags[ecs-gitops/prune]', op: 'add', desired: 'disabled' },
    ]);
    const removed = diffResources(without.desired, live({ 'ecs-gitops/prune': 'disabled' }), {
      instance: 'ecs-gitops',
    })[0];
    expect(removed?.changes.filter((c) => c.path.includes('ecs-gitops/prune'))).toEqual([
      { path: 'tags[ecs-gitops/prune]', op: 'remove', live: 'disabled' },
    ]);
  });
});
