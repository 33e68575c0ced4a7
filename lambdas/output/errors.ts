/** Errors raised by the output layer. Messages name the file or column involved and never include record values. */

/** Writing a data file or manifest failed; the multipart upload (if any) has been aborted. */
export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError';
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A record value cannot be represented in its column's physical type without losing information. */
export class ColumnValueError extends Error {
  override readonly name = 'ColumnValueError';
  constructor(
    message: string,
    readonly column: string,
  ) {
    super(message);
  }
}

/** The writer was configured or used incorrectly (bad option, write after close). */
export class OutputConfigError extends Error {
  override readonly name = 'OutputConfigError';
}

/** The Parquet encoder worker failed a row group, or the worker thread itself died; the file is not written. */
export class EncoderWorkerError extends Error {
  override readonly name = 'EncoderWorkerError';
}
