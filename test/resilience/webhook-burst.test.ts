// HTTP probe (issue 11, resilience suite): a burst of 500 signed push webhooks (a busy monorepo, a
// replayed delivery queue) is coalesced: every delivery is accepted, but the controller runs a
// bounded number of passes and looks at the Git remote once per pass (it used to poll once more
// for about every push that arrived between two polls: 19 ls-remotes for 500 pushes on a busy machine).
import { describe, expect, it } from 'vitest';
import { signGitHub } from '../../controller/server/index.js';
import { waitFor } from '../helpers/git.js';
import { counterSum } from './fleet-check.js';
import { useConvergedHarness, waitForStatus } from './support.js';

const start = useConvergedHarness();
const PUSH_SECRET = 'push-secret'; // the harness's ECS_GITOPS_GIT_WEBHOOK_SECRET

describe('a burst of push webhooks', () => {
  it('given 500 signed pushes while a pass runs, then all are accepted and they cause at most two more passes and as many looks at the remote', async () => {
    // no timers of its own: every pass below comes from the pushes
    const h = await start({ resync: '1h', poll: '1h' });
    const metrics = async () => (await fetch(`${h.app.url}/metrics`)).text();
    const looksBefore = counterSum(await metrics(), 'ecs_gitops_git_fetch_total');
    // a pass that takes a while (ECS answers its first read after 5 s), so the burst lands during it
    await h.emulator.fault({
      operation: 'ecs:DescribeClusters',
      kind: 'latency',
      latencyMs: 5_000,
      count: 1,
    });
    h.emulator.resetCalls();
    const passes = h.app.reconciler.passes;
    h.app.reconciler.requestSync('gate', { fetch: true, manual: true });
    await waitFor(() => (h.emulator.calls()['ecs:DescribeClusters'] ?? 0) >= 1, 10_000);

    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'b'.repeat(40) });
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': signGitHub(body, PUSH_SECRET),
    };
    const statuses: number[] = [];
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${h.app.url}/hooks/git`, { method: 'POST', headers, body })),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    const burstEndedDuringGate = h.app.reconciler.passes === passes;
    expect(statuses.filter((s) => s === 202)).toHaveLength(500);

    // the gated pass, then one pass for everything the burst asked
    await waitForStatus(h.app, () => h.app.reconciler.passes >= passes + 2, 30_000);
    const looks = counterSum(await metrics(), 'ecs_gitops_git_fetch_total') - looksBefore;
    const ran = h.app.reconciler.passes - passes;
    expect(ran).toBeLessThanOrEqual(burstEndedDuringGate ? 2 : 3);
    // one look at the remote per pass (an unchanged remote is one ls-remote), not one per push
    expect(looks).toBeLessThanOrEqual(ran);
  }, 60_000);
});
