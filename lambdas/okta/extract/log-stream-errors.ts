/** Errors of the System Log stream reader. */

/**
 * Where a System Log stream would start cannot be read: `firstExecutionFrom` older than the 90-day retention (Okta
 * refuses a `since` older than 180 days with 400 E0000053), in the future, or not an instant. A configuration error:
 * the message says what to set.
 */
export class LogStreamStartError extends Error {
  override readonly name = 'LogStreamStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
