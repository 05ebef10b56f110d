// The emulator's core, independent of HTTP: state + clock + simulator + faults + call counts.

import { Faults } from './admin/faults.js';
import { putSystemTags, regionOfArn } from './admin/system-tags.js';
import { Clock } from './clock.js';
import type { OpContext, RuntimeConfig } from './context.js';
import { Simulator } from './ecs/simulation.js';
import {
  compileFailPattern,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  DEFAULT_TIMINGS,
  type EmulatorOptions,
} from './options.js';
import { loadStateFile, StatePersister } from './persistence/state-file.js';
import { type EmulatorState, emptyState, type JsonObject, regionOf } from './state.js';
import { StsSessions } from './sts/sessions.js';
import { ApiError } from './wire/errors.js';
import { OPERATIONS, type ServiceName } from './wire/operations.js';

export interface CallResult {
  readonly status: number;
  /** The answer, serialized at once: read handlers share stored objects, later writes must not leak in. */
  readonly text: string;
  readonly error?: ApiError;
  /** Destroy the connection instead of answering (crash injection). */
  readonly drop?: boolean;
}

function errorResult(error: ApiError): CallResult {
  return {
    status: error.status,
    text: JSON.stringify({ __type: error.code, message: error.message, ...error.members }),
    error,
  };
}

/** The account and principal a call runs as (an assumed role); absent: the emulator's own account. */
export interface Caller {
  readonly accountId: string;
  readonly principal: string;
}

export class Emulator {
  readonly clock: Clock;
  readonly faults = new Faults();
  readonly config: RuntimeConfig;
  readonly accountId: string;
  readonly defaultRegion: string;
  private state: EmulatorState;
  /** Sessions AssumeRole issued: their access keys sign calls into the role's account. */
  readonly sts = new StsSessions();
  /** Accounts other than the emulator's own, reached through assumed roles (in memory only). */
  private readonly accounts = new Map<string, EmulatorState>();
  private readonly simulator = new Simulator();
  private readonly counts = new Map<string, number>();
  readonly persister: StatePersister | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
    const loaded = options.stateFile ? loadStateFile(options.stateFile) : undefined;
    const clockOptions = options.clock ?? { mode: 'real' as const };
    // A restarted emulator continues its own timeline (never going back in time).
    const start = loaded
      ? clockOptions.mode === 'manual'
        ? loaded.clockMs
        : Math.max(Date.now(), loaded.clockMs)
      : Date.now();
    this.clock = new Clock(clockOptions, start);
    this.state = loaded ?? emptyState(this.accountId, start);
    const pattern = compileFailPattern(options.failImagePattern);
    this.config = {
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
      ...(pattern ? { failImagePattern: pattern } : {}),
    };
    this.persister = options.stateFile
      ? new StatePersister(options.stateFile, () => this.snapshotForSave())
      : undefined;
  }

  private stateOf(accountId: string): EmulatorState {
    if (accountId === this.accountId) return this.state;
    let state = this.accounts.get(accountId);
    if (!state) {
      state = emptyState(accountId, this.clock.now());
      this.accounts.set(accountId, state);
    }
    return state;
  }

  private context(region: string, caller?: Caller): OpContext {
    const accountId = caller?.accountId ?? this.accountId;
    const state = this.stateOf(accountId);
    return {
      state,
      region: regionOf(state, region),
      regionName: region,
      accountId,
      nowMs: this.clock.now(),
      config: this.config,
      principal: caller?.principal ?? `arn:aws:iam::${accountId}:root`,
    };
  }

  /** Who signed a request: an AssumeRole session's account and role, or the emulator's own account. */
  callerOf(accessKeyId: string | undefined): Caller | undefined {
    const session = this.sts.find(accessKeyId);
    return session ? { accountId: session.accountId, principal: session.arn } : undefined;
  }

  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  calls(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCalls(): void {
    this.counts.clear();
  }

  /** Runs one API call (already counted and past fault injection). */
  async call(
    service: ServiceName,
    operation: string,
    region: string,
    body: JsonObject,
    caller?: Caller,
  ): Promise<CallResult> {
    const op = OPERATIONS[service].get(operation);
    if (!op) {
      const error = new ApiError('UnknownOperationException', `Unknown operation ${operation}`);
      return errorResult(error);
    }
    const ctx = this.context(region, caller);
    try {
      this.simulator.sync(ctx);
      const result = await op.handler(ctx, body);
      const text = JSON.stringify(result);
      if (op.mutating) {
        this.simulator.markDirty(ctx.region);
        this.simulator.sync(ctx);
        this.persister?.schedule();
        // ECS never forgets a write it acknowledged: with a state file, the answer waits until the
        // file holds the change, so a SIGKILL loses nothing that was answered.
        await this.persister?.flush();
      }
      return { status: 200, text };
    } catch (error) {
      if (error instanceof ApiError) return errorResult(error);
      const wrapped =
        service === 'ecs'
          ? new ApiError('ServerException', `Internal error: ${(error as Error).message}`, 500)
          : new ApiError('InternalServiceException', `Internal error: ${(error as Error).message}`, 500);
      return errorResult(wrapped);
    }
  }

  /**
   * Runs an admin change against one region's state (outside the wire protocol), then lets the
   * scheduler react to it as it does after a mutating API call.
   */
  mutate<T>(region: string | undefined, change: (ctx: OpContext) => T): T {
    const ctx = this.context(region ?? this.defaultRegion);
    this.simulator.sync(ctx);
    const result = change(ctx);
    this.simulator.markDirty(ctx.region);
    this.simulator.sync(ctx);
    this.persister?.schedule();
    return result;
  }

  /** Brings every region up to now (after a clock jump, before a dump or a save). */
  syncAll(): void {
    for (const region of Object.keys(this.state.regions)) this.simulator.sync(this.context(region));
    for (const [accountId, state] of this.accounts)
      for (const region of Object.keys(state.regions))
        this.simulator.sync(this.context(region, { accountId, principal: `arn:aws:iam::${accountId}:root` }));
  }

  advance(seconds: number): void {
    this.clock.advance(seconds);
    this.syncAll();
    this.persister?.schedule();
  }

  dump(): EmulatorState {
    this.syncAll();
    return this.snapshotForSave();
  }

  private snapshotForSave(): EmulatorState {
    this.state.clockMs = this.clock.now();
    return this.state;
  }

  reset(): void {
    this.state = emptyState(this.accountId, this.clock.now());
    this.accounts.clear();
    this.persister?.schedule();
  }

  /** Tags only AWS itself sets (aws:cloudformation:*): see admin/system-tags.ts. */
  putSystemTags(body: JsonObject): { key: string; value: string }[] {
    const region = regionOfArn(String(body.resourceArn ?? '')) ?? this.defaultRegion;
    const tags = putSystemTags(this.context(region), body);
    this.persister?.schedule();
    return tags;
  }

  setFailImagePattern(source: string | undefined): void {
    const pattern = compileFailPattern(source);
    if (pattern) this.config.failImagePattern = pattern;
    else delete this.config.failImagePattern;
  }

  /** Events PutEvents accepted, per region in arrival order (the admin API serves them). */
  receivedEvents(): JsonObject[] {
    return Object.values(this.state.regions).flatMap((region) => region.events?.received ?? []);
  }

  /** What EventBridge Scheduler invocations did, per region in order (the admin API serves them). */
  scheduleInvocations(): JsonObject[] {
    this.syncAll();
    return Object.values(this.state.regions).flatMap((region) => region.scheduler?.invocations ?? []);
  }

  regionFor(requestRegion: string | undefined): string {
    return requestRegion ?? this.defaultRegion;
  }
}
