// The only writer to AWS: executes a ChangeSet (docs/architecture.md#one-pass-step-by-step, step 8).
export { serviceClientToken } from './client-token.js';
export { applyChangeSet } from './executor.js';
export type {
  ApplyEntryResult,
  ApplyError,
  ApplyOptions,
  ApplyProgress,
  ApplyResult,
  SkipReason,
} from './model.js';
