// planChanges: ordering, dependencies and every safety rail, from golden diffs and hand-made ones.
import { describe, expect, it } from 'vitest';
import type { DeleteDiff, ResourceDiff } from '../../controller/diff/model.js';
import { changeSetToJson, planChanges, renderChangeSet } from '../../controller/plan/index.js';
import { keyString } from '../../controller/types.js';
import { diffsOf } from './diff-fixture.js';

const OPTIONS = { revision: 'abc123', prune: false, pruneLimit: 1, pruneConfirm: false };

function orphan(
  kind: ResourceDiff['key']['kind'],
  name: string,
  extra: Partial<DeleteDiff> = {},
): DeleteDiff {
  return {
    key: { kind, name },
    action: 'delete',
    changes: [],
    replaceReasons: [],
    owned: true,
    liveArn: `arn:${name}`,
    ...extra,
  };
}

describe('planChanges', () => {
  it('orders creates Cluster → TaskDefinition → Service → ScalingPolicy with dependencies', () => {
    // given nothing exists
    const changeSet = planChanges(diffsOf('create-all'), OPTIONS);
    // then
    expect(changeSet.entries.map((e) => keyString(e.key))).toEqual([
      'Cluster/prod',
      'TaskDefinition/web',
      'Service/web',
      'ScalingPolicy/web',
    ]);
    expect(changeSet.entries[2]?.dependsOn).toEqual([
      { kind: 'Cluster', name: 'prod' },
      { kind: 'TaskDefinition', name: 'web' },
    ]);
    expect(changeSet.entries[3]?.dependsOn).toEqual([{ kind: 'Service', name: 'web' }]);
    expect(changeSet.summary).toMatchObject({ create: 4, update: 0, delete: 0, blocked: 0 });
  });

  it('updates a service to the new revision in the same plan, after the registration', () => {
    const changeSet = planChanges(diffsOf('task-definition-one-image-of-three'), OPTIONS);
    const service = changeSet.entries.find((e) => keyString(e.key) === 'Service/web');
    expect(service?.action).toBe('update');
    expect(service?.dependsOn).toEqual([{ kind: 'TaskDefinition', name: 'web' }]);
    expect(service?.diff.taskDefinition).toMatchObject({ register: true, family: 'web' });
  });

  it('blocks a replace unless the manifest allows it, with the reason', () => {
    const blocked = planChanges(diffsOf('service-launch-type-replace'), OPTIONS);
    const entry = blocked.entries.find((e) => e.action === 'replace');
    expect(entry?.blocked?.reason).toBe('replace-not-allowed');
    expect(entry?.blocked?.message).toContain('launchType changes from FARGATE to EC2');

    const allowed = planChanges(
      diffsOf('service-launch-type-replace', (t) =>
        t.replace(
          'metadata: {name: web}\nspec:\n  cluster',
          'metadata: {name: web, annotations: {ecs-gitops/replace: allowed}}\nspec:\n  cluster',
        ),
      ),
      OPTIONS,
    );
    expect(allowed.entries.find((e) => e.action === 'replace')?.blocked).toBeUndefined();
    expect(allowed.summary.replace).toBe(1);
  });

  it('blocks changes to an unowned resource unless it is adopted', () => {
    const unowned = planChanges(diffsOf('service-unowned'), OPTIONS);
    expect(unowned.entries.find((e) => e.key.kind === 'Service')?.blocked?.reason).toBe('unowned');
    const adopted = planChanges(diffsOf('service-adopt'), OPTIONS);
    expect(adopted.entries.find((e) => e.key.kind === 'Service')?.blocked).toBeUndefined();
  });

  it('blocks a resource with sync disabled', () => {
    const changeSet = planChanges(
      diffsOf('service-desired-count-changed', (t) =>
        t.replace(
          'metadata: {name: web}\nspec:\n  cluster',
          'metadata: {name: web, annotations: {ecs-gitops/sync: disabled}}\nspec:\n  cluster',
        ),
      ),
      OPTIONS,
    );
    expect(changeSet.entries.find((e) => e.key.kind === 'Service')?.blocked?.reason).toBe('sync-disabled');
  });

  it('deletes only with prune on, in reverse order, and never a prune-protected resource', () => {
    const diffs = [
      orphan('Cluster', 'old'),
      orphan('Service', 'gone'),
      orphan('ScalingPolicy', 'gone'),
      orphan('TaskDefinition', 'gone'),
      orphan('Service', 'keep', { pruneProtected: true }),
    ];
    const off = planChanges(diffs, { ...OPTIONS, pruneLimit: 10 });
    expect(
      off.entries.every((e) => e.blocked?.reason === 'prune-off' || e.blocked?.reason === 'prune-disabled'),
    ).toBe(true);

    const on = planChanges(diffs, { ...OPTIONS, prune: true, pruneLimit: 10 });
    expect(on.entries.map((e) => keyString(e.key))).toEqual([
      'ScalingPolicy/gone',
      'Service/gone',
      'Service/keep',
      'TaskDefinition/gone',
      'Cluster/old',
    ]);
    expect(on.entries.find((e) => keyString(e.key) === 'Service/keep')?.blocked?.reason).toBe(
      'prune-disabled',
    );
    expect(on.entries.find((e) => keyString(e.key) === 'Service/gone')?.dependsOn).toEqual([
      { kind: 'ScalingPolicy', name: 'gone' },
    ]);
    expect(on.summary.delete).toBe(4);
  });

  it('refuses more deletions than the limit without confirmation, listing what would go', () => {
    const diffs = [orphan('Service', 'a'), orphan('Service', 'b'), orphan('Service', 'c')];
    const refused = planChanges(diffs, { ...OPTIONS, prune: true, pruneLimit: 2 });
    expect(refused.entries.every((e) => e.blocked?.reason === 'prune-limit')).toBe(true);
    expect(refused.entries[0]?.blocked?.message).toContain('Service/a, Service/b, Service/c');
    const confirmed = planChanges(diffs, { ...OPTIONS, prune: true, pruneLimit: 2, pruneConfirm: true });
    expect(confirmed.summary.delete).toBe(3);
  });

  it('passes caller blocks through (drift policy)', () => {
    const changeSet = planChanges(diffsOf('service-desired-count-changed'), {
      ...OPTIONS,
      blocked: new Map([
        ['Service/web', { reason: 'drift-alert-only' as const, message: 'drift is only reported' }],
      ]),
    });
    expect(changeSet.entries.find((e) => e.key.kind === 'Service')?.blocked?.reason).toBe('drift-alert-only');
  });
});

describe('renderChangeSet', () => {
  it('prints one block per changed resource, + - ~ lines and the summary line', () => {
    const text = renderChangeSet(planChanges(diffsOf('scaling-policy-change'), OPTIONS), { color: false });
    expect(text).toContain('~ ScalingPolicy/web will be updated in place');
    expect(text).toContain('    ~ targetTracking[cpu60].targetValue: 60 → 50');
    expect(text).toContain('    - targetTracking[mem70]:');
    expect(text).not.toContain('Service/web');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.',
    );
  });

  it('masks secret-looking environment values but shows secrets valueFrom', () => {
    const text = renderChangeSet(planChanges(diffsOf('task-definition-sensitive-values'), OPTIONS), {
      color: false,
    });
    expect(text).toContain('environment[DB_PASSWORD]: (sensitive value) → (sensitive value)');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('parameter/api-token-v2');
    const json = JSON.stringify(
      changeSetToJson(planChanges(diffsOf('task-definition-sensitive-values'), OPTIONS)),
    );
    expect(json).not.toContain('hunter2');
  });

  it('explains a replace and a blocked entry, and says when nothing changes', () => {
    const replace = renderChangeSet(planChanges(diffsOf('service-launch-type-replace'), OPTIONS), {
      color: false,
    });
    expect(replace).toContain('-/+ Service/web must be replaced');
    expect(replace).toContain('# replace: launchType changes from FARGATE to EC2');
    expect(replace).toContain('! blocked (replace-not-allowed)');
    expect(replace).toContain('1 change blocked');
    const none = renderChangeSet(planChanges(diffsOf('service-fargate-defaults'), OPTIONS), { color: false });
    expect(none).toContain('No changes.');
    expect(none).toContain('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete.');
  });

  it('colors only when asked', () => {
    const changeSet = planChanges(diffsOf('service-desired-count-changed'), OPTIONS);
    expect(renderChangeSet(changeSet, { color: true })).toContain('\u001b[');
    expect(renderChangeSet(changeSet, { color: false })).not.toContain('\u001b[');
  });

  it('gives machines the change set without manifest dumps', () => {
    const json = changeSetToJson(planChanges(diffsOf('service-desired-count-changed'), OPTIONS)) as {
      entries: Record<string, unknown>[];
      inSync: boolean;
    };
    expect(json.inSync).toBe(false);
    const service = json.entries.find((e) => e.key === 'Service/web');
    expect(service).toMatchObject({
      action: 'update',
      changes: [{ path: 'desiredCount', op: 'change', desired: 2, live: 5 }],
    });
    expect(service).not.toHaveProperty('desired');
  });
});
