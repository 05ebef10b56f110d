// Service events, newest first, as DescribeServices lists them (ECS keeps the 100 most recent).
import { randomUUID } from 'node:crypto';
import type { OpContext } from '../context.js';
import { epochSeconds } from '../context.js';
import type { ServiceRecord } from '../state.js';

const MAX_EVENTS = 100;

export function addEvent(ctx: OpContext, service: ServiceRecord, message: string): void {
  service.events.unshift({ id: randomUUID(), createdAt: epochSeconds(ctx.nowMs), message });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}
