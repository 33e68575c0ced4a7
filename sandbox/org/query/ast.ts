/** The expression tree shared by Okta's `search` and `filter` parameters (a SCIM-like grammar). */
export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'co';

export const OPERATORS: readonly Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'co'];

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

export type Expr =
  | { readonly type: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'not'; readonly expr: Expr }
  | { readonly type: 'pr'; readonly attr: string }
  | { readonly type: 'cmp'; readonly attr: string; readonly op: Operator; readonly value: Literal };

/** Thrown for text that is not a well-formed expression; the caller maps it to the endpoint's error code. */
export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}
