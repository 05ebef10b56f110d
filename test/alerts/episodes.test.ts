import { describe, expect, it } from 'vitest';
import { EpisodeFilter } from '../../controller/alerts/episodes.js';
import type { ControllerEvent, EventType } from '../../controller/status/model.js';
import { type Overrides, withOverrides } from '../helpers/overrides.js';

function event(type: EventType, extra: Overrides<ControllerEvent> = {}): ControllerEvent {
  return withOverrides(
    {
      type,
      severity: 'warning',
      time: '2025-01-01T00:00:00Z',
      instance: 'prod',
      resource: 'Service/web',
      revision: 'rev1',
      message: 'm',
    },
    extra,
  );
}

function admitted(events: ControllerEvent[]): string[] {
  const filter = new EpisodeFilter();
  return events.filter((e) => filter.admit(e)).map((e) => `${e.type}${e.resource ? ` ${e.resource}` : ''}`);
}

describe('episode filter', () => {
  it('given a prune refused on several passes, when filtered, then one PruneBlocked and one PruneAllowed are sent', () => {
    const revisionWide: Overrides<ControllerEvent> = { resource: undefined };
    expect(
      admitted([
        event('PruneBlocked', revisionWide),
        event('PruneBlocked', revisionWide),
        event('PruneBlocked', { ...revisionWide, revision: 'rev2' }),
        event('PruneAllowed', revisionWide),
        event('PruneAllowed', revisionWide),
      ]),
    ).toEqual(['PruneBlocked', 'PruneAllowed']);
  });

  it('given drift seen on every pass, when filtered, then one DriftDetected and one DriftResolved are sent', () => {
    expect(
      admitted([
        event('DriftDetected'),
        event('DriftDetected'),
        event('DriftDetected', { message: 'other field too' }),
        event('DriftResolved'),
        event('DriftResolved'),
        event('DriftDetected'),
      ]),
    ).toEqual(['DriftDetected Service/web', 'DriftResolved Service/web', 'DriftDetected Service/web']);
  });

  it('given drift on two resources, when filtered, then each has its own episode', () => {
    expect(
      admitted([
        event('DriftDetected'),
        event('DriftDetected', { resource: 'Service/api' }),
        event('DriftDetected', { resource: 'Service/api' }),
      ]),
    ).toEqual(['DriftDetected Service/web', 'DriftDetected Service/api']);
  });

  it('given a resource failing the same way each pass, when filtered, then SyncFailed is sent once per error until SyncSucceeded', () => {
    const result = admitted([
      event('SyncFailed', { message: 'AccessDenied' }),
      event('SyncFailed', { message: 'AccessDenied' }),
      event('SyncFailed', { message: 'InvalidParameter' }),
      event('SyncFailed', { message: 'InvalidParameter' }),
      event('SyncSucceeded'),
      event('SyncSucceeded'),
    ]);
    expect(result).toEqual(['SyncFailed Service/web', 'SyncFailed Service/web', 'SyncSucceeded Service/web']);
  });

  it('given SyncSucceeded with no failure, when filtered, then it is sent once per revision', () => {
    expect(
      admitted([
        event('SyncSucceeded', { revision: 'a' }),
        event('SyncSucceeded', { revision: 'a' }),
        event('SyncSucceeded', { revision: 'b' }),
      ]),
    ).toEqual(['SyncSucceeded Service/web', 'SyncSucceeded Service/web']);
  });

  it('given a degraded service, when filtered, then HealthDegraded is sent until HealthRecovered', () => {
    expect(
      admitted([
        event('HealthDegraded'),
        event('HealthDegraded'),
        event('HealthRecovered'),
        event('HealthRecovered'),
      ]),
    ).toEqual(['HealthDegraded Service/web', 'HealthRecovered Service/web']);
  });

  it('given a rejected revision seen on every pass, when filtered, then RevisionRejected is sent once per revision and RevisionAccepted once after it', () => {
    const revisionEvent = (type: EventType, revision: string) =>
      event(type, { resource: undefined, revision });
    expect(
      admitted([
        revisionEvent('RevisionAccepted', 'r0'),
        revisionEvent('RevisionRejected', 'r1'),
        revisionEvent('RevisionRejected', 'r1'),
        revisionEvent('RevisionRejected', 'r2'),
        revisionEvent('RevisionAccepted', 'r3'),
        revisionEvent('RevisionAccepted', 'r3'),
      ]),
    ).toEqual(['RevisionRejected', 'RevisionRejected', 'RevisionAccepted']);
  });

  it('given a rollout failing on a revision, when filtered, then RolloutFailed is sent once for it', () => {
    expect(
      admitted([
        event('RolloutFailed', { revision: 'a' }),
        event('RolloutFailed', { revision: 'a' }),
        event('RolloutFailed', { revision: 'b' }),
      ]),
    ).toEqual(['RolloutFailed Service/web', 'RolloutFailed Service/web']);
  });
});
