// Alerts as structured log lines: always on, so an alert is never only in a webhook that failed.
import type { Logger } from '../log.js';
import type { Alert, Notifier } from './types.js';

export function createLogNotifier(logger: Logger): Notifier {
  return {
    name: 'log',
    notify({ id, event }: Alert) {
      const level = event.severity === 'error' ? 'error' : event.severity === 'warning' ? 'warn' : 'info';
      logger[level](
        {
          alert: event.type,
          alertId: id,
          instance: event.instance,
          ...(event.target ? { target: event.target } : {}),
          ...(event.resource ? { resource: event.resource } : {}),
          ...(event.revision ? { revision: event.revision } : {}),
          ...(event.fields ? { fields: event.fields } : {}),
          ...(event.problems ? { problems: event.problems } : {}),
          ...(event.problemCount !== undefined ? { problemCount: event.problemCount } : {}),
        },
        `alert: ${event.type}${event.resource ? ` ${event.resource}` : ''}: ${event.message}`,
      );
    },
    flush: async () => undefined,
    close: async () => undefined,
  };
}
