// Programmatic entry: startEmulator() → a running server with its URL and test controls.
import type { AddressInfo } from 'node:net';
import { Emulator } from './emulator.js';
import type { EmulatorOptions } from './options.js';
import { createEmulatorServer } from './server.js';
import type { EmulatorState } from './state.js';

export type { ClockOptions } from './clock.js';
export type { Timings } from './context.js';
export type { EmulatorOptions } from './options.js';
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_TIMINGS } from './options.js';
export { StateFileError } from './persistence/state-file.js';

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4566 */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly accountId: string;
  /** Stops the server and flushes the state file. */
  close(): Promise<void>;
  /** Moves the (manual or real) clock forward and runs the world up to the new now. */
  advance(seconds: number): void;
  /** Per-operation call counts: `{"ecs:DescribeServices": 3, ...}`. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Wipes all state. */
  reset(): void;
  /** Changes the failing-image rule at runtime (undefined = off). */
  setFailImagePattern(source: string | undefined): void;
  /** A snapshot of the whole state (debugging). */
  state(): EmulatorState;
  /** Emulated now, epoch ms. */
  now(): number;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = new Emulator(options);
  const server = createEmulatorServer(emulator);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    accountId: emulator.accountId,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        // Always leave a file behind, with the clock where it stopped.
        emulator.persister?.schedule();
        return emulator.persister?.flush();
      });
      return closed;
    },
    advance: (seconds) => emulator.advance(seconds),
    calls: () => emulator.calls(),
    resetCalls: () => emulator.resetCalls(),
    reset: () => emulator.reset(),
    setFailImagePattern: (source) => emulator.setFailImagePattern(source),
    state: () => structuredClone(emulator.dump()),
    now: () => emulator.clock.now(),
  };
}
