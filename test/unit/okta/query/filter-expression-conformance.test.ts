/**
 * Conformance table for AppFlow's filterExpression grammar (appflow-custom-connector.md §7): every valid and invalid
 * example from the doc, plus edge cases. Valid rows carry the exact AST; invalid rows the column and a message part.
 */
import { describe, expect, it } from 'vitest';
import type { Filter, FilterValue, ParsedFilterExpression } from '../../../../lambdas/okta/query/filter.js';
import { FilterSyntaxError, parseFilterExpression } from '../../../../lambdas/okta/query/parse-filter-expression.js';

const eq = (field: string, value: FilterValue): Filter => ({
  kind: 'compare',
  field,
  op: 'EQUAL_TO',
  value,
});
const only = (filter: Filter): ParsedFilterExpression => ({ filter, limit: null });

const VALID: ReadonlyArray<readonly [string, ParsedFilterExpression]> = [
  // ── doc §7 examples ──
  [
    'lastUpdated > 2024-01-01T00:00:00Z',
    only({ kind: 'compare', field: 'lastUpdated', op: 'GREATER_THAN', value: '2024-01-01T00:00:00.000Z' }),
  ],
  [
    'lastUpdated between 2024-01-01T00:00:00Z and 2024-01-02T00:00:00.123Z',
    only({ kind: 'between', field: 'lastUpdated', low: '2024-01-01T00:00:00.000Z', high: '2024-01-02T00:00:00.123Z' }),
  ],
  [
    "status = 'ACTIVE' or status = 'STAGED' and lastUpdated > 2024-01-01T00:00:00.000Z",
    only({
      kind: 'or',
      children: [
        eq('status', 'ACTIVE'),
        {
          kind: 'and',
          children: [
            eq('status', 'STAGED'),
            { kind: 'compare', field: 'lastUpdated', op: 'GREATER_THAN', value: '2024-01-01T00:00:00.000Z' },
          ],
        },
      ],
    }),
  ],
  ['not (status = "SUSPENDED")', only({ kind: 'not', child: eq('status', 'SUSPENDED') })],
  ['profile.login contains "@example.com"', only({ kind: 'contains', field: 'profile.login', value: '@example.com' })],
  ['status in ("ACTIVE", "STAGED")', only({ kind: 'in', field: 'status', values: ['ACTIVE', 'STAGED'] })],
  ['status = "ACTIVE" LIMIT 25', { filter: eq('status', 'ACTIVE'), limit: 25 }],
  ['x = null', only(eq('x', null))],
  ['isAdmin = True', only(eq('isAdmin', true))],
  ["name = 'O\\'Brien'", only(eq('name', "O'Brien"))],
  // ── keywords: every allowed spelling ──
  ['a = 1 AND b = 2', only({ kind: 'and', children: [eq('a', 1), eq('b', 2)] })],
  ['a = 1 OR b = 2', only({ kind: 'or', children: [eq('a', 1), eq('b', 2)] })],
  ['NOT a = 1', only({ kind: 'not', child: eq('a', 1) })],
  ['a = TRUE', only(eq('a', true))],
  ['a = true', only(eq('a', true))],
  ['a = FALSE', only(eq('a', false))],
  ['a = False', only(eq('a', false))],
  ['a != false', only({ kind: 'compare', field: 'a', op: 'NOT_EQUAL_TO', value: false })],
  ['a CONTAINS "x"', only({ kind: 'contains', field: 'a', value: 'x' })],
  ['a BETWEEN 10 AND 20', only({ kind: 'between', field: 'a', low: 10, high: 20 })],
  ['a IN (1)', only({ kind: 'in', field: 'a', values: [1] })],
  ['a = 1 limit 10', { filter: eq('a', 1), limit: 10 }],
  ['LIMIT 25', { filter: null, limit: 25 }],
  ['limit 1000', { filter: null, limit: 1000 }],
  // ── operators ──
  ['a >= 1.5', only({ kind: 'compare', field: 'a', op: 'GREATER_THAN_OR_EQUAL_TO', value: 1.5 })],
  ['a < -3', only({ kind: 'compare', field: 'a', op: 'LESS_THAN', value: -3 })],
  ['a <= 0', only({ kind: 'compare', field: 'a', op: 'LESS_THAN_OR_EQUAL_TO', value: 0 })],
  ['a != "x"', only({ kind: 'compare', field: 'a', op: 'NOT_EQUAL_TO', value: 'x' })],
  ['a != null', only({ kind: 'compare', field: 'a', op: 'NOT_EQUAL_TO', value: null })],
  ['a=1', only(eq('a', 1))],
  ['a>=2024-01-01', only({ kind: 'compare', field: 'a', op: 'GREATER_THAN_OR_EQUAL_TO', value: '2024-01-01' })],
  // ── precedence and associativity: NOT > AND > OR, left-assoc; chains flatten, parentheses nest ──
  [
    'a = 1 and b = 2 or c = 3',
    only({ kind: 'or', children: [{ kind: 'and', children: [eq('a', 1), eq('b', 2)] }, eq('c', 3)] }),
  ],
  ['a = 1 or b = 2 or c = 3', only({ kind: 'or', children: [eq('a', 1), eq('b', 2), eq('c', 3)] })],
  [
    'a = 1 and (b = 2 or c = 3)',
    only({ kind: 'and', children: [eq('a', 1), { kind: 'or', children: [eq('b', 2), eq('c', 3)] }] }),
  ],
  ['not a = 1 and b = 2', only({ kind: 'and', children: [{ kind: 'not', child: eq('a', 1) }, eq('b', 2)] })],
  ['not not a = 1', only({ kind: 'not', child: { kind: 'not', child: eq('a', 1) } })],
  [
    '(a = 1 and b = 2) and c = 3',
    only({ kind: 'and', children: [{ kind: 'and', children: [eq('a', 1), eq('b', 2)] }, eq('c', 3)] }),
  ],
  ['((a = 1))', only(eq('a', 1))],
  // ── BETWEEN's own AND binds first ──
  [
    'a between 1 and 2 and b = 3',
    only({ kind: 'and', children: [{ kind: 'between', field: 'a', low: 1, high: 2 }, eq('b', 3)] }),
  ],
  [
    'b = 3 or a between "x" and "y" and c = null',
    only({
      kind: 'or',
      children: [
        eq('b', 3),
        { kind: 'and', children: [{ kind: 'between', field: 'a', low: 'x', high: 'y' }, eq('c', null)] },
      ],
    }),
  ],
  // ── IN lists ──
  ['a in (1, "two", null, 2024-01-01)', only({ kind: 'in', field: 'a', values: [1, 'two', null, '2024-01-01'] })],
  // ── literals ──
  ['a = "say \\"hi\\""', only(eq('a', 'say "hi"'))],
  ["a = 'tab\\there'", only(eq('a', 'tab\there'))],
  ['a = "\\n\\r\\\\"', only(eq('a', '\n\r\\'))],
  ['a = "it\'s"', only(eq('a', "it's"))],
  ['a = \'say "x"\'', only(eq('a', 'say "x"'))],
  ['a = ""', only(eq('a', ''))],
  ['a = "and"', only(eq('a', 'and'))],
  ['a = 007', only(eq('a', 7))],
  ['a = 5', only(eq('a', 5))],
  ['a = 1704067200000', only(eq('a', 1704067200000))],
  ['a = 2024-02-29', only(eq('a', '2024-02-29'))],
  ['a = 2024-01-01T00:00:00.1Z', only(eq('a', '2024-01-01T00:00:00.100Z'))],
  ['a = 2024-01-01T00:00:00.123456Z', only(eq('a', '2024-01-01T00:00:00.123456Z'))],
  ['a = 2024-01-01T00:00:00.120000Z', only(eq('a', '2024-01-01T00:00:00.120Z'))],
  // ── identifiers: dotted paths, digits, '_' and '-' after the first letter, keyword-like casing ──
  ['profile.costCenter = "x"', only(eq('profile.costCenter', 'x'))],
  ['a_b-c.d9 = 1', only(eq('a_b-c.d9', 1))],
  ['AnD = 1', only(eq('AnD', 1))],
  ['Between = 1', only(eq('Between', 1))],
  ['NULL = null', only(eq('NULL', null))],
  ['  \t a \n = \r 1  ', only(eq('a', 1))],
];

const INVALID: ReadonlyArray<readonly [string, number, string]> = [
  // ── doc §7 must-fail examples ──
  ['lastUpdated > 2024-01-01T00:00:00+01:00', 15, 'time-zone offsets are not allowed'],
  ['lastUpdated > 2024-01-01T00:00Z', 15, 'seconds are required'],
  ['LIMIT 5', 7, 'no single-digit LIMIT'],
  ['x = NULL', 5, "found identifier 'NULL'"],
  ['x = 1.5e3', 5, 'without exponent'],
  ['a AnD b', 3, "found identifier 'AnD'"],
  // ── lexer errors are errors, never skipped ──
  ['_links = "a"', 1, "unexpected character '_'"],
  ['a = 1 # b', 7, "unexpected character '#'"],
  ['a ! 1', 3, "unexpected character '!'"],
  ['a = "x', 5, 'closing'],
  ['a = "\\q"', 6, "found '\\q'"],
  ['a = 1.', 5, 'digits after the decimal point'],
  ['a = -x', 5, "unexpected character '-'"],
  ['a = 2024-01-01T00:00:00', 5, 'the time zone Z is required'],
  ['a = 2024-01-01T00:00:00z', 5, 'date-time'],
  ['a = 2024-13-01', 5, 'no such calendar date'],
  ['a = 2023-02-29', 5, 'no such calendar date'],
  ['a = 2024-01-01T24:00:00Z', 5, 'no such calendar date or time'],
  ['a = 2024-01-01T00:00:60Z', 5, 'no such calendar date or time'],
  // ── parser errors ──
  ['', 1, 'Expected a filter expression or LIMIT at column 1, found end of input'],
  ['   ', 4, 'found end of input'],
  ['lastUpdated >', 14, "Expected a value after '>' at column 14, found end of input"],
  ['a = 1 and', 10, "Expected a field name, 'not' or '(' at column 10, found end of input"],
  ['a = 1 b = 2', 7, "Expected 'and', 'or', LIMIT or end of input at column 7, found identifier 'b'"],
  ['(a = 1', 7, "')' to close the '(' at column 1"],
  ['a = 1)', 6, "found ')'"],
  ['a', 2, 'Expected an operator'],
  ['a == 1', 4, "Expected a value after '='"],
  ['= 1', 1, "Expected a field name, 'not' or '('"],
  ['"a" = 1', 1, 'found string "a"'],
  ['1 = a', 1, 'found number 1'],
  ['a > true', 5, 'true/false only go with = or !='],
  ['a contains true', 12, 'true/false only go with = or !='],
  ['a = "x" limit', 14, 'LIMIT of two or more digits'],
  ['a = "x" limit 05', 15, 'found number 05'],
  ['a = "x" limit -10', 15, 'found number -10'],
  ['a = "x" limit 10.5', 15, 'found number 10.5'],
  ['a = "x" limit 25 and b = 1', 18, 'end of input after LIMIT'],
  ['limit 25 a = 1', 10, 'end of input after LIMIT'],
  ['LIMIT 25 LIMIT 30', 10, 'end of input after LIMIT'],
  ['a between 1 or 2', 13, "'and' between the two bounds of BETWEEN"],
  ['a between 1 and', 16, "after 'between … and'"],
  ['a in 1', 6, "'(' after 'in'"],
  ['a in ()', 7, "Expected a value after 'in ('"],
  ['a in (1,)', 9, "Expected a value after ','"],
  ['a in (1 2)', 9, "',' or ')' in the IN list"],
  ['not', 4, "Expected a field name, 'not' or '('"],
  ['a = 1 Or b = 2', 7, "found identifier 'Or'"],
  ['a = x', 5, "found identifier 'x'"],
  ['a = True = 1', 10, "found '='"],
  ['a = tRUE', 5, "found identifier 'tRUE'"],
];

describe('parseFilterExpression — valid expressions and their AST', () => {
  it.each(VALID)('%s', (text, expected) => {
    expect(parseFilterExpression(text)).toEqual(expected);
  });
});

describe('parseFilterExpression — invalid expressions', () => {
  it.each(INVALID)('%s → error at column %i', (text, column, message) => {
    let caught: unknown;
    try {
      parseFilterExpression(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FilterSyntaxError);
    const error = caught as FilterSyntaxError;
    expect(error.name).toBe('FilterSyntaxError');
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`at column ${column}`);
  });
});
