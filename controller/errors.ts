// Error hierarchy. Every error carries a stable `code` for logs/metrics and keeps its `cause`.
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

export function formatProblem(problem: ManifestProblem): string {
  const { file, line, column } = problem.location;
  const parts = [`${file}:${line}:${column}:`];
  if (problem.resource) parts.push(`${problem.resource}:`);
  if (problem.path) parts.push(`${problem.path}:`);
  parts.push(problem.message);
  return parts.join(' ');
}

/** A revision's manifests are invalid. Holds every problem, not just the first. */
export class ManifestError extends EcsGitopsError {
  override readonly code = 'ManifestInvalid';
  constructor(
    readonly problems: readonly ManifestProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n') || 'invalid manifests', options);
  }
}

/** A reference (Service → Cluster, …) that does not resolve. */
export class ManifestReferenceError extends EcsGitopsError {
  override readonly code = 'ReferenceInvalid';
}

/** An AWS API call failed. `awsCode` is the service's error code (`ClientException`, `ThrottlingException`, …). */
export class AwsError extends EcsGitopsError {
  override readonly code = 'AwsError';
  constructor(
    readonly operation: string,
    readonly awsCode: string,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${awsCode}: ${message}`, options);
  }

  get retryable(): boolean {
    return (
      this.awsCode === 'ThrottlingException' ||
      this.awsCode === 'ServerException' ||
      this.awsCode === 'ServiceUnavailableException' ||
      this.awsCode === 'InternalFailure' ||
      (this.httpStatus !== undefined && this.httpStatus >= 500)
    );
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

/** A failure that retrying cannot fix (controller-runtime's TerminalError): no requeue with backoff. */
export class TerminalError extends EcsGitopsError {
  override readonly code: string = 'Terminal';
}

/** The pass was refused by a safety rail (prune-max, replace not allowed, unowned resource). */
export class SafetyError extends TerminalError {
  override readonly code: string = 'Refused';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A component the process needs (the embedded emulator, the HTTP listener) could not start. */
export class StartupError extends EcsGitopsError {
  override readonly code = 'StartupFailed';
}
