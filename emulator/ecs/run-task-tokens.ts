// RunTask idempotency (ECS API Reference, "Ensuring idempotency"): a clientToken of up to 64 ASCII
// characters 33-126 is scoped to its cluster and lives 24 hours. A retry with the same token and
// the same parameters returns the original result without starting tasks; the same token with any
// other parameter is a ConflictException whose resourceIds are the tasks the token started.
import type { OpContext } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { ApiError, invalidParameter } from '../wire/errors.js';
import { stableStringify } from '../wire/input.js';

const TOKEN = /^[\x21-\x7e]{1,64}$/;
const TTL_MS = 24 * 60 * 60 * 1000;

export interface RunTaskTokenRecord {
  readonly requestHash: string;
  readonly result: JsonObject;
  readonly atMs: number;
}

/** ConflictException with the member ECS adds to it (the SDK exposes it as `resourceIds`). */
export class RunTaskConflict extends ApiError {
  constructor(readonly resourceIds: readonly string[]) {
    super(
      'ConflictException',
      // The API reference's text for this exception (ECS API Reference, ConflictException).
      'The RunTask request could not be processed due to conflicts. The provided clientToken is already in use with a different RunTask request. The resourceIds are the existing task ARNs which are already associated with the clientToken.',
      400,
      { resourceIds: [...resourceIds] },
    );
  }
}

function store(ctx: OpContext): Record<string, RunTaskTokenRecord> {
  ctx.region.runTaskTokens ??= {};
  return ctx.region.runTaskTokens;
}

const keyOf = (clusterName: string, token: string) => `${clusterName}\u0000${token}`;

export function validateClientToken(token: string | undefined): void {
  if (token === undefined) return;
  if (!TOKEN.test(token)) {
    throw invalidParameter(
      'clientToken must be at most 64 ASCII characters in the range 33-126 (inclusive).',
    );
  }
}

/** The original result of this token's request, or undefined when the token is new (or expired). */
export function replayRunTask(
  ctx: OpContext,
  clusterName: string,
  token: string,
  body: JsonObject,
): JsonObject | undefined {
  const tokens = store(ctx);
  for (const [key, record] of Object.entries(tokens)) {
    if (ctx.nowMs - record.atMs > TTL_MS) delete tokens[key];
  }
  const found = tokens[keyOf(clusterName, token)];
  if (!found) return undefined;
  if (found.requestHash !== requestHash(body)) {
    const tasks = (found.result.tasks as JsonObject[] | undefined) ?? [];
    throw new RunTaskConflict(tasks.map((task) => String(task.taskArn)));
  }
  return found.result;
}

export function rememberRunTask(
  ctx: OpContext,
  clusterName: string,
  token: string,
  body: JsonObject,
  result: JsonObject,
): void {
  store(ctx)[keyOf(clusterName, token)] = {
    requestHash: requestHash(body),
    result: structuredClone(result) as JsonObject,
    atMs: ctx.nowMs,
  };
}

function requestHash(body: JsonObject): string {
  const { clientToken: _token, ...request } = body;
  return stableStringify(request as Json);
}
