// What the loop remembers about each resource from one pass to the next (docs/architecture.md#one-pass-step-by-step).
// Plain maps, keyed by resource: the record step writes them, the classify and block steps read
// them. All of it is also recoverable from AWS after a restart (tags, deployments), so losing it
// costs at most one extra apply, never a wrong one.
import type { KeyString } from '../types.js';
import type { AppliedRecord } from './drift.js';

export interface ReconcileMemory {
  /** The desired content last applied (or found in sync), its revision and when. */
  readonly applied: Map<KeyString, AppliedRecord & { readonly at: string }>;
  /** Deployment ids this controller created, per service: a rollback of one is a failed rollout. */
  readonly ownDeployments: Map<
    KeyString,
    { readonly id: string; readonly fingerprint?: string; readonly revision: string }
  >;
  /** Services whose last rollout of this desired content failed (circuit breaker rollback). */
  readonly failedRollouts: Map<KeyString, { readonly fingerprint: string; readonly revision: string }>;
  /** Resources AWS refused for good (terminal error), with the content and revision it refused. */
  readonly stalled: Map<
    KeyString,
    { readonly fingerprint?: string; readonly revision: string; readonly message: string }
  >;
}

export function emptyMemory(): ReconcileMemory {
  return { applied: new Map(), ownDeployments: new Map(), failedRollouts: new Map(), stalled: new Map() };
}
