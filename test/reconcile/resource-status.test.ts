// Status transitions of one resource across passes: the episode edges (SyncFailed → SyncSucceeded)
// that alert sinks such as PagerDuty resolve on.
import { describe, expect, it } from 'vitest';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { markApplying } from '../../controller/reconcile/in-progress.js';
import type { AppliedEntry } from '../../controller/reconcile/ports.js';
import { nextResourceStatus, type ResourceFacts } from '../../controller/reconcile/resource-status.js';
import { taskDefinition } from '../apply/support.js';

const WEB = taskDefinition('web', 'web:1');
const KEY = WEB.key;
const HEALTHY = { state: 'Healthy', reason: 'Registered', message: 'registered' } as const;

function facts(revision: string, applied: AppliedEntry): ResourceFacts {
  const diff: ResourceDiff = { key: KEY, action: 'update', changes: [], replaceReasons: [], desired: WEB };
  return { diff, origin: 'git', driftPolicy: 'heal', applied, health: HEALTHY, revision, ownRollout: false };
}

describe('nextResourceStatus: sync episodes', () => {
  it('given a resource whose apply failed, when the next revision is marked applying and then configured, then SyncSucceeded ends the failure episode', () => {
    const failedApply: AppliedEntry = {
      key: KEY,
      outcome: 'failed',
      error: { code: 'PreflightFailed', message: 'image web:9.9 not found', retryable: false },
    };
    const failed = nextResourceStatus(undefined, facts('r1', failedApply), 't1', 'shop');
    expect(failed.status.sync).toBe('Failed');
    expect(failed.events.map((e) => e.type)).toContain('SyncFailed');

    // when the fixed revision's pass first marks it as being applied (status shows OutOfSync) …
    const applying = markApplying(failed.status, 'r2', 't2');
    expect(applying.sync).toBe('OutOfSync');
    // … and then writes it
    const fixed = nextResourceStatus(
      applying,
      facts('r2', { key: KEY, outcome: 'configured' }),
      't3',
      'shop',
    );

    expect(fixed.status.sync).toBe('Synced');
    expect(fixed.status.lastError).toBeUndefined();
    expect(fixed.events.map((e) => e.type)).toContain('SyncSucceeded');
  });

  it('given a resource that was Synced, when it is marked applying and configured, then no SyncSucceeded is sent (nothing was failing)', () => {
    const first = nextResourceStatus(undefined, facts('r1', { key: KEY, outcome: 'created' }), 't1', 'shop');
    const applying = markApplying(first.status, 'r2', 't2');
    const next = nextResourceStatus(applying, facts('r2', { key: KEY, outcome: 'configured' }), 't3', 'shop');
    expect(next.events.map((e) => e.type)).not.toContain('SyncSucceeded');
  });
});
