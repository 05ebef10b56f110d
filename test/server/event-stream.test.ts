import { afterEach, describe, expect, it, vi } from 'vitest';
import { MASK } from '../../controller/server/redact.js';
import type { ControllerEvent, StatusSnapshot } from '../../controller/status/model.js';
import { event, fleet, type Harness, SHA2, snapshot, startHarness, webService } from './harness.js';
import { SseReader } from './sse-client.js';

let harness: Harness | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
  await harness?.close();
  harness = undefined;
});

async function open(): Promise<SseReader> {
  const reader = await SseReader.open(`${harness!.url}/api/events`);
  readers.push(reader);
  return reader;
}

const isSnapshot = (m: { event: string }) => m.event === 'snapshot';

describe('GET /api/events (Server-Sent Events)', () => {
  it('starts with the current snapshot and the recent events', async () => {
    // given a controller that already published an event
    harness = await startHarness();
    harness.events.publish(event({ message: 'earlier' }));
    // when a client connects
    const reader = await open();
    // then the stream headers are right and it receives the snapshot, then the recent events
    expect(reader.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(reader.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const first = JSON.parse((await reader.next(isSnapshot)).data) as StatusSnapshot;
    expect(first.resources.map((r) => r.key)).toEqual(fleet().map((r) => r.key));
    const recent = JSON.parse(
      (await reader.next((m) => m.event === 'recent-events')).data,
    ) as ControllerEvent[];
    expect(recent.map((e) => e.message)).toEqual(['earlier']);
  });

  it('pushes a new snapshot when the status changes, and only then', async () => {
    harness = await startHarness({ statusPollMs: 30 });
    const reader = await open();
    await reader.next(isSnapshot);
    // when the web service starts drifting
    harness.current = snapshot([
      webService({ sync: 'Drifted', diff: [{ path: 'desiredCount', op: 'change', desired: 2, live: 5 }] }),
    ]);
    // then the next snapshot says so
    const changed = JSON.parse((await reader.next(isSnapshot)).data) as StatusSnapshot;
    expect(changed.resources).toEqual([expect.objectContaining({ key: 'Service/web', sync: 'Drifted' })]);
    // and an unchanged status sends nothing more
    await expect(reader.next(isSnapshot, 300)).rejects.toThrow(/timed out/);
  });

  it('forwards controller events as they happen, with secrets masked, and looks at the status at once', async () => {
    // given a poll interval far longer than the test
    harness = await startHarness({ statusPollMs: 60_000 });
    const reader = await open();
    await reader.next(isSnapshot);
    // when the loop updates the status and publishes a drift event
    harness.current = snapshot(fleet(), { lastAppliedRevision: SHA2 });
    harness.events.publish(
      event({
        type: 'DriftDetected',
        severity: 'warning',
        message: 'drifted',
        fields: [{ path: 'environment[DB_PASSWORD]', op: 'change', desired: 'hunter2', live: 'x' }],
      }),
    );
    // then the event arrives masked, followed by the new snapshot without waiting for the poll
    const e = JSON.parse((await reader.next((m) => m.event === 'controller-event')).data) as ControllerEvent;
    expect(e).toMatchObject({ type: 'DriftDetected', fields: [{ desired: MASK, live: MASK }] });
    const s = JSON.parse((await reader.next(isSnapshot, 1000)).data) as StatusSnapshot;
    expect(s.overall.lastAppliedRevision).toBe(SHA2);
  });

  it('reacts to subscribeStatus notifications immediately', async () => {
    let notify: (() => void) | undefined;
    harness = await startHarness({
      statusPollMs: 60_000,
      subscribeStatus: (listener) => {
        notify = listener;
        return () => {
          notify = undefined;
        };
      },
    });
    const reader = await open();
    await reader.next(isSnapshot);
    harness.current = snapshot(fleet(), { ready: false });
    notify!();
    const s = JSON.parse((await reader.next(isSnapshot, 1000)).data) as StatusSnapshot;
    expect(s.overall.ready).toBe(false);
    // the subscription ends with the last client
    await reader.close();
    await expect.poll(() => notify, { timeout: 2000 }).toBeUndefined();
  });

  it('sends keep-alive comments', async () => {
    harness = await startHarness({ keepAliveMs: 40 });
    const reader = await open();
    const comment = await reader.next((m) => m.event === 'comment', 2000);
    expect(comment.data).toBe('keep-alive');
  });

  it('refuses clients beyond the limit with 503', async () => {
    harness = await startHarness({ maxEventClients: 1 });
    await open();
    const second = await fetch(`${harness.url}/api/events`, { headers: { accept: 'text/event-stream' } });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('10');
  });

  it('ends every stream cleanly when the server closes', async () => {
    harness = await startHarness();
    const a = await open();
    const b = await open();
    await a.next(isSnapshot);
    await b.next(isSnapshot);
    // when the controller shuts down with timers frozen, so the forced-close fallback cannot fire
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    try {
      await harness.close();
    } finally {
      vi.useRealTimers();
    }
    harness = undefined;
    // then close did not wait for a timer, and both streams end (not error)
    expect(await a.waitForEnd(2000)).toBe(true);
    expect(await b.waitForEnd(2000)).toBe(true);
  });
});
