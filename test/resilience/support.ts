// Shared by the resilience tests that drive a whole in-process controller (test/e2e/harness.ts): one
// harness per test, closed after it, started on the example fleet and waited until it converged.
import { afterEach } from 'vitest';
import { allSyncedAndHealthy, type Harness, startHarness, waitForStatus } from '../e2e/harness.js';

export { allSyncedAndHealthy, exampleFiles, type Harness, waitForStatus } from '../e2e/harness.js';

/** Registers the cleanup; the returned function starts a controller and waits for the fleet to converge. */
export function useConvergedHarness(): (flags?: Record<string, unknown>) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (flags = {}) => {
    current = await startHarness(flags);
    await waitForStatus(current.app, (s) => allSyncedAndHealthy(s), 30_000);
    return current;
  };
}

/** Commits to the watched repository and asks for a pass right away (no waiting on the poll). */
export async function commitAndSync(
  harness: Harness,
  files: Readonly<Record<string, string>>,
  message: string,
  options: { remove?: string[] } = {},
): Promise<string> {
  const revision = await harness.repo.commit(files, message, options);
  harness.app.reconciler.requestSync('test');
  return revision;
}

/** The alerts of one event type the harness's webhook receiver got (JSON bodies). */
export function alertsOf(harness: Harness, type: string): Record<string, unknown>[] {
  return harness.receiver.received
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)
    .filter((body) => body.type === type || (body.event as { type?: string } | undefined)?.type === type);
}
