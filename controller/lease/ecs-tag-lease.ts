// Single active writer per controller instance name: a lease recorded as ECS tags on a dedicated,
// empty "anchor" cluster (`ecs-gitops-lease-<instance>`) that every task of the instance can read.
//
// Why tags on a dedicated cluster:
// - ECS has no conditional write. TagResource is last-writer-wins, so ownership is decided by
//   read → write → (settle) → read back: a writer holds the lease only when the read-back shows its
//   own random token. Two contenders writing at once both read back the same last write, so at most
//   one believes it won; the settle delay covers ECS's eventual consistency of tag reads.
// - A contender only writes when no valid lease of someone else is visible, and a holder re-reads
//   before every renewal, so a lost race is noticed within one pass and no holder ever overwrites a
//   valid foreign lease.
// - The anchor is a cluster of its own (empty clusters cost nothing): the lease tags never show up
//   as drift on a cluster a manifest describes, and it carries no ecs-gitops/managed-by tag, so
//   prune never deletes it. It is created on first use (CreateCluster is idempotent).
// - Expiry is wall-clock time written by the holder; takeovers wait `clockSkewMs` more, so tasks
//   whose clocks differ slightly (Fargate syncs with Amazon Time Sync) never overlap.
// This is the second line of defence: the self-deployment's minimumHealthyPercent 0 /
// maximumPercent 100 already keeps ECS from running two controller tasks at once.
import { randomUUID } from 'node:crypto';
import type { Cluster, ECSClient } from '@aws-sdk/client-ecs';
import { EcsGitopsError } from '../errors.js';
import { createLeaseAnchor, describeLeaseAnchor, removeLeaseTags, writeLeaseTags } from './anchor.js';

export const LEASE_TAGS = {
  /** Which instance this anchor cluster serves; a cluster without it is never used as an anchor. */
  for: 'ecs-gitops/lease-for',
  holder: 'ecs-gitops/lease-holder',
  /** Random per acquisition: tells two processes with the same holder id apart. */
  token: 'ecs-gitops/lease-token',
  /** ISO-8601 expiry in the holder's clock. */
  expires: 'ecs-gitops/lease-expires',
  /** ISO-8601: when the current holder took the lease (renewals keep it). */
  acquired: 'ecs-gitops/lease-acquired',
} as const;

export class LeaseError extends EcsGitopsError {
  override readonly code = 'LeaseError';
}

export interface LeaseHolder {
  readonly id: string;
  readonly expiresAt: Date;
  readonly acquiredAt?: Date;
  readonly token: string;
}

export interface LeaseOptions {
  /** Only the ECS client is used (controller/aws/clients.ts AwsClients fits). */
  readonly clients: { readonly ecs: ECSClient };
  /** The controller instance name (--instance); one lease per instance. */
  readonly instance: string;
  /** Unique per process: the task ARN in ECS, host:pid elsewhere (runtime/ecs-environment.ts). */
  readonly holderId: string;
  /** How long a lease stays valid without renewal. */
  readonly ttlMs: number;
  /** Anchor cluster name (default `ecs-gitops-lease-<instance>`). */
  readonly anchorCluster?: string;
  /** Wait between writing and reading back on acquisition (default 1000 ms; 0 in emulator tests). */
  readonly settleMs?: number;
  /** Extra wait past another holder's expiry before taking over (default 2000 ms). */
  readonly clockSkewMs?: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Lease {
  /** Takes the lease when free (or expired, or ours); renews it when held. True while held. */
  acquire(): Promise<boolean>;
  /** Extends a held lease; false (and no write) when another holder has it now. */
  renew(): Promise<boolean>;
  /** Gives the lease up at shutdown so a successor need not wait for the expiry. */
  release(): Promise<void>;
  /** The current holder as ECS shows it (expired or not), undefined when nobody ever held it. */
  holder(): Promise<LeaseHolder | undefined>;
  /**
   * The reconciler's LeasePort: acquire-or-renew, never throws. When AWS cannot be reached it
   * answers from memory: true only while a lease this process wrote has not expired.
   */
  holds(): Promise<boolean>;
  /** Local view without an AWS call. */
  isHeld(): boolean;
  readonly anchorCluster: string;
}

/** `ecs-gitops-lease-<instance>` with characters ECS does not allow in cluster names replaced. */
export function leaseAnchorName(instance: string): string {
  return `ecs-gitops-lease-${instance.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 255);
}

type Tags = Record<string, string>;

function holderFromTags(tags: Tags): LeaseHolder | undefined {
  const id = tags[LEASE_TAGS.holder];
  const expires = tags[LEASE_TAGS.expires];
  if (!id || !expires) return undefined;
  const expiresAt = new Date(expires);
  if (Number.isNaN(expiresAt.getTime())) return undefined;
  const acquired = tags[LEASE_TAGS.acquired] ? new Date(tags[LEASE_TAGS.acquired] as string) : undefined;
  return {
    id,
    expiresAt,
    token: tags[LEASE_TAGS.token] ?? '',
    ...(acquired && !Number.isNaN(acquired.getTime()) ? { acquiredAt: acquired } : {}),
  };
}

export function createLease(options: LeaseOptions): Lease {
  const anchorCluster = options.anchorCluster ?? leaseAnchorName(options.instance);
  const settleMs = options.settleMs ?? 1000;
  const clockSkewMs = options.clockSkewMs ?? 2000;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // The holder id goes into a tag value (256 characters at most); a task ARN is about 100.
  const holderId = options.holderId.slice(0, 256);
  if (options.ttlMs < 1000) throw new LeaseError(`lease ttl must be at least 1 s, got ${options.ttlMs} ms`);

  let anchorArn: string | undefined;
  let token: string | undefined;
  let heldUntil = 0;
  let acquiredAt: string | undefined;

  // Reads go through live/, writes through apply/ (the dependency rule); this module decides.
  const describe = (): Promise<Cluster | undefined> => describeLeaseAnchor(options.clients, anchorCluster);

  function tagsOf(cluster: Cluster): Tags {
    return Object.fromEntries((cluster.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
  }

  /** The anchor's tags, creating the anchor on first use. */
  async function read(): Promise<Tags> {
    let cluster = await describe();
    if (!cluster) {
      cluster = await createLeaseAnchor(options.clients, anchorCluster, {
        [LEASE_TAGS.for]: options.instance.slice(0, 256),
      });
      // CreateCluster answers without tags; a concurrent creator may already have written a lease.
      cluster = (await describe()) ?? cluster;
    }
    if (!cluster?.clusterArn) throw new LeaseError(`lease anchor cluster ${anchorCluster} has no ARN`);
    const tags = tagsOf(cluster);
    if (tags[LEASE_TAGS.for] === undefined) {
      throw new LeaseError(
        `cluster ${anchorCluster} exists but is not an ecs-gitops lease anchor (no ${LEASE_TAGS.for} tag); ` +
          'choose another anchor cluster',
      );
    }
    anchorArn = cluster.clusterArn;
    return tags;
  }

  async function write(expiresAt: Date, acquired: string): Promise<void> {
    if (!anchorArn || !token) throw new LeaseError('lease write without an anchor or a token');
    await writeLeaseTags(options.clients, anchorArn, {
      [LEASE_TAGS.holder]: holderId,
      [LEASE_TAGS.token]: token,
      [LEASE_TAGS.expires]: expiresAt.toISOString(),
      [LEASE_TAGS.acquired]: acquired,
    });
  }

  function lose(): false {
    token = undefined;
    heldUntil = 0;
    acquiredAt = undefined;
    return false;
  }

  /** Writes a new expiry under our token and confirms by reading back. */
  async function writeAndConfirm(settle: boolean): Promise<boolean> {
    const at = now();
    const expiresAt = new Date(at.getTime() + options.ttlMs);
    acquiredAt ??= at.toISOString();
    await write(expiresAt, acquiredAt);
    if (settle && settleMs > 0) await sleep(settleMs);
    const after = holderFromTags(await read());
    if (after?.token !== token) return lose();
    heldUntil = expiresAt.getTime();
    return true;
  }

  const lease: Lease = {
    anchorCluster,

    isHeld: () => token !== undefined && now().getTime() < heldUntil,

    async holder() {
      return holderFromTags(await read());
    },

    async renew() {
      if (token === undefined) return false;
      const current = holderFromTags(await read());
      // Someone took over (our lease expired while we could not renew): stop writing at once.
      if (current?.token !== token) return lose();
      return writeAndConfirm(false);
    },

    async acquire() {
      if (token !== undefined) {
        const current = holderFromTags(await read());
        if (current?.token !== token) return lose();
        // Renew in the second half of the lease only: one read per pass, one write per ttl/2.
        if (heldUntil - now().getTime() > options.ttlMs / 2) return true;
        return writeAndConfirm(false);
      }
      const current = holderFromTags(await read());
      const at = now().getTime();
      // A lease of our own holder id is from an earlier life of this very task/process: take it over.
      const foreignAndValid =
        current !== undefined && current.id !== holderId && current.expiresAt.getTime() + clockSkewMs > at;
      if (foreignAndValid) return false;
      token = randomUUID();
      acquiredAt = undefined;
      return writeAndConfirm(true);
    },

    async release() {
      const wasHeld = lease.isHeld();
      const mine = token;
      lose();
      // An expired lease may already belong to someone else: never untag it then.
      if (!wasHeld || !mine || !anchorArn) return;
      const current = holderFromTags(await read());
      if (current?.token !== mine) return;
      await removeLeaseTags(options.clients, anchorArn, [
        LEASE_TAGS.holder,
        LEASE_TAGS.token,
        LEASE_TAGS.expires,
        LEASE_TAGS.acquired,
      ]);
    },

    async holds() {
      try {
        return await lease.acquire();
      } catch {
        // Unknown: keep writing only inside a lease we wrote ourselves, which nobody else may take.
        return lease.isHeld();
      }
    },
  };
  return lease;
}
