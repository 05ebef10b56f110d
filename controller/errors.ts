// Error hierarchy. Every error carries a stable `code` for logs/metrics and keeps its `cause`.
import { clipText, escapeControl } from './printable.js';
import type { SourceLocation } from './types.js';

export abstract class EcsGitopsError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found in the manifests. `path` is the JSON path inside the document (`spec.desiredCount`). */
export interface ManifestProblem {
  readonly location: SourceLocation;
  /** `Service/web` when the document got far enough to have one. */
  readonly resource?: string;
  readonly path?: string;
  readonly message: string;
}

/** Longest problem message shown: values quoted in messages come from manifests of any size. */
export const MAX_PROBLEM_MESSAGE = 1000;

/**
 * `file:line:col: Kind/name: path: message`, one line whatever the manifest held: names and values
 * quoted from it have their control characters escaped and long messages are clipped.
 */
export function formatProblem(problem: ManifestProblem): string {
  const { file, line, column } = problem.location;
  // Line 0: the problem is the file or folder as a whole (missing, unreadable), not a place in it.
  const parts = [line > 0 ? `${file}:${line}:${column}:` : `${file}:`];
  if (problem.resource) parts.push(`${problem.resource}:`);
  if (problem.path) parts.push(`${problem.path}:`);
  parts.push(clipText(problem.message, MAX_PROBLEM_MESSAGE));
  return escapeControl(parts.join(' '));
}

/** An AWS API call failed. `awsCode` is the service's error code (`ClientException`, `ThrottlingException`, …). */
export class AwsError extends EcsGitopsError {
  override readonly code = 'AwsError';
  readonly operation: string;
  readonly awsCode: string;
  readonly httpStatus: number | undefined;
  /**
   * Whether trying the same request again can succeed (throttling, 5xx, timeouts) or not (invalid
   * parameters, access denied): decided once, by aws/clients.ts, when the SDK call fails.
   */
  readonly retryable: boolean;

  constructor(
    details: {
      readonly operation: string;
      readonly awsCode: string;
      readonly message: string;
      readonly httpStatus?: number | undefined;
      readonly retryable: boolean;
    },
    options?: { cause?: unknown },
  ) {
    super(`${details.operation}: ${details.awsCode}: ${details.message}`, options);
    this.operation = details.operation;
    this.awsCode = details.awsCode;
    this.httpStatus = details.httpStatus;
    this.retryable = details.retryable;
  }
}

/** Problems with the Git or folder source (unreachable remote, bad credentials, corrupt cache). */
export class SourceError extends EcsGitopsError {
  override readonly code = 'SourceError';
}

/** Invalid flags or environment. */
export class ConfigError extends EcsGitopsError {
  override readonly code = 'ConfigInvalid';
}

/**
 * A failure that retrying cannot fix (controller-runtime's TerminalError): the resource is marked
 * Stalled and not retried until its desired content or the revision changes, or Sync now.
 */
export class TerminalError extends EcsGitopsError {
  override readonly code: string = 'Terminal';
}

/** Whether a failure may go away by itself: false for TerminalError and terminal AWS errors. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AwsError) return error.retryable;
  return !(error instanceof TerminalError);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A component the process needs (the embedded emulator, the HTTP listener) could not start. */
export class StartupError extends EcsGitopsError {
  override readonly code = 'StartupFailed';
}
