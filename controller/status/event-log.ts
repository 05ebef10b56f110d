// Recent controller events in a bounded ring, with subscribers (dashboard live updates, alerts).
import type { ControllerEvent } from './model.js';

export type EventListener = (event: ControllerEvent) => void;

export class EventLog {
  private readonly events: ControllerEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly capacity = 500) {}

  publish(event: ControllerEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not stop the others or the controller.
      }
    }
  }

  /** Newest last; optionally only the events of one resource (`Service/web`). */
  recent(options: { resource?: string; limit?: number } = {}): ControllerEvent[] {
    const matching = options.resource
      ? this.events.filter((e) => e.resource === options.resource)
      : this.events;
    return matching.slice(-(options.limit ?? 100));
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
