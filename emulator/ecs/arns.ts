// ECS ARNs in the long format (cluster name inside service and task ARNs), and id generation.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OpContext } from '../context.js';

const prefix = (ctx: OpContext) => `arn:aws:ecs:${ctx.regionName}:${ctx.accountId}`;

export const clusterArn = (ctx: OpContext, name: string) => `${prefix(ctx)}:cluster/${name}`;
export const serviceArn = (ctx: OpContext, cluster: string, name: string) =>
  `${prefix(ctx)}:service/${cluster}/${name}`;
export const taskDefinitionArn = (ctx: OpContext, family: string, revision: number) =>
  `${prefix(ctx)}:task-definition/${family}:${revision}`;
export const taskArn = (ctx: OpContext, cluster: string, id: string) =>
  `${prefix(ctx)}:task/${cluster}/${id}`;
export const containerArn = (ctx: OpContext, cluster: string, taskId: string) =>
  `${prefix(ctx)}:container/${cluster}/${taskId}/${randomUUID()}`;

/** ECS task ids are 32 lowercase hex characters. */
export const newTaskId = () => randomBytes(16).toString('hex');

/** Deployment ids look like `ecs-svc/` followed by 19 digits. */
export function newDeploymentId(): string {
  const bytes = randomBytes(8);
  let digits = (bytes.readBigUInt64BE() % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n;
  if (digits < 0n) digits = -digits;
  return `ecs-svc/${digits.toString()}`;
}

/** `arn:...:cluster/NAME` or `NAME` → NAME. */
export function nameFromArnOrName(value: string, resource: string): string {
  const marker = `:${resource}/`;
  const at = value.indexOf(marker);
  if (value.startsWith('arn:') && at >= 0) return value.slice(at + marker.length);
  return value;
}

/** The service name from a name, a short ARN (service/NAME) or a long ARN (service/CLUSTER/NAME). */
export function serviceNameFromArnOrName(value: string): { cluster?: string | undefined; name: string } {
  if (!value.startsWith('arn:')) return { name: value };
  const rest = nameFromArnOrName(value, 'service');
  const parts = rest.split('/');
  if (parts.length >= 2) return { cluster: parts[0], name: parts.slice(1).join('/') };
  return { name: rest };
}
