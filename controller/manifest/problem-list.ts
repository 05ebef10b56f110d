// What a rejected revision reports: its problems in file order, at most LIMITS.maxProblems of them,
// plus how many there were. A hostile revision can hold hundreds of thousands of problems; status,
// alerts, events and the status branch must not carry them all (DESIGN.md section 4: bounded).
import { MAX_PROBLEM_MESSAGE, type ManifestProblem } from '../errors.js';
import { clipText } from '../printable.js';
import { LIMITS } from './yaml-documents.js';

export interface ProblemList {
  /** The first problems in file:line:column order. */
  readonly problems: readonly ManifestProblem[];
  /** How many problems the revision has (>= problems.length). */
  readonly problemCount: number;
}

export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column,
  );
}

/**
 * Sorts, keeps the first `limit` (default LIMITS.maxProblems) and counts all of them. Messages that
 * quote a huge value from a manifest are clipped, so the list stays small in every output.
 */
export function firstProblems(
  problems: readonly ManifestProblem[],
  counted = problems.length,
  limit: number = LIMITS.maxProblems,
): ProblemList {
  const first = sortProblems(problems)
    .slice(0, limit)
    .map((problem) =>
      problem.message.length > MAX_PROBLEM_MESSAGE
        ? { ...problem, message: clipText(problem.message, MAX_PROBLEM_MESSAGE) }
        : problem,
    );
  return { problems: first, problemCount: Math.max(counted, problems.length) };
}

/** `3 problems`, or `100 of 200000 problems` when only the first are kept. */
export function describeProblemCount(shown: number, total: number): string {
  const noun = total === 1 ? 'problem' : 'problems';
  return shown < total ? `${total} ${noun} (the first ${shown} shown)` : `${total} ${noun}`;
}
