/**
 * Maps a filter's field names (column, dotted Okta path, AppFlow label) to catalog columns and checks that each
 * operator is allowed for its field and each value fits the field's type. The result names fields by column and
 * carries normalized values: DateTime values become canonical UTC ISO strings with milliseconds
 * (`2024-01-01T00:00:00.000Z`) whether given as ISO date, ISO date-time (any offset) or epoch milliseconds.
 *
 * Derived operators: IN is allowed where EQUAL_TO is (it is a disjunction of EQUAL_TO), BETWEEN where both
 * GREATER_THAN_OR_EQUAL_TO and LESS_THAN_OR_EQUAL_TO are. `= null` / `!= null` are allowed wherever EQUAL_TO /
 * NOT_EQUAL_TO are.
 */
import { isQueryParameterField } from '../catalog/index.js';
import type { FieldDef, FilterOperator, ObjectDef } from '../catalog/types.js';
import type { Filter, FilterValue } from './filter.js';
import { FilterValidationError } from './filter-validation-error.js';
import { formatInstant, toInstant } from './instant.js';

export { FilterValidationError } from './filter-validation-error.js';

export type FieldResolver = (def: ObjectDef, nameOrAlias: string) => FieldDef | undefined;

/** Operators a field accepts, derived ones included (see the module comment). */
export function allowedOperators(field: FieldDef): FilterOperator[] {
  const ops = new Set<FilterOperator>(field.operators);
  if (ops.has('EQUAL_TO')) ops.add('IN');
  if (ops.has('GREATER_THAN_OR_EQUAL_TO') && ops.has('LESS_THAN_OR_EQUAL_TO')) ops.add('BETWEEN');
  return [...ops];
}

function show(value: FilterValue): string {
  return JSON.stringify(value);
}

const EXPECTED_BY_TYPE: Readonly<Record<string, string>> = {
  String: 'a string (quote it, e.g. "12345")',
  DateTime: 'an ISO-8601 date-time such as 2024-01-01T00:00:00.000Z, a date such as 2024-01-01, or epoch milliseconds',
  Date: 'an ISO-8601 date such as 2024-01-01, a date-time, or epoch milliseconds',
  Boolean: 'true or false',
  Integer: 'a number',
  Long: 'a number',
  Double: 'a number',
  List: 'a string, number or boolean element',
};

class Resolver {
  private queryParameterSeen: string | null = null;

  constructor(
    private readonly def: ObjectDef,
    private readonly lookup: FieldResolver,
  ) {}

  private field(name: string): FieldDef {
    const field = this.lookup(this.def, name);
    if (field !== undefined) return field;
    const known = this.def.fields.filter((f) => f.operators.length > 0).map((f) => f.column);
    throw new FilterValidationError(
      `Unknown field '${name}' for ${this.def.name}. Use a column name, a dotted Okta path (e.g. profile.department) ` +
        `or an AppFlow label; filterable columns: ${known.join(', ')}`,
      { object: this.def.name, field: name, allowed: known },
    );
  }

  private checkOperator(field: FieldDef, op: FilterOperator): void {
    const allowed = allowedOperators(field);
    if (allowed.includes(op)) return;
    const list = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'it cannot be filtered';
    throw new FilterValidationError(
      `Field '${field.column}' (${this.def.name}, ${field.type}) does not support ${op}; ${list}`,
      { object: this.def.name, field: field.column, operator: op, allowed },
    );
  }

  private badValue(field: FieldDef, op: FilterOperator, value: FilterValue, why?: string): FilterValidationError {
    const expected = why ?? `expected ${EXPECTED_BY_TYPE[field.type] ?? 'a value of its type'}`;
    return new FilterValidationError(
      `Field '${field.column}' (${this.def.name}, ${field.type}) cannot be filtered with ${op} ${show(value)}: ${expected}`,
      { object: this.def.name, field: field.column, operator: op, allowed: allowedOperators(field) },
    );
  }

  /** A non-null value coerced to the field's type. */
  private coerce(field: FieldDef, op: FilterOperator, value: FilterValue): FilterValue {
    if (value === null) {
      if (op === 'EQUAL_TO' || op === 'NOT_EQUAL_TO' || op === 'IN') return null;
      throw this.badValue(field, op, value, 'null only goes with EQUAL_TO, NOT_EQUAL_TO or IN');
    }
    switch (field.type) {
      case 'String':
        if (typeof value === 'string') return value;
        break;
      case 'Date':
      case 'DateTime': {
        if (typeof value === 'boolean') break;
        const instant = toInstant(value);
        if (instant !== null) return formatInstant(instant);
        break;
      }
      case 'Boolean':
        if (typeof value === 'boolean') return value;
        break;
      case 'Integer':
      case 'Long':
      case 'Double':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        break;
      case 'List':
      case 'Map':
        return value;
      case 'Struct':
        break;
    }
    throw this.badValue(field, op, value);
  }

  private queryParameter(field: FieldDef, topLevel: boolean, op: FilterOperator, value: FilterValue): void {
    if (!topLevel || op !== 'EQUAL_TO' || typeof value !== 'string') {
      throw new FilterValidationError(
        `Field '${field.column}' (${this.def.name}) is an Okta query parameter: it only works as a single ` +
          `'${field.column} = "<id>"' joined to the rest of the filter with AND (not under OR or NOT)`,
        { object: this.def.name, field: field.column, operator: op, allowed: ['EQUAL_TO'] },
      );
    }
    if (this.queryParameterSeen !== null) {
      throw new FilterValidationError(
        `${this.def.name} filters may use only one of ${this.queryParameterSeen} and ${field.column}: Okta's apps ` +
          'filter takes a single expression',
        { object: this.def.name, field: field.column, operator: op, allowed: ['EQUAL_TO'] },
      );
    }
    this.queryParameterSeen = field.column;
  }

  resolve(filter: Filter, topLevel: boolean): Filter {
    switch (filter.kind) {
      case 'and':
        return { kind: 'and', children: filter.children.map((c) => this.resolve(c, topLevel)) };
      case 'or':
        return { kind: 'or', children: filter.children.map((c) => this.resolve(c, false)) };
      case 'not':
        return { kind: 'not', child: this.resolve(filter.child, false) };
      case 'compare': {
        const field = this.field(filter.field);
        this.checkOperator(field, filter.op);
        const value = this.coerce(field, filter.op, filter.value);
        if (isQueryParameterField(this.def, field)) this.queryParameter(field, topLevel, filter.op, value);
        return { kind: 'compare', field: field.column, op: filter.op, value };
      }
      case 'contains': {
        const field = this.field(filter.field);
        this.checkOperator(field, 'CONTAINS');
        if (filter.value === null) throw this.badValue(field, 'CONTAINS', null, 'CONTAINS needs a value');
        if (field.type === 'String' && typeof filter.value !== 'string')
          throw this.badValue(field, 'CONTAINS', filter.value);
        return { kind: 'contains', field: field.column, value: this.coerce(field, 'CONTAINS', filter.value) };
      }
      case 'startsWith': {
        const field = this.field(filter.field);
        this.checkOperator(field, 'STARTS_WITH');
        if (typeof filter.value !== 'string' || filter.value === '') {
          throw this.badValue(field, 'STARTS_WITH', filter.value, 'STARTS_WITH needs a non-empty string');
        }
        return { kind: 'startsWith', field: field.column, value: filter.value };
      }
      case 'between': {
        const field = this.field(filter.field);
        this.checkOperator(field, 'BETWEEN');
        if (filter.low === null || filter.high === null) {
          throw this.badValue(field, 'BETWEEN', null, 'BETWEEN needs two non-null bounds');
        }
        return {
          kind: 'between',
          field: field.column,
          low: this.coerce(field, 'BETWEEN', filter.low),
          high: this.coerce(field, 'BETWEEN', filter.high),
        };
      }
      case 'in': {
        const field = this.field(filter.field);
        this.checkOperator(field, 'IN');
        if (isQueryParameterField(this.def, field)) this.queryParameter(field, false, 'IN', null);
        if (filter.values.length === 0) throw this.badValue(field, 'IN', null, 'IN needs at least one value');
        return { kind: 'in', field: field.column, values: filter.values.map((v) => this.coerce(field, 'IN', v)) };
      }
    }
  }
}

/** Resolves and validates a filter against an object's catalog entry; throws FilterValidationError. */
export function resolveFilter(filter: Filter, def: ObjectDef, resolveField: FieldResolver): Filter {
  return new Resolver(def, resolveField).resolve(filter, true);
}
