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
