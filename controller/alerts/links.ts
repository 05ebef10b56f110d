// Links from an alert back to the controller's dashboard, when --external-url says where it is.
import type { ControllerEvent } from '../status/model.js';

/** `https://gitops.example.com/#/Service/web`, or the dashboard's front page for revision-wide events. */
export function dashboardLink(externalUrl: string | undefined, event: ControllerEvent): string | undefined {
  if (!externalUrl) return undefined;
  const base = externalUrl.replace(/\/+$/, '');
  return event.resource ? `${base}/#/${event.resource}` : `${base}/`;
}
