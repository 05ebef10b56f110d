// Failures of apply's own making (not AWS's): what a delete needs to know but nothing recorded.
import { EcsGitopsError, TerminalError } from '../errors.js';

/** A Service to delete has no live ARN and no orphan record naming its cluster. */
export class UnknownClusterError extends TerminalError {
  override readonly code = 'UnknownCluster';
}

/** A ScalingPolicy to delete has no ResourceId and more (or fewer) than one candidate target. */
export class UnknownTargetError extends TerminalError {
  override readonly code = 'UnknownTarget';
}

/** A replace waited longer than --replace-timeout for the old service to drain; a later pass may not. */
export class ReplaceTimeoutError extends EcsGitopsError {
  override readonly code = 'ReplaceTimeout';
}
