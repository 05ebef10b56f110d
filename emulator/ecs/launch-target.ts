// Where a task runs, from its launch type or the capacity provider its strategy chose.
import type { OpContext } from '../context.js';
import type { CapacityProviderRecord } from '../state.js';
import { findProvider, isFargateProvider } from './capacity-providers.js';
import type { Placement } from './placement.js';

/** Where a task of this placement runs: Fargate, any EC2 instance, or one provider's instances. */
export type Target =
  | { readonly kind: 'fargate'; readonly provider?: string }
  | { readonly kind: 'ec2'; readonly provider?: CapacityProviderRecord }
  | { readonly kind: 'unmanaged' };

export function targetOf(ctx: OpContext, placement: Placement, provider: string | undefined): Target {
  if (provider !== undefined) {
    if (isFargateProvider(provider)) return { kind: 'fargate', provider };
    const record = findProvider(ctx, provider);
    return record ? { kind: 'ec2', provider: record } : { kind: 'fargate', provider };
  }
  if (placement.launchType === 'FARGATE') return { kind: 'fargate' };
  if (placement.launchType === 'EC2' || placement.launchType === 'MANAGED_INSTANCES') return { kind: 'ec2' };
  return { kind: 'unmanaged' };
}
