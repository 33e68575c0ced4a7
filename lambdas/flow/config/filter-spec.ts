/**
 * The structured filter a flow writes in its config, and its mapping onto the shared Filter model.
 *
 * One condition is `{"field": "status", "op": "=", "value": "ACTIVE"}`; the operators are the ones of AppFlow's
 * filterExpression (`= != > >= < <= contains between in`) so one vocabulary serves both forms, plus `starts with` (a
 * string prefix; config only, AppFlow has no such operator). `between` takes `[low, high]` (inclusive), `in` a
 * non-empty list. Conditions combine with `{"and": [...]}`, `{"or": [...]}`,
 * `{"not": {...}}`; a bare list means "all of these" (and).
 */
import { z } from 'zod';
import type { ComparisonOperator, Filter, FilterValue } from '../../okta/query/filter.js';

export const FILTER_OPS = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'starts with', 'between', 'in'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

const COMPARISON: Record<string, ComparisonOperator> = {
  '=': 'EQUAL_TO',
  '!=': 'NOT_EQUAL_TO',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL_TO',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL_TO',
};

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export interface ConditionSpec {
  readonly $comment?: string | undefined;
  readonly field: string;
  readonly op: FilterOp;
  readonly value: FilterValue | readonly FilterValue[];
}
export type FilterNodeSpec =
  | ConditionSpec
  | { readonly $comment?: string | undefined; readonly and: readonly FilterNodeSpec[] }
  | { readonly $comment?: string | undefined; readonly or: readonly FilterNodeSpec[] }
  | { readonly $comment?: string | undefined; readonly not: FilterNodeSpec };
export type FilterSpec = FilterNodeSpec | readonly FilterNodeSpec[];

export const conditionSchema = z
  .strictObject({
    $comment: z.string().optional(),
    field: z
      .string()
      .min(1)
      .meta({ description: 'Field name: catalog column, Okta path or AppFlow name.', examples: ['status'] }),
    op: z.enum(FILTER_OPS).meta({ examples: ['='] }),
    value: z
      .union([scalar, z.array(scalar)])
      .meta({ description: 'A value; [low, high] for between; a list for in.', examples: ['ACTIVE'] }),
  })
  .superRefine((condition, ctx) => {
    const { op, value } = condition;
    if (op === 'between' && !(Array.isArray(value) && value.length === 2)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"between" takes a [low, high] pair, got ${JSON.stringify(value)}`,
        params: {
          example: { field: 'created', op: 'between', value: ['2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z'] },
        },
      });
    } else if (op === 'in' && !(Array.isArray(value) && value.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"in" takes a non-empty list, got ${JSON.stringify(value)}`,
        params: { example: { field: 'status', op: 'in', value: ['ACTIVE', 'STAGED'] } },
      });
    } else if (op === 'starts with' && (typeof value !== 'string' || value === '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"starts with" takes a non-empty string (the prefix), got ${JSON.stringify(value)}`,
        params: { example: { field: 'event_type', op: 'starts with', value: 'user.session' } },
      });
    } else if (op !== 'between' && op !== 'in' && Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${op}" takes a single value, got a list (use "in" for a list)`,
        params: { example: { field: 'status', op: '=', value: 'ACTIVE' } },
      });
    }
  })
  .meta({ examples: [{ field: 'status', op: '=', value: 'ACTIVE' }] });

export const filterNodeSchema: z.ZodType<FilterNodeSpec> = z.lazy(() =>
  z.union(
    [
      conditionSchema,
      z.strictObject({ $comment: z.string().optional(), and: z.array(filterNodeSchema).min(1) }),
      z.strictObject({ $comment: z.string().optional(), or: z.array(filterNodeSchema).min(1) }),
      z.strictObject({ $comment: z.string().optional(), not: filterNodeSchema }),
    ],
    { error: 'must be a condition {field, op, value}, {"and": [...]}, {"or": [...]} or {"not": {...}}' },
  ),
);

export const filterSpecSchema = z
  .union([filterNodeSchema, z.array(filterNodeSchema).min(1)], {
    error: 'must be a condition {field, op, value}, a list of conditions, or {"and"|"or": [...]}',
  })
  .meta({
    description:
      'Structured filter: a condition {field, op, value}, a list (all must hold), or {"and": [...]}, {"or": [...]}, {"not": {...}}.',
    examples: [
      [{ field: 'status', op: '=', value: 'ACTIVE' }],
      {
        or: [
          { field: 'status', op: 'in', value: ['ACTIVE', 'STAGED'] },
          { field: 'type', op: '=', value: 'OKTA_GROUP' },
        ],
      },
    ],
  });

/** Map a validated structured filter onto the shared Filter model (field names as written; resolve them later). */
export function toFilter(spec: FilterSpec): Filter {
  if (isNodeList(spec)) return spec.length === 1 && spec[0] ? toFilter(spec[0]) : and(spec.map(toFilter));
  if ('and' in spec) return and(spec.and.map(toFilter));
  if ('or' in spec) return { kind: 'or', children: spec.or.map(toFilter) };
  if ('not' in spec) return { kind: 'not', child: toFilter(spec.not) };
  return conditionToFilter(spec);
}

function isNodeList(spec: FilterSpec): spec is readonly FilterNodeSpec[] {
  return Array.isArray(spec);
}

function and(children: Filter[]): Filter {
  return { kind: 'and', children };
}

function conditionToFilter({ field, op, value }: ConditionSpec): Filter {
  const list: readonly FilterValue[] = Array.isArray(value) ? value : [value as FilterValue];
  switch (op) {
    case 'contains':
      return { kind: 'contains', field, value: list[0] ?? null };
    case 'starts with':
      return { kind: 'startsWith', field, value: typeof list[0] === 'string' ? list[0] : '' };
    case 'between':
      return { kind: 'between', field, low: list[0] ?? null, high: list[1] ?? null };
    case 'in':
      return { kind: 'in', field, values: list };
    default:
      return { kind: 'compare', field, op: COMPARISON[op] ?? 'EQUAL_TO', value: list[0] ?? null };
  }
}

/** Every (field, op) a filter uses, for checking against the catalog. */
export function filterConditions(filter: Filter): { field: string; operator: string }[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.flatMap(filterConditions);
    case 'not':
      return filterConditions(filter.child);
    case 'compare':
      return [{ field: filter.field, operator: filter.op }];
    case 'contains':
      return [{ field: filter.field, operator: 'CONTAINS' }];
    case 'startsWith':
      return [{ field: filter.field, operator: 'STARTS_WITH' }];
    case 'between':
      return [{ field: filter.field, operator: 'BETWEEN' }];
    case 'in':
      return [{ field: filter.field, operator: 'IN' }];
  }
}
