// What a notifier receives: one controller event that passed the episode filter, with an id that
// stays the same across delivery retries (receivers de-duplicate on it).
import type { ControllerEvent } from '../status/model.js';

export interface Alert {
  readonly id: string;
  readonly event: ControllerEvent;
}

export interface Notifier {
  readonly name: string;
  /** Accepts an alert for delivery. Never throws and never blocks the caller. */
  notify(alert: Alert): void;
  /** Resolves when every alert accepted so far was delivered or given up on. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
