/** Errors of plans and their execution. Messages say what is wrong and how to fix it; none carries a secret. */
import type { Resolution } from './resolution.js';

/** One problem with one plan row: the row (1-based), the field, and why. */
export interface RowProblem {
  readonly row: number;
  readonly field: string;
  readonly reason: string;
}

export function describeProblem(p: RowProblem): string {
  return `row ${p.row}, ${p.field}: ${p.reason}`;
}

/** The plan cannot be read (not JSONL/CSV, bad rows): nothing was resolved or written. */
export class PlanParseError extends Error {
  override readonly name = 'PlanParseError';
  constructor(
    readonly problems: readonly RowProblem[],
    cause?: unknown,
  ) {
    super(
      `The plan has ${problems.length} invalid row${problems.length === 1 ? '' : 's'}; nothing was applied:\n` +
        problems.map((p) => `  ${describeProblem(p)}`).join('\n'),
      cause === undefined ? undefined : { cause },
    );
  }
}

/** A guard rail refused the plan before anything was written. */
export class PlanRefusedError extends Error {
  override readonly name = 'PlanRefusedError';
}

/** A resolved plan with invalid rows: rejected whole, before any write. */
export class PlanInvalidError extends Error {
  override readonly name = 'PlanInvalidError';
  constructor(
    readonly problems: readonly RowProblem[],
    /** The resolution that found them (every row, with the invalid ones), and where it was stored. */
    readonly resolution?: Resolution,
    readonly resolutionLocation?: string,
  ) {
    super(
      `The plan was rejected: ${problems.length} row${problems.length === 1 ? ' is' : 's are'} invalid against the ` +
        'org, so nothing was applied. Fix or remove these rows and run it again:\n' +
        problems.map((p) => `  ${describeProblem(p)}`).join('\n'),
    );
  }
}
