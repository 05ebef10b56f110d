import { describe, expect, it } from 'vitest';
import { getCondition, setCondition } from '../../controller/status/conditions.js';

describe('setCondition', () => {
  it('given a condition, when set again with the same status, then lastTransitionTime is kept', () => {
    const first = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'Failed', message: 'a' },
      '2025-01-01T00:00:00Z',
    );
    const second = setCondition(
      first,
      { type: 'Ready', status: 'False', reason: 'Failed', message: 'b' },
      '2025-01-02T00:00:00Z',
    );
    expect(second).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Failed',
        message: 'b',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ]);
  });

  it('given a condition, when its status flips, then lastTransitionTime moves to now', () => {
    const first = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'Failed', message: 'a' },
      '2025-01-01T00:00:00Z',
    );
    const next = setCondition(
      first,
      { type: 'Ready', status: 'True', reason: 'Synced', message: 'ok' },
      new Date('2025-01-03T00:00:00Z'),
    );
    expect(getCondition(next, 'Ready')?.lastTransitionTime).toBe('2025-01-03T00:00:00.000Z');
  });

  it('given other conditions, when one is set, then the others are untouched and order is kept', () => {
    const base = setCondition(
      setCondition(
        [],
        { type: 'Ready', status: 'True', reason: 'Synced', message: '' },
        '2025-01-01T00:00:00Z',
      ),
      { type: 'Drifted', status: 'False', reason: 'InSync', message: '' },
      '2025-01-01T00:00:00Z',
    );
    const next = setCondition(
      base,
      { type: 'Drifted', status: 'True', reason: 'Drift', message: 'x' },
      '2025-01-02T00:00:00Z',
    );
    expect(next.map((c) => c.type)).toEqual(['Ready', 'Drifted']);
    expect(next[0]).toBe(base[0]);
  });
});
