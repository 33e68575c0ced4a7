/**
 * Strict parser for AppFlow's QueryData `filterExpression` (doc §7), producing okta-flow's Filter model.
 *
 *   filter = expr EOF | limit EOF | expr limit EOF
 *   limit  = LIMIT POS_INTEGER
 *   expr   = "(" expr ")" | NOT expr | expr AND expr | expr OR expr | IDENT op value | IDENT (=|!=) (TRUE|FALSE)
 *          | IDENT CONTAINS value | IDENT BETWEEN value AND value | IDENT IN "(" value {"," value} ")"
 *   value  = STRING | null | POS_INTEGER | NUMBER | DATE | DATETIME
 *
 * Precedence NOT > AND > OR, left-associative; a chain `a and b and c` becomes one `and` node with three children
 * (parenthesised groups stay nested, as written). We mirror the SDK grammar exactly, quirks included: LIMIT takes
 * POS_INTEGER (two or more digits), so `LIMIT 5` is a syntax error, as in AppFlow's own parsers.
 *
 * Values: strings as written (escapes resolved); numbers as JS numbers; DATE as `YYYY-MM-DD`; DATETIME in canonical
 * UTC form with at least millisecond precision (`2024-01-01T00:00:00Z` → `2024-01-01T00:00:00.000Z`; extra
 * sub-millisecond digits are kept so comparisons stay exact); `true`/`false`; `null`.
 * An empty or blank expression is a syntax error: callers treat an absent filterExpression as "no filter".
 */
import type { ComparisonOperator, Filter, FilterValue, ParsedFilterExpression } from './filter.js';
import { FilterSyntaxError } from './filter-syntax-error.js';
import { type ComparisonSymbol, lexFilterExpression, type Token } from './lex-filter-expression.js';

export { FilterSyntaxError } from './filter-syntax-error.js';

const OPERATORS: Readonly<Record<ComparisonSymbol, ComparisonOperator>> = {
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL_TO',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL_TO',
  '=': 'EQUAL_TO',
  '!=': 'NOT_EQUAL_TO',
};

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'end of input';
    case 'ident':
      return `identifier '${token.text}'`;
    case 'keyword':
      return `keyword '${token.text}'`;
    case 'string':
      return `string ${token.text}`;
    case 'number':
      return `number ${token.text}`;
    case 'date':
      return `date ${token.text}`;
    case 'datetime':
      return `date-time ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    // The lexer always ends the list with an eof token, and we never advance past it.
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.pos += 1;
    return token;
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.type === 'keyword' && token.keyword === keyword;
  }

  private fail(expected: string, hint?: string): never {
    const token = this.peek();
    throw new FilterSyntaxError({ expected, found: describe(token), column: token.column, hint });
  }

  parse(): ParsedFilterExpression {
    if (this.peek().type === 'eof') this.fail('a filter expression or LIMIT');
    const filter = this.isKeyword('limit') ? null : this.parseOr();
    const limit = this.isKeyword('limit') ? this.parseLimit() : null;
    if (this.peek().type !== 'eof') {
      this.fail(limit === null ? "'and', 'or', LIMIT or end of input" : 'end of input after LIMIT');
    }
    return { filter, limit };
  }

  private parseLimit(): number {
    this.next();
    const token = this.peek();
    if (token.type !== 'number' || !token.posInteger) {
      this.fail(
        "a LIMIT of two or more digits after 'LIMIT'",
        token.type === 'number' ? "AppFlow's grammar has no single-digit LIMIT; use 10 or more" : undefined,
      );
    }
    this.next();
    return token.value;
  }

  private parseOr(): Filter {
    const children = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.next();
      children.push(this.parseAnd());
    }
    return children.length === 1 ? (children[0] as Filter) : { kind: 'or', children };
  }

  private parseAnd(): Filter {
    const children = [this.parseUnary()];
    while (this.isKeyword('and')) {
      this.next();
      children.push(this.parseUnary());
    }
    return children.length === 1 ? (children[0] as Filter) : { kind: 'and', children };
  }

  private parseUnary(): Filter {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', child: this.parseUnary() };
    }
    const token = this.peek();
    if (token.type === '(') {
      this.next();
      const inner = this.parseOr();
      if (this.peek().type !== ')') this.fail(`')' to close the '(' at column ${token.column}`);
      this.next();
      return inner;
    }
    if (token.type === 'ident') {
      this.next();
      return this.parsePredicate(token.text);
    }
    this.fail("a field name, 'not' or '('");
  }

  private parsePredicate(field: string): Filter {
    const token = this.peek();
    if (token.type === 'op') {
      this.next();
      const op = OPERATORS[token.op];
      if ((op === 'EQUAL_TO' || op === 'NOT_EQUAL_TO') && (this.isKeyword('true') || this.isKeyword('false'))) {
        const value = this.isKeyword('true');
        this.next();
        return { kind: 'compare', field, op, value };
      }
      return { kind: 'compare', field, op, value: this.parseValue(`'${token.op}'`) };
    }
    if (token.type === 'keyword') {
      switch (token.keyword) {
        case 'contains':
          this.next();
          return { kind: 'contains', field, value: this.parseValue("'contains'") };
        case 'between': {
          this.next();
          const low = this.parseValue("'between'");
          if (!this.isKeyword('and')) this.fail("'and' between the two bounds of BETWEEN");
          this.next();
          const high = this.parseValue("'between … and'");
          return { kind: 'between', field, low, high };
        }
        case 'in': {
          this.next();
          if (this.peek().type !== '(') this.fail("'(' after 'in'");
          this.next();
          const values = [this.parseValue("'in ('")];
          while (this.peek().type === ',') {
            this.next();
            values.push(this.parseValue("','"));
          }
          if (this.peek().type !== ')') this.fail("',' or ')' in the IN list");
          this.next();
          return { kind: 'in', field, values };
        }
        default:
          break;
      }
    }
    this.fail(`an operator (>, >=, <, <=, =, !=, contains, between, in) after '${field}'`);
  }

  private parseValue(after: string): FilterValue {
    const token = this.peek();
    switch (token.type) {
      case 'string':
      case 'number':
      case 'date':
      case 'datetime':
        this.next();
        return token.value;
      case 'keyword':
        if (token.keyword === 'null') {
          this.next();
          return null;
        }
        if (token.keyword === 'true' || token.keyword === 'false') {
          this.fail(`a value after ${after}`, 'true/false only go with = or !=');
        }
        break;
      case 'ident':
        this.fail(`a value after ${after}`, 'quote strings; null is lowercase');
        break;
      default:
        break;
    }
    this.fail(`a value after ${after}`);
  }
}

/** Parses an AppFlow filterExpression; throws FilterSyntaxError saying what was expected, what was found and where. */
export function parseFilterExpression(text: string): ParsedFilterExpression {
  return new Parser(lexFilterExpression(text)).parse();
}
