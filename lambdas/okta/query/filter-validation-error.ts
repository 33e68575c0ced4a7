import type { FilterOperator } from '../catalog/types.js';

/**
 * A filter that parses but does not fit the object: unknown field, operator the field does not allow, or a value of
 * the wrong type. Names the field, the operator and what is allowed. The AppFlow adapter maps it to `InvalidArgument`.
 */
export class FilterValidationError extends Error {
  override readonly name = 'FilterValidationError';
  readonly object: string;
  readonly field: string;
  readonly operator: FilterOperator | null;
  readonly allowed: readonly string[];

  constructor(
    message: string,
    details: { object: string; field: string; operator?: FilterOperator | null; allowed?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.object = details.object;
    this.field = details.field;
    this.operator = details.operator ?? null;
    this.allowed = details.allowed ?? [];
  }
}
