// The only writer to AWS: executes a ChangeSet (DESIGN.md section 3).
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
