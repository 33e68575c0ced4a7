/**
 * Time bounds as filter terms that push down. Okta timestamps have millisecond precision, so `x ≥ t` is the same set
 * as `x > t − 1 ms`: where an endpoint evaluates `gt` but not `ge` (groups `search`), the lower bound is written with
 * GREATER_THAN so it still pushes down.
 */
import { resolveField } from '../catalog/index.js';
import type { FieldDef, ObjectDef } from '../catalog/types.js';
import type { Filter } from '../query/filter.js';
import type { TimeWindow } from '../types.js';
import { ExtractRequestError } from './errors.js';

/** Parses an ISO-8601 instant to epoch ms; throws a request error naming `what` otherwise. */
export function instantMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  // Sub-millisecond digits are refused: bounds are exact only at Okta's millisecond precision.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(iso) || Number.isNaN(ms)) {
    throw new ExtractRequestError(
      `${what} "${iso}" is not an ISO-8601 date-time with at most milliseconds, such as 2024-01-01T00:00:00.000Z`,
    );
  }
  return ms;
}

/** Canonical Okta form: UTC with milliseconds. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

function boundField(def: ObjectDef, column: string): FieldDef {
  const field = resolveField(def, column);
  if (field === undefined) throw new ExtractRequestError(`${def.name} has no field "${column}" to bound by time`);
  return field;
}

function pushes(field: FieldDef, op: 'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL_TO'): boolean {
  return (field.pushDown[op]?.length ?? 0) > 0;
}

/** `column ≥ from` and/or `column < to` (half-open), as filter terms; empty when both ends are open. */
export function rangeTerms(def: ObjectDef, column: string, range: TimeWindow, what: string): Filter[] {
  const field = boundField(def, column);
  const terms: Filter[] = [];
  if (range.from !== undefined) {
    const ms = instantMs(range.from, `${what} start`);
    terms.push(
      !pushes(field, 'GREATER_THAN_OR_EQUAL_TO') && pushes(field, 'GREATER_THAN')
        ? { kind: 'compare', field: field.column, op: 'GREATER_THAN', value: isoMs(ms - 1) }
        : { kind: 'compare', field: field.column, op: 'GREATER_THAN_OR_EQUAL_TO', value: isoMs(ms) },
    );
  }
  if (range.to !== undefined) {
    const ms = instantMs(range.to, `${what} end`);
    terms.push({ kind: 'compare', field: field.column, op: 'LESS_THAN', value: isoMs(ms) });
  }
  if (range.from !== undefined && range.to !== undefined && Date.parse(range.from) > Date.parse(range.to)) {
    throw new ExtractRequestError(`${what} [${range.from}, ${range.to}) ends before it starts`);
  }
  return terms;
}

/** The column an extraction window bounds: the cursor, else `last_updated` (applied as a residual). */
export function windowColumn(def: ObjectDef): string {
  return def.cursorField ?? 'last_updated';
}

/** ANDs terms into one filter (null when there are none); nested ANDs are flattened into one. */
export function andAll(parts: readonly (Filter | null | undefined)[]): Filter | null {
  const children: Filter[] = [];
  for (const p of parts) {
    if (p === null || p === undefined) continue;
    if (p.kind === 'and') children.push(...p.children);
    else children.push(p);
  }
  if (children.length === 1) return children[0] ?? null;
  return children.length === 0 ? null : { kind: 'and', children };
}
