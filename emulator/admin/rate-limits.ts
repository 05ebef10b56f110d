// ECS-shaped token buckets (burst = bucket size, sustained = refill per second) per documented
// action group. They run on wall-clock time, not emulated time: clients back off in real time.

export interface BucketSpec {
  readonly burst: number;
  readonly sustained: number;
}

// Groups and quotas from the ECS API reference, "Request throttling for the Amazon ECS API"
// (throttling-quotas table). Application Auto Scaling documents no per-action table; it gets a
// conservative shared bucket.
const GROUPS: ReadonlyArray<{ name: string; spec: BucketSpec; operations: readonly string[] }> = [
  {
    name: 'cluster-read',
    spec: { burst: 50, sustained: 20 },
    operations: ['ecs:DescribeClusters', 'ecs:ListClusters'],
  },
  {
    name: 'cluster-modify',
    spec: { burst: 50, sustained: 1 },
    operations: [
      'ecs:CreateCluster',
      'ecs:UpdateCluster',
      'ecs:UpdateClusterSettings',
      'ecs:PutClusterCapacityProviders',
      'ecs:DeleteCluster',
    ],
  },
  {
    name: 'service-read',
    spec: { burst: 100, sustained: 20 },
    operations: ['ecs:DescribeServices', 'ecs:ListServices'],
  },
  {
    name: 'service-modify',
    spec: { burst: 50, sustained: 5 },
    operations: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService'],
  },
  {
    name: 'task-definition-read',
    spec: { burst: 50, sustained: 20 },
    operations: ['ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions', 'ecs:ListTaskDefinitionFamilies'],
  },
  {
    name: 'task-definition-register',
    spec: { burst: 20, sustained: 1 },
    operations: ['ecs:RegisterTaskDefinition'],
  },
  {
    name: 'task-definition-modify',
    spec: { burst: 20, sustained: 1 },
    operations: ['ecs:DeregisterTaskDefinition', 'ecs:DeleteTaskDefinitions'],
  },
  {
    name: 'task-read',
    spec: { burst: 100, sustained: 20 },
    operations: ['ecs:DescribeTasks', 'ecs:ListTasks'],
  },
  { name: 'run-task', spec: { burst: 100, sustained: 20 }, operations: ['ecs:RunTask'] },
  { name: 'stop-task', spec: { burst: 100, sustained: 40 }, operations: ['ecs:StopTask'] },
  {
    name: 'tags',
    spec: { burst: 50, sustained: 20 },
    operations: ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
  },
];

const AUTOSCALING_DEFAULT: BucketSpec = { burst: 20, sustained: 10 };
const ECS_DEFAULT: BucketSpec = { burst: 50, sustained: 20 };

export function bucketFor(operationKey: string): { group: string; spec: BucketSpec } {
  for (const group of GROUPS) {
    if (group.operations.includes(operationKey)) return { group: group.name, spec: group.spec };
  }
  if (operationKey.startsWith('application-autoscaling:')) {
    return { group: 'application-autoscaling', spec: AUTOSCALING_DEFAULT };
  }
  return { group: operationKey, spec: ECS_DEFAULT };
}

export function rateLimitTable(): Record<string, BucketSpec & { operations: readonly string[] }> {
  return Object.fromEntries(
    GROUPS.map((group) => [group.name, { ...group.spec, operations: group.operations }]),
  );
}

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.last) / 1000) * this.spec.sustained);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Per-region token buckets; `scope` limits which operations are rate limited (undefined = all). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(readonly scope: ReadonlySet<string> | undefined) {}

  /** false when the call must be throttled. */
  allow(region: string, operationKey: string, now = Date.now()): boolean {
    if (this.scope && !this.scope.has(operationKey)) return true;
    const { group, spec } = bucketFor(operationKey);
    const key = `${region}\u0000${group}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(spec, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }
}
