// Single active controller per instance name (see ecs-tag-lease.ts for the design).
export {
  createLease,
  LEASE_TAGS,
  type Lease,
  LeaseError,
  type LeaseHolder,
  type LeaseOptions,
  leaseAnchorName,
} from './ecs-tag-lease.js';
export {
  DEFAULT_LEASE_TTL_MS,
  type LeaseKeeper,
  type LeaseKeeperOptions,
  leaseKeeperFromConfig,
  startLeaseKeeper,
} from './keeper.js';
