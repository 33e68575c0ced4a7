/**
 * The residual: okta-flow's own evaluation of a filter on Okta's nested JSON. It defines what a filter MEANS; Okta's
 * search/filter only ever narrow the scan (see plan.ts), and this predicate is applied to every record again.
 *
 * Semantics (values read with the catalog's `getValue`; absent and null are the same, "null"):
 * - EQUAL_TO / NOT_EQUAL_TO on strings: case-sensitive, exact. On DateTime: the same instant (a filter value may carry
 *   sub-millisecond digits; comparison is exact). On numbers and booleans: equal values of the same type.
 * - `= null` matches absent or null; `!= null` matches present and not null.
 * - Every comparison with a null/absent record value is false — including `!=`: `x != "a"` does not match records
 *   without x; `not (x = "a")` does (two-valued logic: NOT simply negates).
 * - GREATER_THAN… on DateTime compare instants, on numbers numerically, on strings by UTF-16 code units.
 *   A record value of the wrong type (unparseable date, string in a number field) never matches.
 * - CONTAINS: on strings a case-sensitive substring; on Lists membership of an equal element; on Maps a key.
 * - BETWEEN: inclusive at both ends (incremental windows never lose boundary records).
 * - IN: equal to any listed value (`null` in the list matches null/absent).
 * - AND of nothing is true, OR of nothing is false.
 * - Application `group_id`/`user_id` are Okta query parameters with no value in the record: always true here, and
 *   the planner always pushes them down (the resolver only allows them as a top-level AND term).
 */
import { getValue, isQueryParameterField, resolveField } from '../catalog/index.js';
import type { FieldDef, ObjectDef } from '../catalog/types.js';
import type { OktaRecord } from '../types.js';
import type { ComparisonOperator, Filter, FilterValue } from './filter.js';
import { FilterValidationError } from './filter-validation-error.js';
import { compareInstants, type Instant, toInstant } from './instant.js';

export type RecordPredicate = (record: OktaRecord) => boolean;

const ALWAYS: RecordPredicate = () => true;

/** Orders two non-null values of one field: negative/zero/positive, or null when they are not comparable. */
type Comparator = (recordValue: unknown) => number | null;

function comparatorFor(field: FieldDef, value: Exclude<FilterValue, null>): Comparator {
  if (field.type === 'DateTime' || field.type === 'Date') {
    const target: Instant | null = toInstant(value);
    return (recordValue) => {
      if (target === null) return null;
      const instant = typeof recordValue === 'string' ? toInstant(recordValue) : null;
      return instant === null ? null : compareInstants(instant, target);
    };
  }
  return (recordValue) => {
    if (typeof recordValue !== typeof value) return null;
    // Booleans are equal or not, never ordered: NaN makes every ordering test false and != true.
    if (typeof value === 'boolean') return recordValue === value ? 0 : Number.NaN;
    if (typeof value === 'number' || typeof value === 'string') {
      const r = recordValue as typeof value;
      return r === value ? 0 : r < value ? -1 : 1;
    }
    return null;
  };
}

function testComparison(op: ComparisonOperator, order: number | null): boolean {
  if (order === null) return false;
  switch (op) {
    case 'EQUAL_TO':
      return order === 0;
    case 'NOT_EQUAL_TO':
      return order !== 0;
    case 'GREATER_THAN':
      return order > 0;
    case 'GREATER_THAN_OR_EQUAL_TO':
      return order >= 0;
    case 'LESS_THAN':
      return order < 0;
    case 'LESS_THAN_OR_EQUAL_TO':
      return order <= 0;
  }
}

const isNull = (v: unknown): boolean => v === null || v === undefined;

function sameElement(element: unknown, value: FilterValue): boolean {
  return element === value;
}

class Compiler {
  constructor(private readonly def: ObjectDef) {}

  private field(name: string): FieldDef {
    const field = resolveField(this.def, name);
    if (field === undefined) {
      throw new FilterValidationError(`Unknown field '${name}' for ${this.def.name}`, {
        object: this.def.name,
        field: name,
      });
    }
    return field;
  }

  private equals(field: FieldDef, value: FilterValue): RecordPredicate {
    if (value === null) return (record) => isNull(getValue(record, field));
    const compare = comparatorFor(field, value);
    return (record) => {
      const v = getValue(record, field);
      return !isNull(v) && compare(v) === 0;
    };
  }

  compile(filter: Filter): RecordPredicate {
    switch (filter.kind) {
      case 'and': {
        const parts = filter.children.map((c) => this.compile(c));
        return (record) => parts.every((p) => p(record));
      }
      case 'or': {
        const parts = filter.children.map((c) => this.compile(c));
        return (record) => parts.some((p) => p(record));
      }
      case 'not': {
        const inner = this.compile(filter.child);
        return (record) => !inner(record);
      }
      case 'compare': {
        const field = this.field(filter.field);
        if (isQueryParameterField(this.def, field)) return ALWAYS;
        const { op, value } = filter;
        if (value === null) {
          if (op === 'EQUAL_TO') return this.equals(field, null);
          if (op === 'NOT_EQUAL_TO') return (record) => !isNull(getValue(record, field));
          return () => false;
        }
        const compare = comparatorFor(field, value);
        return (record) => {
          const v = getValue(record, field);
          return !isNull(v) && testComparison(op, compare(v));
        };
      }
      case 'contains': {
        const field = this.field(filter.field);
        const value = filter.value;
        return (record) => {
          const v = getValue(record, field);
          if (typeof v === 'string') return typeof value === 'string' && v.includes(value);
          if (Array.isArray(v)) return v.some((e) => sameElement(e, value));
          if (field.type === 'Map' && v !== null && typeof v === 'object' && typeof value === 'string') {
            return Object.hasOwn(v, value);
          }
          return false;
        };
      }
      case 'startsWith': {
        const field = this.field(filter.field);
        const prefix = filter.value;
        return (record) => {
          const v = getValue(record, field);
          return typeof v === 'string' && v.startsWith(prefix);
        };
      }
      case 'between': {
        const field = this.field(filter.field);
        const { low, high } = filter;
        if (low === null || high === null) return () => false;
        const fromLow = comparatorFor(field, low);
        const fromHigh = comparatorFor(field, high);
        return (record) => {
          const v = getValue(record, field);
          if (isNull(v)) return false;
          const a = fromLow(v);
          const b = fromHigh(v);
          return a !== null && b !== null && a >= 0 && b <= 0;
        };
      }
      case 'in': {
        const field = this.field(filter.field);
        if (isQueryParameterField(this.def, field)) return ALWAYS;
        const parts = filter.values.map((v) => this.equals(field, v));
        return (record) => parts.some((p) => p(record));
      }
    }
  }
}

/** Compiles a (resolved) filter into a predicate on Okta records. Field names may be columns, aliases or labels. */
export function compileResidual(filter: Filter | null, def: ObjectDef): RecordPredicate {
  return filter === null ? ALWAYS : new Compiler(def).compile(filter);
}
