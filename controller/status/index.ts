// Status: conditions, the in-memory store, and the write-back to a Git branch.

export type { ConditionInput } from './conditions.js';
export { getCondition, isConditionTrue, newCondition, removeCondition, setCondition } from './conditions.js';
export { EventLog } from './event-log.js';
export { statusWriterFromConfig } from './from-config.js';
export type * from './model.js';
export { readStatusBranch } from './read-status-branch.js';
export {
  createStatusBranchWriter,
  type StatusBranchWriter,
  type StatusBranchWriterOptions,
  StatusWriteError,
  type StatusWriteResult,
} from './status-branch.js';
export {
  comparableContent,
  differsBeyondTimestamps,
  parseStatusFiles,
  renderStatusFiles,
  SUMMARY_FILE,
  statusFilePath,
  statusFingerprint,
  summaryFingerprint,
  VOLATILE_FIELDS,
} from './status-files.js';
export { compareResources, countStates, StatusStore } from './store.js';
