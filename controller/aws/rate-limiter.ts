// Client-side token buckets shaped like ECS's API throttling (per account and Region, token bucket
// per group of actions: the bucket's capacity is the burst, its refill rate the sustained rate).
// Every SDK attempt takes a token first, so a big commit queues here instead of storming into
// ThrottlingException; the SDK's adaptive retry handles whatever throttling still happens (other
// clients share the account's buckets).
//
// The numbers are the default quotas of ECS's throttling table (e.g. cluster reads: 50 burst, 20/s;
// RegisterTaskDefinition: 20 burst, 1/s); accounts with raised quotas pass their own.

export interface BucketSpec {
  /** Burst: tokens available at once. */
  readonly capacity: number;
  /** Sustained rate: tokens added per second. */
  readonly refillPerSecond: number;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Bucket name → shape. `ecs.*` follow ECS's action groups; `autoscaling.*` Application Auto Scaling's. */
export const DEFAULT_BUCKETS = {
  'ecs.clusterRead': { capacity: 50, refillPerSecond: 20 },
  'ecs.clusterModify': { capacity: 50, refillPerSecond: 1 },
  'ecs.serviceRead': { capacity: 100, refillPerSecond: 20 },
  'ecs.serviceModify': { capacity: 50, refillPerSecond: 5 },
  'ecs.taskDefinitionRead': { capacity: 50, refillPerSecond: 20 },
  'ecs.taskDefinitionRegister': { capacity: 20, refillPerSecond: 1 },
  'ecs.taskDefinitionModify': { capacity: 20, refillPerSecond: 1 },
  'ecs.taskRead': { capacity: 100, refillPerSecond: 20 },
  'ecs.tagging': { capacity: 50, refillPerSecond: 20 },
  'ecs.other': { capacity: 50, refillPerSecond: 20 },
  // Application Auto Scaling publishes no per-action table: reads and writes split a modest budget.
  'autoscaling.read': { capacity: 10, refillPerSecond: 5 },
  'autoscaling.modify': { capacity: 10, refillPerSecond: 5 },
  'autoscaling.other': { capacity: 10, refillPerSecond: 5 },
} as const satisfies Record<string, BucketSpec>;

export type BucketName = keyof typeof DEFAULT_BUCKETS;

const ECS_OPERATIONS: Readonly<Record<string, BucketName>> = {
  DescribeClusters: 'ecs.clusterRead',
  ListClusters: 'ecs.clusterRead',
  CreateCluster: 'ecs.clusterModify',
  UpdateCluster: 'ecs.clusterModify',
  UpdateClusterSettings: 'ecs.clusterModify',
  PutClusterCapacityProviders: 'ecs.clusterModify',
  DeleteCluster: 'ecs.clusterModify',
  DescribeServices: 'ecs.serviceRead',
  ListServices: 'ecs.serviceRead',
  ListServicesByNamespace: 'ecs.serviceRead',
  CreateService: 'ecs.serviceModify',
  UpdateService: 'ecs.serviceModify',
  DeleteService: 'ecs.serviceModify',
  DescribeTaskDefinition: 'ecs.taskDefinitionRead',
  ListTaskDefinitions: 'ecs.taskDefinitionRead',
  ListTaskDefinitionFamilies: 'ecs.taskDefinitionRead',
  RegisterTaskDefinition: 'ecs.taskDefinitionRegister',
  DeregisterTaskDefinition: 'ecs.taskDefinitionModify',
  DeleteTaskDefinitions: 'ecs.taskDefinitionModify',
  DescribeTasks: 'ecs.taskRead',
  ListTasks: 'ecs.taskRead',
  TagResource: 'ecs.tagging',
  UntagResource: 'ecs.tagging',
  ListTagsForResource: 'ecs.tagging',
};

/** Which bucket an operation draws from. */
export function bucketFor(service: 'ecs' | 'application-autoscaling', operation: string): BucketName {
  if (service === 'ecs') return ECS_OPERATIONS[operation] ?? 'ecs.other';
  if (/^(Describe|List)/.test(operation)) return 'autoscaling.read';
  if (/^(Register|Deregister|Put|Delete|Tag|Untag)/.test(operation)) return 'autoscaling.modify';
  return 'autoscaling.other';
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.capacity;
    this.last = now;
  }

  /**
   * Takes one token, going into debt when empty, and says how long to wait before using it.
   * Debt makes concurrent callers queue in arrival order without a timer per waiter.
   */
  reserve(now: number): number {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.spec.capacity, this.tokens + elapsed * this.spec.refillPerSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens / this.spec.refillPerSecond) * 1000);
  }

  /** The server throttled us: someone else shares the account's bucket, so assume ours is empty. */
  drain(now: number): void {
    this.reserve(now);
    this.tokens = Math.min(this.tokens + 1, 0);
  }
}

export interface BucketStats {
  readonly acquired: number;
  /** Calls that had to wait for a token. */
  readonly delayed: number;
  readonly waitedMs: number;
  /** ThrottlingExceptions seen despite the limiter (the account's buckets are shared). */
  readonly throttled: number;
}

export interface RateLimiterOptions {
  /** Overrides per bucket (raised quotas, or tighter ones in tests). */
  readonly buckets?: Partial<Record<BucketName, BucketSpec>>;
  readonly clock?: LimiterClock;
  /**
   * Share of each documented sustained rate we use (default 0.9): our bucket and ECS's never start
   * at the same instant, and a request takes time to arrive, so refilling exactly as fast as ECS
   * gets the first refilled call throttled now and then.
   */
  readonly headroom?: number;
}

export class RateLimiter {
  private readonly specs: Record<BucketName, BucketSpec>;
  private readonly clock: LimiterClock;
  private readonly buckets = new Map<BucketName, TokenBucket>();
  private readonly counters = new Map<
    BucketName,
    { acquired: number; delayed: number; waitedMs: number; throttled: number }
  >();

  constructor(options: RateLimiterOptions = {}) {
    this.specs = { ...DEFAULT_BUCKETS, ...options.buckets };
    for (const [name, spec] of Object.entries(this.specs)) {
      if (!(spec.capacity >= 1) || !(spec.refillPerSecond > 0)) {
        throw new RangeError(`rate limiter bucket ${name}: capacity must be >= 1 and refill > 0`);
      }
    }
    this.clock = options.clock ?? realClock;
    const headroom = options.headroom ?? 0.9;
    if (!(headroom > 0 && headroom <= 1)) throw new RangeError('rate limiter headroom must be in (0, 1]');
    this.headroom = headroom;
  }

  private readonly headroom: number;

  private bucket(name: BucketName): TokenBucket {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      const spec = this.specs[name];
      bucket = new TokenBucket(
        { ...spec, refillPerSecond: spec.refillPerSecond * this.headroom },
        this.clock.now(),
      );
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  private counter(name: BucketName) {
    const counter = this.counters.get(name) ?? { acquired: 0, delayed: 0, waitedMs: 0, throttled: 0 };
    this.counters.set(name, counter);
    return counter;
  }

  /** Resolves when the call may be sent. */
  async acquire(service: 'ecs' | 'application-autoscaling', operation: string): Promise<void> {
    const name = bucketFor(service, operation);
    const wait = this.bucket(name).reserve(this.clock.now());
    const counter = this.counter(name);
    counter.acquired += 1;
    if (wait > 0) {
      counter.delayed += 1;
      counter.waitedMs += wait;
    }
    if (wait > 0) await this.clock.sleep(wait);
  }

  /**
   * Reports a ThrottlingException: only that action group slows to its sustained rate (the SDK's
   * adaptive mode would slow every operation of the client to 0.5 requests/s instead).
   */
  throttled(service: 'ecs' | 'application-autoscaling', operation: string): void {
    const name = bucketFor(service, operation);
    this.bucket(name).drain(this.clock.now());
    this.counter(name).throttled += 1;
  }

  stats(): Readonly<Partial<Record<BucketName, BucketStats>>> {
    return Object.fromEntries([...this.counters].map(([name, c]) => [name, { ...c }]));
  }
}
