import type { OktaErrorSpec } from '../contract.js';
import { type Expr, type Literal, type Operator, QuerySyntaxError } from './ast.js';
import { parseExpression } from './parser.js';

export type FieldType = 'string' | 'date' | 'number' | 'boolean';
export type FieldOperator = Operator | 'pr';

export interface FieldSpec {
  readonly type: FieldType;
  readonly ops: ReadonlySet<FieldOperator>;
}

/** What one endpoint's `search` or `filter` parameter accepts, and which error it answers otherwise. */
export interface Grammar {
  readonly allowNot: boolean;
  readonly allowOr: boolean;
  readonly allowAnd: boolean;
  /** String comparisons ignore case (search) or not (filter). */
  readonly caseInsensitive: boolean;
  /** The field's type and operators, or undefined when the attribute cannot be queried at all. */
  field(attr: string): FieldSpec | undefined;
  /** Error for malformed text. */
  syntaxError(cause: string): OktaErrorSpec;
  /** Error for a well-formed expression that uses an attribute, operator or connective the endpoint rejects. */
  unsupported(cause: string): OktaErrorSpec;
}

/** Reads one attribute of a record: strings, numbers, booleans, arrays; dates as ISO strings or epoch ms. */
export type Getter = (attr: string) => unknown;
export type Predicate = (get: Getter) => boolean;

export type CompileResult =
  | { readonly ok: true; readonly expr: Expr; readonly predicate: Predicate }
  | { readonly ok: false; readonly error: OktaErrorSpec };

const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function ops(...list: FieldOperator[]): ReadonlySet<FieldOperator> {
  return new Set(list);
}

class Unsupported extends Error {}

/** Parses, validates against the grammar, and compiles to a predicate over a record getter. */
export function compileQuery(text: string, grammar: Grammar): CompileResult {
  let expr: Expr;
  try {
    expr = parseExpression(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, error: grammar.syntaxError(error.message) };
    throw error;
  }
  try {
    return { ok: true, expr, predicate: compile(expr, grammar) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, error: grammar.unsupported(error.message) };
    throw error;
  }
}

function compile(expr: Expr, grammar: Grammar): Predicate {
  switch (expr.type) {
    case 'and': {
      if (!grammar.allowAnd) throw new Unsupported("The 'and' operator is not supported here");
      const left = compile(expr.left, grammar);
      const right = compile(expr.right, grammar);
      return (get) => left(get) && right(get);
    }
    case 'or': {
      if (!grammar.allowOr) throw new Unsupported("The 'or' operator is not supported here");
      const left = compile(expr.left, grammar);
      const right = compile(expr.right, grammar);
      return (get) => left(get) || right(get);
    }
    case 'not': {
      if (!grammar.allowNot) throw new Unsupported("The 'not' operator is not supported here");
      const inner = compile(expr.expr, grammar);
      return (get) => !inner(get);
    }
    case 'pr': {
      const spec = fieldOrThrow(expr.attr, grammar);
      if (!spec.ops.has('pr')) throw new Unsupported(`Operator 'pr' is not supported for attribute '${expr.attr}'`);
      const attr = expr.attr;
      return (get) => isPresent(get(attr));
    }
    case 'cmp':
      return compileComparison(expr.attr, expr.op, expr.value, grammar);
  }
}

function fieldOrThrow(attr: string, grammar: Grammar): FieldSpec {
  const spec = grammar.field(attr);
  if (!spec) throw new Unsupported(`Attribute '${attr}' is not supported`);
  return spec;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

function compileComparison(attr: string, op: Operator, literal: Literal, grammar: Grammar): Predicate {
  const spec = fieldOrThrow(attr, grammar);
  if (!spec.ops.has(op)) throw new Unsupported(`Operator '${op}' is not supported for attribute '${attr}'`);
  const test = valueTest(attr, spec.type, op, literal, grammar.caseInsensitive);
  return (get) => {
    const value = get(attr);
    if (Array.isArray(value)) return value.some((item) => test(item));
    if (op === 'ne' && (value === undefined || value === null)) return true;
    return test(value);
  };
}

function valueTest(
  attr: string,
  type: FieldType,
  op: Operator,
  literal: Literal,
  caseInsensitive: boolean,
): (value: unknown) => boolean {
  switch (type) {
    case 'date': {
      if (literal.kind !== 'string' || !DATE_LITERAL.test(literal.value) || Number.isNaN(Date.parse(literal.value))) {
        throw new Unsupported(`'${attr}' needs a quoted date literal like "2013-06-01T00:00:00.000Z"`);
      }
      const target = Date.parse(literal.value);
      const cmp = ordered(op, attr);
      return (value) => {
        const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
        return !Number.isNaN(ms) && cmp(ms - target);
      };
    }
    case 'number': {
      if (literal.kind !== 'number') throw new Unsupported(`'${attr}' is numeric: compare it with a bare number`);
      const target = literal.value;
      const cmp = ordered(op, attr);
      return (value) => typeof value === 'number' && cmp(value - target);
    }
    case 'boolean': {
      if (literal.kind !== 'boolean') throw new Unsupported(`'${attr}' is boolean: compare it with true or false`);
      if (op !== 'eq' && op !== 'ne') throw new Unsupported(`Operator '${op}' is not supported for boolean '${attr}'`);
      const target = literal.value;
      return op === 'eq' ? (value) => value === target : (value) => value !== target;
    }
    case 'string': {
      if (literal.kind !== 'string') throw new Unsupported(`'${attr}' is a string: quote the value in double quotes`);
      const fold = caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s;
      const target = fold(literal.value);
      const text = (value: unknown): string | undefined =>
        typeof value === 'string'
          ? fold(value)
          : typeof value === 'number' || typeof value === 'boolean'
            ? fold(String(value))
            : undefined;
      switch (op) {
        case 'eq':
          return (value) => text(value) === target;
        case 'ne':
          return (value) => text(value) !== target;
        case 'sw':
          return (value) => text(value)?.startsWith(target) ?? false;
        case 'ew':
          return (value) => text(value)?.endsWith(target) ?? false;
        case 'co':
          return (value) => text(value)?.includes(target) ?? false;
        default: {
          const cmp = ordered(op, attr);
          return (value) => {
            const s = text(value);
            return s !== undefined && cmp(s < target ? -1 : s > target ? 1 : 0);
          };
        }
      }
    }
  }
}

function ordered(op: Operator, attr: string): (diff: number) => boolean {
  switch (op) {
    case 'eq':
      return (d) => d === 0;
    case 'ne':
      return (d) => d !== 0;
    case 'gt':
      return (d) => d > 0;
    case 'ge':
      return (d) => d >= 0;
    case 'lt':
      return (d) => d < 0;
    case 'le':
      return (d) => d <= 0;
    default:
      throw new Unsupported(`Operator '${op}' is not supported for attribute '${attr}'`);
  }
}
