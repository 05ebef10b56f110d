// Builds the two SDK clients from Config, with call counting, client-side rate limiting, the SDK's
// retry, and one place that turns every failed call into an AwsError classified as retryable or
// terminal. Only live/ (reads), apply/ (writes) and lease/ use these clients.
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type {
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import type { AwsConfig } from '../config.js';
import { AwsError } from '../errors.js';
import { requestHandlerOptions } from './http-options.js';
import { RateLimiter } from './rate-limiter.js';

export type AwsServiceName =
  | 'ecs'
  | 'application-autoscaling'
  // Preflight reads and the EventBridge alert sink: counted like the rest (ecs_gitops_aws_requests_total).
  | 'ecr'
  | 'secretsmanager'
  | 'ssm'
  | 'logs'
  | 'iam'
  | 'elasticloadbalancing'
  | 'events'
  | 'scheduler';

/** One finished AWS call, reported to listeners (metrics, benchmarks). */
export interface AwsCallRecord {
  readonly service: AwsServiceName;
  readonly operation: string;
  /** `OK` or the AWS error code. */
  readonly code: string;
  readonly durationMs: number;
}

export type AwsCallListener = (record: AwsCallRecord) => void;

/** Counts calls per `service:Operation`; tests and benchmarks read it, metrics subscribe. */
export class AwsCallCounter {
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<AwsCallListener>();

  record(record: AwsCallRecord): void {
    const key = `${record.service}:${record.operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const listener of this.listeners) listener(record);
  }

  onCall(listener: AwsCallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(filter?: (key: string) => boolean): number {
    let sum = 0;
    for (const [key, count] of this.counts) if (!filter || filter(key)) sum += count;
    return sum;
  }

  reset(): void {
    this.counts.clear();
  }
}

export interface AwsClients {
  readonly ecs: ECSClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  /** EventBridge Scheduler (ScheduledTask): not rate limited client-side (its quotas are per account, high). */
  readonly scheduler: SchedulerClient;
  readonly counter: AwsCallCounter;
  /** The client-side token buckets every attempt waits on (absent when disabled). */
  readonly rateLimiter?: RateLimiter;
  destroy(): void;
}

/**
 * Any SDK v3 client (only its middleware stack is touched). Each client's stack is typed with its
 * own input/output unions, which no single middleware type accepts; the middleware here reads only
 * the command name and the error, so the stacks are addressed as AnyStack (`as unknown as` below).
 */
type Middlewareable = { readonly middlewareStack: unknown };
type AnyStack = MiddlewareStack<object, MetadataBearer>;

function operationOf(context: HandlerExecutionContext): string {
  return String(context.commandName ?? 'Unknown').replace(/Command$/, '');
}

/** Counts another client's calls (preflight reads, PutEvents) in the controller's call counter. */
export function countCalls(client: Middlewareable, service: AwsServiceName, counter: AwsCallCounter): void {
  instrument(client, service, counter);
}

// Counts every HTTP attempt (retries included): that is what AWS rate limits see.
function instrument(client: Middlewareable, service: AwsServiceName, counter: AwsCallCounter): void {
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const started = performance.now();
    const operation = operationOf(context);
    try {
      const result = await next(args);
      counter.record({ service, operation, code: 'OK', durationMs: performance.now() - started });
      return result;
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      counter.record({ service, operation, code, durationMs: performance.now() - started });
      throw error;
    }
  };
  (client.middlewareStack as unknown as AnyStack).add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'ecsGitopsCallCounter',
  });
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

// Takes a token before every HTTP attempt. Added inside the retry middleware (which is
// finalizeRequest/high), so retries wait for tokens too; a throttled attempt drains its bucket.
function rateLimit(
  client: Middlewareable,
  service: 'ecs' | 'application-autoscaling',
  limiter: RateLimiter,
): void {
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const operation = operationOf(context);
    await limiter.acquire(service, operation);
    try {
      return await next(args);
    } catch (error) {
      if (THROTTLING.has((error as { name?: string }).name ?? '')) limiter.throttled(service, operation);
      throw error;
    }
  };
  (client.middlewareStack as unknown as AnyStack).add(middleware, {
    step: 'finalizeRequest',
    priority: 'normal',
    name: 'ecsGitopsRateLimiter',
  });
}

// Outermost (initialize step): sees each call's final failure, after the SDK's own retries, and
// turns it into an AwsError that says whether retrying can help. Callers never see raw SDK errors.
function classifyErrors(client: Middlewareable): void {
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw toAwsError(operationOf(context), error);
    }
  };
  (client.middlewareStack as unknown as AnyStack).add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: 'ecsGitopsErrors',
  });
}

export interface AwsClientOptions {
  /** The limiter to share (one per process and account); `false` turns client-side limiting off. */
  readonly rateLimiter?: RateLimiter | false;
  /** Credentials other than the default chain's (a target's assumed role, refreshed by the provider). */
  readonly credentials?: AwsCredentialIdentityProvider;
}

export function createAwsClients(
  config: AwsConfig,
  counter = new AwsCallCounter(),
  options: AwsClientOptions = {},
): AwsClients {
  const rateLimiter = options.rateLimiter === false ? undefined : (options.rateLimiter ?? new RateLimiter());
  const common = {
    region: config.region,
    maxAttempts: config.maxAttempts,
    // With the per-action-group limiter, retries use standard backoff: adaptive mode keeps one rate
    // per client, so one throttled RegisterTaskDefinition would slow every DescribeServices to
    // 0.5 requests/s (measured: 2 s per call after a single throttle). Without it, adaptive.
    retryMode: rateLimiter ? 'standard' : 'adaptive',
    requestHandler: requestHandlerOptions(config),
    ...(config.endpointUrl ? { endpoint: config.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  } as const;
  const ecs = new ECSClient(common);
  const autoscaling = new ApplicationAutoScalingClient(common);
  const scheduler = new SchedulerClient(common);
  classifyErrors(ecs);
  classifyErrors(autoscaling);
  classifyErrors(scheduler);
  instrument(ecs, 'ecs', counter);
  instrument(autoscaling, 'application-autoscaling', counter);
  instrument(scheduler, 'scheduler', counter);
  if (rateLimiter) {
    rateLimit(ecs, 'ecs', rateLimiter);
    rateLimit(autoscaling, 'application-autoscaling', rateLimiter);
  }
  return {
    ecs,
    autoscaling,
    counter,
    ...(rateLimiter ? { rateLimiter } : {}),
    scheduler,
    destroy() {
      ecs.destroy();
      autoscaling.destroy();
      scheduler.destroy();
    },
  };
}

/**
 * AWS error codes that retrying the same request cannot fix: the request is invalid (a bad subnet,
 * a missing role, an unknown platform version) or not allowed. Everything else — throttling, 5xx,
 * timeouts, network errors, credentials being refreshed, a resource still being created or
 * drained — is retried with backoff.
 */
const TERMINAL_CODES: ReadonlySet<string> = new Set([
  // ECS
  'InvalidParameterException',
  'ClientException',
  'AccessDeniedException',
  'ClusterNotFoundException',
  'PlatformUnknownException',
  'PlatformTaskDefinitionIncompatibilityException',
  'UnsupportedFeatureException',
  'LimitExceededException',
  'AttributeLimitExceededException',
  'NamespaceNotFoundException',
  // Application Auto Scaling
  'ValidationException',
  'FailedResourceAccessException',
  'InvalidNextTokenException',
  // IAM / STS style codes some endpoints return
  'AccessDenied',
  'UnauthorizedOperation',
]);

/** Retryable or terminal: the one classification of AWS failures (see TERMINAL_CODES). */
export function isRetryableAwsCode(awsCode: string): boolean {
  return !TERMINAL_CODES.has(awsCode);
}

/** Wraps an SDK exception into AwsError (code, message, HTTP status, classification), keeping it as the cause. */
export function toAwsError(operation: string, error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  const awsCode = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'UnknownError');
  const httpStatus = e.$metadata?.httpStatusCode;
  return new AwsError(
    {
      operation,
      awsCode,
      message: e.message ?? String(error),
      httpStatus,
      retryable: isRetryableAwsCode(awsCode),
    },
    { cause: error },
  );
}
