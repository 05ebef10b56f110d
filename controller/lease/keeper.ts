// Keeps the lease alive between reconcile passes and lets a standby take over promptly: a timer
// calls acquire-or-renew every ttl/3, so the holder renews long before expiry even when passes are
// minutes apart, and a standby notices an expired lease within one tick. Satisfies the reconciler's
// LeasePort (holds / release), so `ecs-gitops run` only has to create it and pass it in.
import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { EcsEnvironment } from '../runtime/ecs-environment.js';
import { defaultHolderId } from '../runtime/ecs-environment.js';
import { createLease, type Lease, type LeaseHolder, type LeaseOptions } from './ecs-tag-lease.js';

export interface LeaseKeeperOptions extends LeaseOptions {
  /** How often to acquire-or-renew in the background (default ttl / 3). */
  readonly renewEveryMs?: number;
  readonly logger?: Logger;
}

export interface LeaseKeeper {
  readonly lease: Lease;
  /** LeasePort: may this process write now? (acquire-or-renew, never throws) */
  holds(): Promise<boolean>;
  /** LeasePort: stop the timer and give the lease up (graceful shutdown). */
  release(): Promise<void>;
  /** LeasePort: who holds the lease as ECS shows it (a standby names it when refusing a write). */
  holder(): Promise<LeaseHolder | undefined>;
  /** Stop the timer without releasing (tests simulate a crash with it). */
  stop(): void;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

export function startLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const lease = createLease(options);
  const logger = options.logger;
  let last: boolean | undefined;
  let stopped = false;
  let inFlight: Promise<boolean> | undefined;

  // One acquire at a time: the timer and a reconcile pass may ask at the same moment.
  const check = (): Promise<boolean> => {
    inFlight ??= lease.holds().finally(() => {
      inFlight = undefined;
    });
    return inFlight.then((held) => {
      if (held !== last && !stopped) {
        if (held)
          logger?.info({ anchor: lease.anchorCluster }, 'write lease acquired: this instance is active');
        else if (last === undefined || last)
          void lease
            .holder()
            .then((holder) =>
              logger?.warn(
                { anchor: lease.anchorCluster, holder: holder?.id, expiresAt: holder?.expiresAt },
                'standby: another controller instance holds the write lease; not writing',
              ),
            )
            .catch(() => undefined);
        last = held;
      }
      return held;
    });
  };

  const timer = setInterval(() => void check(), options.renewEveryMs ?? Math.floor(options.ttlMs / 3));
  timer.unref();
  void check();

  return {
    lease,
    holds: check,
    holder: () => lease.holder(),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    async release() {
      stopped = true;
      clearInterval(timer);
      await inFlight?.catch(() => undefined);
      await lease.release();
      logger?.info({ anchor: lease.anchorCluster }, 'write lease released');
    },
  };
}

/**
 * The keeper `ecs-gitops run` uses: instance name from the config, holder id from the ECS task (or
 * host:pid), the controller's own ECS client.
 */
export function leaseKeeperFromConfig(
  config: Config,
  clients: Pick<AwsClients, 'ecs'>,
  environment: EcsEnvironment,
  logger?: Logger,
): LeaseKeeper {
  return startLeaseKeeper({
    clients,
    instance: config.instance,
    holderId: defaultHolderId(environment),
    ttlMs: DEFAULT_LEASE_TTL_MS,
    ...(logger ? { logger } : {}),
  });
}
