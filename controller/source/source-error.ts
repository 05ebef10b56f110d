// A SourceError that also says why (the Source condition's reason).
import { SourceError } from '../errors.js';
import type { SourceFailureReason } from '../git/errors.js';

export class SourceFetchError extends SourceError {
  constructor(
    readonly reason: SourceFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
