// Starts a real emulator (HTTP on a random port, manual clock) and real AWS SDK clients against it.
// Integration tests of every area use this; the clock only moves when a test calls advance().
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/index.js';

export const TEST_REGION = 'us-east-1';
export const TEST_ACCOUNT_ID = '123456789012';
/** Dummy credentials: the emulator accepts any SigV4 signature. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret' } as const;

export interface SdkClientOptions {
  readonly region?: string;
  /** SDK attempts per call (default 1: a test sees faults instead of silent retries). */
  readonly maxAttempts?: number;
}

export interface TestEmulator {
  readonly emulator: RunningEmulator;
  /** http://127.0.0.1:PORT — pass as endpoint / --endpoint-url. */
  readonly url: string;
  readonly ecs: ECSClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  /** Moves the manual clock forward and runs deployments up to the new time. */
  advance(seconds: number): void;
  /** Per-operation call counts, e.g. {"ecs:DescribeServices": 3}. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Wipes all emulator state, faults and call counts. */
  reset(): Promise<void>;
  /** Calls the admin API (`/_emulator/...`), returning the parsed JSON answer. */
  admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  /** Adds a fault rule (see emulator/README.md), e.g. {operation: 'ecs:UpdateService', kind: 'throttle', count: 1}. */
  fault(rule: Record<string, unknown>): Promise<unknown>;
  /** New SDK clients against this emulator (e.g. with retries, or another region). */
  clients(options?: SdkClientOptions): { ecs: ECSClient; autoscaling: ApplicationAutoScalingClient };
  close(): Promise<void>;
}

export function sdkClients(
  url: string,
  options: SdkClientOptions = {},
): { ecs: ECSClient; autoscaling: ApplicationAutoScalingClient } {
  const config = {
    endpoint: url,
    region: options.region ?? TEST_REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  };
  return { ecs: new ECSClient(config), autoscaling: new ApplicationAutoScalingClient(config) };
}

/** Starts an emulator on port 0 with a manual clock (override anything through `options`). */
export async function startTestEmulator(
  options: EmulatorOptions & SdkClientOptions = {},
): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, clock: { mode: 'manual' }, ...options });
  const created: Array<{ ecs: ECSClient; autoscaling: ApplicationAutoScalingClient }> = [];
  const clients = (clientOptions?: SdkClientOptions) => {
    const pair = sdkClients(emulator.url, { ...options, ...clientOptions });
    created.push(pair);
    return pair;
  };
  const main = clients();
  const admin = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path.startsWith('/') ? path : `/${path}`}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed: unknown = await response.json();
    if (!response.ok)
      throw new Error(`admin ${method} ${path} failed (${response.status}): ${JSON.stringify(parsed)}`);
    return parsed;
  };
  return {
    emulator,
    url: emulator.url,
    ecs: main.ecs,
    autoscaling: main.autoscaling,
    advance: (seconds) => emulator.advance(seconds),
    calls: () => emulator.calls(),
    resetCalls: () => emulator.resetCalls(),
    async reset() {
      await admin('POST', '/_emulator/reset');
    },
    admin,
    fault: (rule) => admin('POST', '/_emulator/faults', rule),
    clients,
    async close() {
      for (const pair of created) {
        pair.ecs.destroy();
        pair.autoscaling.destroy();
      }
      await emulator.close();
    },
  };
}

/**
 * Vitest lifecycle: one emulator per test file, wiped before each test.
 * `const env = useTestEmulator(); it('...', async () => { await env().ecs.send(...) })`
 */
export function useTestEmulator(options: EmulatorOptions & SdkClientOptions = {}): () => TestEmulator {
  let current: TestEmulator | undefined;
  beforeAll(async () => {
    current = await startTestEmulator(options);
  });
  beforeEach(async () => {
    await current?.reset();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useTestEmulator(): the emulator is not started yet (use it inside tests)');
    return current;
  };
}
