/**
 * Lexer for AppFlow's filterExpression DSL (doc §7). Strict where the SDK lexers are lenient: any character that
 * starts no token is an error, never skipped (the SDKs read `_links = "a"` as `links = "a"`).
 */
import { FilterSyntaxError } from './filter-syntax-error.js';
import { formatInstant, parseIsoDate, parseIsoDateTime } from './instant.js';

export type Keyword = 'and' | 'or' | 'not' | 'true' | 'false' | 'contains' | 'between' | 'in' | 'limit' | 'null';
export type ComparisonSymbol = '>' | '>=' | '<' | '<=' | '=' | '!=';

export type Token = { readonly column: number; readonly text: string } & (
  | { readonly type: 'ident' }
  | { readonly type: 'keyword'; readonly keyword: Keyword }
  | { readonly type: 'string'; readonly value: string }
  /** `posInteger`: matches POS_INTEGER `[1-9][0-9]+`, the only form LIMIT accepts. */
  | { readonly type: 'number'; readonly value: number; readonly posInteger: boolean }
  /** DATE literal kept as `YYYY-MM-DD`. */
  | { readonly type: 'date'; readonly value: string }
  /** DATETIME literal in canonical form (`.SSSZ`, extra sub-millisecond digits kept). */
  | { readonly type: 'datetime'; readonly value: string }
  | { readonly type: 'op'; readonly op: ComparisonSymbol }
  | { readonly type: '(' | ')' | ',' | 'eof' }
);

/** Keywords exist only in these exact spellings; any other casing (`AnD`, `Between`, `NULL`) is an identifier. */
const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ['AND', 'and'],
  ['and', 'and'],
  ['OR', 'or'],
  ['or', 'or'],
  ['NOT', 'not'],
  ['not', 'not'],
  ['TRUE', 'true'],
  ['True', 'true'],
  ['true', 'true'],
  ['FALSE', 'false'],
  ['False', 'false'],
  ['false', 'false'],
  ['CONTAINS', 'contains'],
  ['contains', 'contains'],
  ['BETWEEN', 'between'],
  ['between', 'between'],
  ['IN', 'in'],
  ['in', 'in'],
  ['LIMIT', 'limit'],
  ['limit', 'limit'],
  ['null', 'null'],
]);

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', t: '\t', n: '\n', r: '\r' };

const IDENT_RE = /[A-Za-z][A-Za-z0-9_.-]*/y;
const DATE_PREFIX_RE = /\d{4}-\d{2}-\d{2}/y;
const DATETIME_RE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/y;
const NUMBER_RE = /-?\d+(?:\.\d+)?/y;
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function matchAt(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : null;
}

function lexError(expected: string, found: string, at: number, hint?: string): FilterSyntaxError {
  return new FilterSyntaxError({ expected, found, column: at + 1, hint });
}

function quoteChar(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}

/** Diagnoses a date-time that starts like `YYYY-MM-DDT` but is not `…Thh:mm:ss(.fff)?Z`. */
function badDateTime(text: string, at: number): FilterSyntaxError {
  const rest = /^\d{4}-\d{2}-\d{2}T[0-9:.]*[^\s(),=<>!]*/.exec(text.slice(at))?.[0] ?? text.slice(at, at + 11);
  let hint = 'DATETIME is YYYY-MM-DDThh:mm:ss with optional fraction and a literal Z, e.g. 2024-01-01T00:00:00Z';
  if (/T\d{2}:\d{2}(?!:)/.test(rest)) hint = 'seconds are required';
  else if (/T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]/.test(rest)) hint = 'time-zone offsets are not allowed; use UTC with Z';
  else if (/T\d{2}:\d{2}:\d{2}(?:\.\d+)?$/.test(rest)) hint = 'the time zone Z is required';
  return lexError('a date-time like 2024-01-01T00:00:00Z', `'${rest}'`, at, hint);
}

export function lexFilterExpression(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (WHITESPACE.has(c)) {
      i += 1;
      continue;
    }
    const column = i + 1;
    const two = text.slice(i, i + 2);
    if (two === '>=' || two === '<=' || two === '!=') {
      tokens.push({ type: 'op', op: two, column, text: two });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<' || c === '=') {
      tokens.push({ type: 'op', op: c, column, text: c });
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, column, text: c });
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text.charAt(j);
        if (d === c) {
          closed = true;
          break;
        }
        if (d === '\\') {
          const e = text.charAt(j + 1);
          const escaped = ESCAPES[e];
          if (escaped === undefined) {
            throw lexError('an escape sequence (\\" \\\' \\\\ \\t \\n \\r)', e === '' ? 'end of input' : `'\\${e}'`, j);
          }
          value += escaped;
          j += 2;
          continue;
        }
        value += d;
        j += 1;
      }
      if (!closed) throw lexError(`a closing ${quoteChar(c)} for the string starting`, 'end of input', i);
      tokens.push({ type: 'string', value, column, text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text.charAt(i + 1)))) {
      const datePrefix = c === '-' ? null : matchAt(DATE_PREFIX_RE, text, i);
      if (datePrefix !== null) {
        if (text.charAt(i + datePrefix.length) === 'T') {
          const raw = matchAt(DATETIME_RE, text, i);
          if (raw === null) throw badDateTime(text, i);
          const instant = parseIsoDateTime(raw);
          if (instant === null) throw lexError('a valid date-time', `'${raw}'`, i, 'no such calendar date or time');
          tokens.push({ type: 'datetime', value: formatInstant(instant), column, text: raw });
          i += raw.length;
          continue;
        }
        if (parseIsoDate(datePrefix) === null) {
          throw lexError('a valid date', `'${datePrefix}'`, i, 'no such calendar date');
        }
        tokens.push({ type: 'date', value: datePrefix, column, text: datePrefix });
        i += datePrefix.length;
        continue;
      }
      const raw = matchAt(NUMBER_RE, text, i) ?? c;
      const after = text.charAt(i + raw.length);
      if (after === 'e' || after === 'E') {
        throw lexError('a number without exponent', `'${raw}${after}'`, i, 'write the number out in full, e.g. 1500');
      }
      if (after === '.') throw lexError('digits after the decimal point', `'${raw}.'`, i);
      const value = Number(raw);
      tokens.push({ type: 'number', value, posInteger: /^[1-9][0-9]+$/.test(raw), column, text: raw });
      i += raw.length;
      continue;
    }
    const word = matchAt(IDENT_RE, text, i);
    if (word !== null) {
      const keyword = KEYWORDS.get(word);
      tokens.push(keyword ? { type: 'keyword', keyword, column, text: word } : { type: 'ident', column, text: word });
      i += word.length;
      continue;
    }
    throw lexError(
      'a field name, value, operator or parenthesis',
      `unexpected character ${quoteChar(c)}`,
      i,
      c === '_' ? 'field names start with a letter' : undefined,
    );
  }
  tokens.push({ type: 'eof', column: text.length + 1, text: '' });
  return tokens;
}
