import { describe, expect, it } from 'vitest';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { classifyChange, effectiveDriftPolicy } from '../../controller/reconcile/drift.js';
import { service } from '../apply/support.js';

const WEB = service('web', 'prod', 'web');

function diff(action: ResourceDiff['action']): ResourceDiff {
  const common = { key: WEB.key, changes: [], replaceReasons: [] };
  return action === 'delete' ? { ...common, action } : { ...common, action, desired: WEB };
}

describe('drift classification', () => {
  it('given no difference, then nothing to classify', () => {
    expect(classifyChange(diff('noop'), 'a', { fingerprint: 'a', revision: 'r1' })).toBe('none');
  });

  it('given a difference and desired unchanged since the last apply, then it is drift', () => {
    expect(classifyChange(diff('update'), 'a', { fingerprint: 'a', revision: 'r1' })).toBe('drift');
  });

  it('given a difference and desired changed since the last apply, then it is a Git change', () => {
    expect(classifyChange(diff('update'), 'b', { fingerprint: 'a', revision: 'r1' })).toBe('git');
  });

  it('given a resource never applied by this controller, then the difference is a Git change', () => {
    expect(classifyChange(diff('create'), 'a', undefined)).toBe('git');
  });

  it('given an applied resource deleted out of band, then the create is drift', () => {
    expect(classifyChange(diff('create'), 'a', { fingerprint: 'a', revision: 'r1' })).toBe('drift');
  });

  it('given a resource that left Git, then the delete is a Git change', () => {
    expect(classifyChange(diff('delete'), undefined, { fingerprint: 'a', revision: 'r1' })).toBe('git');
  });

  it('given an annotation, then it overrides the global policy', () => {
    expect(effectiveDriftPolicy('heal', 'alert')).toBe('heal');
    expect(effectiveDriftPolicy(undefined, 'ignore')).toBe('ignore');
  });
});
