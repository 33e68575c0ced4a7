/**
 * A filterExpression that does not follow AppFlow's grammar. `column` is the 1-based character offset of the
 * offending input (the whole expression counts as one line). The AppFlow adapter maps it to `InvalidArgument`.
 */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  constructor(args: { expected: string; found: string; column: number; hint?: string; cause?: unknown }) {
    const hint = args.hint ? ` (${args.hint})` : '';
    super(`Expected ${args.expected} at column ${args.column}, found ${args.found}${hint}`, { cause: args.cause });
    this.column = args.column;
    this.expected = args.expected;
    this.found = args.found;
  }
}
