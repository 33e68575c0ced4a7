import { QuerySyntaxError } from './ast.js';

export type Token =
  | { readonly kind: 'lparen' | 'rparen' | 'end'; readonly pos: number }
  | { readonly kind: 'word'; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number };

const WORD_START = /[A-Za-z_$]/;
const WORD_PART = /[A-Za-z0-9_.$:-]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;

/** Splits an expression into words (attributes, operators, keywords), quoted strings, numbers and parentheses. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '+') {
      // `+` is a form-encoded space that survived decoding: treat it as whitespace like Okta's parser does.
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'lparen', pos: i++ });
    } else if (ch === ')') {
      tokens.push({ kind: 'rparen', pos: i++ });
    } else if (ch === '"') {
      const start = i++;
      let value = '';
      let closed = false;
      while (i < text.length) {
        const c = text.charAt(i);
        if (c === '\\') {
          const escaped = text.charAt(i + 1);
          if (escaped === '') break;
          value += escaped;
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new QuerySyntaxError(`Unterminated string literal starting at position ${start}`);
      tokens.push({ kind: 'string', value, pos: start });
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const match = NUMBER.exec(text.slice(i));
      if (!match) throw new QuerySyntaxError(`Unexpected character '${ch}' at position ${i}`);
      tokens.push({ kind: 'number', value: Number(match[0]), pos: i });
      i += match[0].length;
    } else if (WORD_START.test(ch)) {
      const start = i;
      while (i < text.length && WORD_PART.test(text.charAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
    } else {
      throw new QuerySyntaxError(`Unexpected character '${ch}' at position ${i}`);
    }
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}
