// HTTP settings every AWS SDK client of the controller shares (ECS, auto scaling, preflight reads,
// EventBridge). A leaf: it only reads the config's shape.
import type { AwsConfig } from '../config.js';

/** `--aws-timeout`'s default: ECS answers in well under a second; a minute-long silence is a hung endpoint. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * HTTP timeouts of every AWS client: without them the SDK waits forever on an endpoint that accepted
 * the connection and went quiet (its requestTimeout alone only prints a warning).
 */
export function requestHandlerOptions(config: Pick<AwsConfig, 'requestTimeoutMs'>) {
  const timeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    requestTimeout: timeoutMs,
    connectionTimeout: Math.min(timeoutMs, 5_000),
    throwOnRequestTimeout: true,
  };
}
