// Per-sink event filters (`--alert-events`, `--pagerduty-events`, …): which alert types a sink
// receives. The log sink always gets everything, so a filtered-out alert is still on record.
import { ConfigError } from '../errors.js';
import type { EventType } from '../status/model.js';
import type { Notifier } from './types.js';

export const EVENT_TYPES: readonly EventType[] = [
  'SyncSucceeded',
  'SyncFailed',
  'DriftDetected',
  'DriftResolved',
  'HealthDegraded',
  'HealthRecovered',
  'RolloutFailed',
  'AwaitingApproval',
  'RevisionRejected',
  'RevisionAccepted',
];

/** `RolloutFailed,DriftDetected` → the set; unknown names are a ConfigError naming the valid ones. */
export function parseEventList(text: string, flag: string): ReadonlySet<EventType> {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new ConfigError(`${flag} lists no event (use e.g. RolloutFailed,DriftDetected)`);
  const known = new Set<string>(EVENT_TYPES);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${flag}: unknown event ${unknown.map((n) => `"${n}"`).join(', ')} (events: ${EVENT_TYPES.join(', ')})`,
    );
  }
  return new Set(names as EventType[]);
}

/** The notifier, receiving only alerts whose type is in `events`. */
export function filterEvents(notifier: Notifier, events: ReadonlySet<EventType> | undefined): Notifier {
  if (!events) return notifier;
  return {
    name: notifier.name,
    notify(alert) {
      if (events.has(alert.event.type)) notifier.notify(alert);
    },
    flush: () => notifier.flush(),
    close: () => notifier.close(),
  };
}
