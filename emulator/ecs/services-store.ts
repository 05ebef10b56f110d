// Lookup of service records: the live one (ACTIVE/DRAINING) wins over INACTIVE leftovers.
import type { OpContext } from '../context.js';
import type { ServiceRecord } from '../state.js';

export function servicesOf(ctx: OpContext, cluster: string): ServiceRecord[] {
  let list = ctx.region.services[cluster];
  if (!list) {
    list = [];
    ctx.region.services[cluster] = list;
  }
  return list;
}

/** The newest record with this name: a live service, else the most recently deleted one. */
export function findService(ctx: OpContext, cluster: string, name: string): ServiceRecord | undefined {
  const list = ctx.region.services[cluster] ?? [];
  let inactive: ServiceRecord | undefined;
  for (const service of list) {
    if (service.serviceName !== name) continue;
    if (service.status !== 'INACTIVE') return service;
    inactive = service;
  }
  return inactive;
}
