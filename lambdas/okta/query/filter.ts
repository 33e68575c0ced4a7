/**
 * okta-flow's typed filter model. Flows build it from structured config; the AppFlow `filterExpression` parser
 * produces it too. Field names are whatever the user wrote until `resolveFilter` maps them to catalog columns.
 */

export type FilterValue = string | number | boolean | null;

export type ComparisonOperator =
  | 'EQUAL_TO'
  | 'NOT_EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO';

export type Filter =
  | { readonly kind: 'and'; readonly children: readonly Filter[] }
  | { readonly kind: 'or'; readonly children: readonly Filter[] }
  | { readonly kind: 'not'; readonly child: Filter }
  | { readonly kind: 'compare'; readonly field: string; readonly op: ComparisonOperator; readonly value: FilterValue }
  | { readonly kind: 'contains'; readonly field: string; readonly value: FilterValue }
  /** A string that begins with `value` (case-sensitive), e.g. every `user.session.*` event type. */
  | { readonly kind: 'startsWith'; readonly field: string; readonly value: string }
  /** Inclusive at both ends, deliberately: incremental windows must never lose boundary records. */
  | { readonly kind: 'between'; readonly field: string; readonly low: FilterValue; readonly high: FilterValue }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly FilterValue[] };

/** What the AppFlow filterExpression parser returns: the filter (if any) and the LIMIT (if any). */
export interface ParsedFilterExpression {
  readonly filter: Filter | null;
  readonly limit: number | null;
}
