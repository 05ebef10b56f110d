// Why a service's tasks stopped, for its status: read (ListTasks + DescribeTasks through the port)
// only when a deployment reports failed tasks, a rollout failed or the service is Degraded, and
// read again only when that picture changes, not on every pass.
import type { ResourceDiff } from '../diff/model.js';
import { errorMessage } from '../errors.js';
import type { ServiceDeployment } from '../live/model.js';
import type { Logger } from '../log.js';
import type { KeyString } from '../types.js';
import type { ReconcilerPorts } from './ports.js';

export class StoppedReasons {
  private readonly seen = new Map<KeyString, { signature: string; reasons: readonly string[] }>();

  constructor(
    private readonly read: ReconcilerPorts['stoppedReasons'],
    private readonly log: () => Logger,
  ) {}

  async of(
    key: KeyString,
    diff: ResourceDiff,
    deployments: readonly ServiceDeployment[],
    expected: string | undefined,
    degraded: boolean,
  ): Promise<readonly string[] | undefined> {
    const failing = deployments.filter((d) => d.failedTasks > 0 || d.rolloutState === 'FAILED');
    // After a rollback the failed deployment leaves the list quickly; Degraded health still asks why.
    if ((failing.length === 0 && !degraded) || !this.read) {
      this.seen.delete(key);
      return undefined;
    }
    const signature = [
      ...failing.map((d) => `${d.id}:${d.failedTasks}:${d.rolloutState ?? ''}`),
      degraded ? `degraded:${expected ?? ''}` : '',
    ].join(',');
    const cached = this.seen.get(key);
    if (cached?.signature === signature) return cached.reasons;
    try {
      const reasons = await this.read(diff, expected);
      this.seen.set(key, { signature, reasons });
      return reasons;
    } catch (error) {
      this.log().warn({ resource: key, err: errorMessage(error) }, 'cannot read stopped tasks');
      return cached?.reasons;
    }
  }
}
