// What the loop's parts need to tell people something: which controller, the loop's clock, the
// event sink (status, alerts, webhooks) and the log. One value handed to each part instead of four.
import type { Logger } from '../log.js';
import type { ControllerEvent } from '../status/model.js';

export interface Announcer {
  readonly instance: string;
  readonly now: () => Date;
  readonly publish: (event: ControllerEvent) => void;
  readonly logger: Logger;
}

/** Publishes an event of this controller, stamped with the loop's clock. */
export function announce(announcer: Announcer, event: Omit<ControllerEvent, 'time' | 'instance'>): void {
  // Field order as every event is written (webhook bodies, the status branch): type, severity, time, instance, …
  const { type, severity, ...rest } = event;
  announcer.publish({
    type,
    severity,
    time: announcer.now().toISOString(),
    instance: announcer.instance,
    ...rest,
  });
}
