/** Errors of the extraction engine: a request it cannot run, or a continuation that belongs to another scan. */

export class ExtractRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractRequestError';
  }
}

export class ContinuationMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContinuationMismatchError';
  }
}
