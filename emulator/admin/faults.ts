// Fault injection rules set through the admin API: throttling, 5xx, latency, dropped connections
// after the write is applied, and ECS-shaped rate limiting.
import type { JsonObject } from '../state.js';
import { RateLimiter } from './rate-limits.js';

export type FaultKind = 'throttle' | 'server-error' | 'latency' | 'drop-after-commit';

export interface FaultRule {
  readonly id: number;
  /** `ecs:UpdateService`, or undefined / `*` for every operation. */
  readonly operation?: string;
  readonly kind: FaultKind;
  /** Matching calls left (undefined = unlimited). */
  remaining?: number;
  readonly latencyMs?: number;
  /**
   * The share of matching calls this rule hits (0 < share <= 1, default 1), spread evenly and
   * deterministically: with 0.25 every fourth matching call, so a run can be repeated exactly.
   */
  readonly share?: number;
  /** Matching calls seen so far (for `share`). */
  seen?: number;
  /** Matching calls still let through untouched before the rule starts hitting (`skip`). */
  skipLeft?: number;
  /** `service`: calls about that ECS service; `region`: calls signed for that region only. */
  readonly match?: { readonly service?: string; readonly region?: string };
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly fail?: 'throttle' | 'server-error';
  readonly dropAfterCommit: boolean;
}

export class FaultError extends Error {}

/** The service a request is about, for `match.service`. */
function serviceNamesOf(body: JsonObject): string[] {
  const names: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '') names.push(value.split('/').pop() ?? value);
  };
  add(body.service);
  add(body.serviceName);
  if (Array.isArray(body.services)) body.services.forEach(add);
  if (typeof body.ResourceId === 'string' && body.ResourceId.startsWith('service/')) add(body.ResourceId);
  // TagResource / UntagResource / ListTagsForResource of a service name it by ARN.
  if (typeof body.resourceArn === 'string' && /:service\//.test(body.resourceArn)) add(body.resourceArn);
  return names;
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private limiter: RateLimiter | undefined;

  add(spec: JsonObject): FaultRule | { kind: 'rate-limit'; operation?: string } {
    const kind = spec.kind;
    const operation =
      typeof spec.operation === 'string' && spec.operation !== '*' ? spec.operation : undefined;
    if (
      operation !== undefined &&
      !/^(ecs|application-autoscaling|events|ecr|secretsmanager|ssm|logs|iam|elasticloadbalancing|scheduler):[A-Za-z]+$/.test(
        operation,
      )
    ) {
      throw new FaultError(
        'operation must look like "ecs:UpdateService", "application-autoscaling:PutScalingPolicy" or "events:PutEvents"',
      );
    }
    if (kind === 'rate-limit') {
      const scope = new Set(this.limiter?.scope ?? []);
      if (operation) scope.add(operation);
      this.limiter = new RateLimiter(
        operation && (this.limiter === undefined || this.limiter.scope) ? scope : undefined,
      );
      return { kind: 'rate-limit', ...(operation ? { operation } : {}) };
    }
    if (
      kind !== 'throttle' &&
      kind !== 'server-error' &&
      kind !== 'latency' &&
      kind !== 'drop-after-commit'
    ) {
      throw new FaultError(
        'kind must be one of throttle, server-error, latency, drop-after-commit, rate-limit',
      );
    }
    const count = spec.count;
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
      throw new FaultError('count must be an integer >= 1');
    }
    const latencyMs = spec.latencyMs;
    if (kind === 'latency' && (typeof latencyMs !== 'number' || latencyMs < 0)) {
      throw new FaultError('latency faults need latencyMs >= 0');
    }
    const share = spec.share;
    if (share !== undefined && (typeof share !== 'number' || !(share > 0 && share <= 1))) {
      throw new FaultError('share must be a number > 0 and <= 1');
    }
    const skip = spec.skip;
    if (skip !== undefined && (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0)) {
      throw new FaultError('skip must be an integer >= 0');
    }
    const match = spec.match as JsonObject | undefined;
    const rule: FaultRule = {
      id: this.nextId++,
      kind,
      ...(operation ? { operation } : {}),
      ...(typeof count === 'number' ? { remaining: count } : {}),
      ...(typeof latencyMs === 'number' ? { latencyMs } : {}),
      ...(typeof share === 'number' && share < 1 ? { share, seen: 0 } : {}),
      ...(typeof skip === 'number' && skip > 0 ? { skipLeft: skip } : {}),
      ...(match && (typeof match.service === 'string' || typeof match.region === 'string')
        ? {
            match: {
              ...(typeof match.service === 'string' ? { service: match.service } : {}),
              ...(typeof match.region === 'string' ? { region: match.region } : {}),
            },
          }
        : {}),
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
    this.limiter = undefined;
  }

  list(): { rules: FaultRule[]; rateLimit: { enabled: boolean; operations?: string[] } } {
    return {
      rules: this.rules.map((rule) => ({ ...rule })),
      rateLimit: {
        enabled: this.limiter !== undefined,
        ...(this.limiter?.scope ? { operations: [...this.limiter.scope] } : {}),
      },
    };
  }

  get empty(): boolean {
    return this.rules.length === 0 && this.limiter === undefined;
  }

  /** What happens to this call; consumes counted rules. */
  decide(region: string, operationKey: string, body: JsonObject): FaultDecision {
    let latencyMs = 0;
    let fail: FaultDecision['fail'];
    let dropAfterCommit = false;
    if (this.limiter && !this.limiter.allow(region, operationKey)) fail = 'throttle';
    let names: string[] | undefined;
    for (const rule of this.rules) {
      if (rule.remaining === 0) continue;
      if (rule.operation !== undefined && rule.operation !== operationKey) continue;
      if (rule.match?.region !== undefined && rule.match.region !== region) continue;
      if (rule.match?.service !== undefined) {
        names ??= serviceNamesOf(body);
        if (!names.includes(rule.match.service)) continue;
      }
      if (rule.skipLeft !== undefined && rule.skipLeft > 0) {
        rule.skipLeft -= 1;
        continue;
      }
      if (rule.share !== undefined && !this.hits(rule, rule.share)) continue;
      if (rule.kind === 'latency') latencyMs += rule.latencyMs ?? 0;
      else if (fail !== undefined || dropAfterCommit) continue;
      else if (rule.kind === 'drop-after-commit') dropAfterCommit = true;
      else fail = rule.kind;
      if (rule.remaining !== undefined) rule.remaining--;
    }
    this.rules = this.rules.filter((rule) => rule.remaining !== 0);
    return { latencyMs, dropAfterCommit, ...(fail ? { fail } : {}) };
  }

  /** The n-th matching call is hit when n × share crosses an integer (error diffusion). */
  private hits(rule: FaultRule, share: number): boolean {
    const seen = rule.seen ?? 0;
    rule.seen = seen + 1;
    return Math.floor((seen + 1) * share) > Math.floor(seen * share);
  }
}
