// The leaf vocabulary's helpers.
import { describe, expect, it } from 'vitest';
import { parseKeyString, shortRevision } from '../controller/types.js';

describe('shortRevision', () => {
  it('given a Git sha, then it is shown as its first 12 hex digits (everywhere: logs, alerts, CLI, status branch)', () => {
    expect(shortRevision('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678')).toBe('a1b2c3d4e5f6');
  });

  it('given a folder content hash or any other revision, then it is shown whole', () => {
    expect(shortRevision('sha256:0123456789ab')).toBe('sha256:0123456789ab');
    expect(shortRevision('local')).toBe('local');
  });
});

describe('parseKeyString', () => {
  it('given Kind/name, then it parses; given an unknown kind or no name, then undefined', () => {
    expect(parseKeyString('Service/web')).toEqual({ kind: 'Service', name: 'web' });
    expect(parseKeyString('Bucket/web')).toBeUndefined();
    expect(parseKeyString('Service/')).toBeUndefined();
  });
});
