/** Errors of the runner. Messages say what happened and what to do. */

/** A step got a plan or task that does not fit the current config (edited between steps) or itself. */
export class RunStateError extends Error {
  override readonly name = 'RunStateError';
}

/** Wraps a failure with the step it happened in, for the Run Failed event. */
export class RunStepError extends Error {
  override readonly name = 'RunStepError';
  readonly step: 'plan' | 'extract' | 'commit';

  constructor(step: 'plan' | 'extract' | 'commit', cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${step} failed: ${detail}`, { cause });
    this.step = step;
  }
}

/**
 * A flow names a field or filters on one that the object (with the org's custom attributes, resolved at plan time)
 * does not have. Raised before anything is written; names the field and the closest known ones.
 */
export class FlowFieldError extends Error {
  override readonly name = 'FlowFieldError';
  readonly field: string;
  readonly suggestions: readonly string[];

  constructor(message: string, field: string, suggestions: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
    this.suggestions = suggestions;
  }
}
