import { type Expr, type Literal, OPERATORS, type Operator, QuerySyntaxError } from './ast.js';
import { type Token, tokenize } from './tokenizer.js';

/**
 * Recursive-descent parser for the SCIM-ish grammar:
 *   expr   := and ('or' and)*
 *   and    := unary ('and' unary)*
 *   unary  := 'not' unary | '(' expr ')' | ATTR 'pr' | ATTR OP literal
 * Operators and keywords are case-insensitive; attribute names are kept verbatim (they are case-sensitive).
 */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', pos: text.length };
  const take = (): Token => {
    const token = peek();
    pos++;
    return token;
  };
  const isKeyword = (token: Token, keyword: string): boolean =>
    token.kind === 'word' && token.text.toLowerCase() === keyword;

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      take();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      take();
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Expr => {
    const token = take();
    if (token.kind === 'lparen') {
      const inner = parseOr();
      const close = take();
      if (close.kind !== 'rparen') throw new QuerySyntaxError(`Expected ')' at position ${close.pos}`);
      return inner;
    }
    if (token.kind !== 'word') throw new QuerySyntaxError(`Expected an attribute name at position ${token.pos}`);
    if (token.text.toLowerCase() === 'not') return { type: 'not', expr: parseUnary() };
    if (['and', 'or'].includes(token.text.toLowerCase())) {
      throw new QuerySyntaxError(`Unexpected '${token.text}' at position ${token.pos}`);
    }
    const attr = token.text;
    const opToken = take();
    if (opToken.kind !== 'word')
      throw new QuerySyntaxError(`Expected an operator after '${attr}' at position ${opToken.pos}`);
    const opText = opToken.text.toLowerCase();
    if (opText === 'pr') return { type: 'pr', attr };
    if (!(OPERATORS as readonly string[]).includes(opText)) {
      throw new QuerySyntaxError(`Unknown operator '${opToken.text}' at position ${opToken.pos}`);
    }
    return { type: 'cmp', attr, op: opText as Operator, value: parseLiteral(take()) };
  };

  const expr = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw new QuerySyntaxError(`Unexpected input at position ${rest.pos}`);
  return expr;
}

function parseLiteral(token: Token): Literal {
  switch (token.kind) {
    case 'string':
      return { kind: 'string', value: token.value };
    case 'number':
      return { kind: 'number', value: token.value };
    case 'word': {
      const word = token.text.toLowerCase();
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
      if (word === 'null') return { kind: 'null' };
      throw new QuerySyntaxError(
        `Expected a literal at position ${token.pos}: strings and dates must be in double quotes, got '${token.text}'`,
      );
    }
    default:
      throw new QuerySyntaxError(`Expected a literal at position ${token.pos}`);
  }
}
