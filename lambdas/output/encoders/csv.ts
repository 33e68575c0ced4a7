/**
 * RFC 4180 CSV: UTF-8, CRLF line ends, header row in catalog column order, fields quoted when they contain a
 * quote, comma, CR or LF. Nested values (JSON columns, typed lists and structs) are JSON text in Okta's shape;
 * timestamps ISO-8601 UTC with milliseconds.
 * Null vs empty string: null is written as `nullValue` (default: nothing, unquoted) and an empty string as `""`,
 * so the two stay distinguishable for readers that care (with the default, most CSV readers see both as empty).
 */
import { type ColumnSpec, cellToJson, formatTimestamp, isScalar, rawValueAt, toCell } from '../columns.js';
import type { SyncFileEncoder } from './types.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function quoteCsvField(text: string): string {
  return NEEDS_QUOTES.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvCell(column: ColumnSpec, raw: unknown, nullValue: string): string {
  const cell = toCell(column, raw);
  if (cell === null) return nullValue;
  if (column.type === 'timestamp' && typeof cell === 'number') return quoteCsvField(formatTimestamp(cell));
  if (!isScalar(column.type)) return quoteCsvField(cellToJson(column.type, cell));
  return quoteCsvField(String(cell));
}

export function createCsvEncoder(
  columns: readonly ColumnSpec[],
  options: { nullValue?: string } = {},
): SyncFileEncoder {
  const nullValue = options.nullValue ?? '';
  let headerWritten = false;
  const header = (): string => {
    if (headerWritten) return '';
    headerWritten = true;
    return `${columns.map((c) => quoteCsvField(c.name)).join(',')}\r\n`;
  };
  return {
    heldBytes: 0,
    encode(records) {
      let text = header();
      for (const record of records) {
        text += `${columns.map((c) => csvCell(c, rawValueAt(record, c.path), nullValue)).join(',')}\r\n`;
      }
      return text === '' ? [] : [Buffer.from(text, 'utf8')];
    },
    finish() {
      const text = header();
      return text === '' ? [] : [Buffer.from(text, 'utf8')];
    },
  };
}
