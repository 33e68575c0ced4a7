/**
 * Per-flow compiled cell readers: for each output column, one function from a record to its normalized cell,
 * built once per encoder instead of walking `column.path` and switching on the type for every cell. The common
 * case of each type (a string in a string column, Okta's fixed ISO text in a timestamp column, …) is handled
 * inline; everything else goes through `toCell`, so results and errors are exactly `toCell(column, rawValueAt(…))`.
 */

import type { OktaRecord } from '../okta/types.js';
import { type Cell, type ColumnSpec, rawValueAt, toCell } from './columns.js';
import { parseIsoMillis } from './iso-timestamp.js';

export type RawReader = (record: OktaRecord) => unknown;
export type CellReader = (record: OktaRecord) => Cell;

function step(value: unknown, key: string): unknown {
  return value === null || typeof value !== 'object' || Array.isArray(value)
    ? undefined
    : (value as Record<string, unknown>)[key];
}

/** A reader of the raw value at a fixed path; same answer as `rawValueAt(record, path)`. */
export function compileRawReader(path: readonly string[]): RawReader {
  const [a, b, c] = path;
  if (path.length === 1 && a !== undefined) return (r) => step(r, a);
  if (path.length === 2 && a !== undefined && b !== undefined) return (r) => step(step(r, a), b);
  if (path.length === 3 && a !== undefined && b !== undefined && c !== undefined)
    return (r) => step(step(step(r, a), b), c);
  const fixed = [...path];
  return (r) => rawValueAt(r, fixed);
}

/** A reader of the normalized cell of one column; same answer (and errors) as `toCell(column, rawValueAt(…))`. */
export function compileCellReader(column: ColumnSpec): CellReader {
  const raw = compileRawReader(column.path);
  const slow: CellReader = (r) => toCell(column, raw(r));
  switch (column.type) {
    case 'string':
      return (r) => {
        const v = raw(r);
        if (v === undefined || v === null) return null;
        return typeof v === 'string' ? v : toCell(column, v);
      };
    case 'timestamp':
      return (r) => {
        const v = raw(r);
        if (v === undefined || v === null) return null;
        if (typeof v === 'string') {
          const ms = parseIsoMillis(v);
          if (!Number.isNaN(ms)) return ms;
        }
        return toCell(column, v);
      };
    case 'boolean':
      return (r) => {
        const v = raw(r);
        if (v === undefined || v === null) return null;
        return typeof v === 'boolean' ? v : toCell(column, v);
      };
    case 'double':
      return (r) => {
        const v = raw(r);
        if (v === undefined || v === null) return null;
        return typeof v === 'number' ? v : toCell(column, v);
      };
    case 'json':
      return (r) => {
        const v = raw(r);
        return v === undefined || v === null ? null : JSON.stringify(v);
      };
    default:
      return slow;
  }
}
