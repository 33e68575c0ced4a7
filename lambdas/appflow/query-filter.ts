/**
 * QueryData's `filterExpression` → okta-flow's Filter. An absent or blank expression means "no filter" (the parser
 * itself treats blank as a syntax error). Incremental flows send timestamp terms on the field marked
 * `isTimestampFieldForIncrementalQueries`; all forms keep boundary records:
 * - `F > t`, `F >= t`, `F > a and F <= b` mean exactly what they say;
 * - `F between a and b` is INCLUSIVE at both ends (the SDK samples treat it as exclusive): consecutive windows that
 *   share a bound may both return a record stamped exactly on it — a duplicate by primary key, never a loss.
 * Epoch numbers on date fields: milliseconds, except values below 10^11 (before 1973 as milliseconds), which can only
 * be epoch seconds for an Okta timestamp and are scaled to milliseconds.
 */
import { resolveField } from '../okta/catalog/index.js';
import type { ObjectDef } from '../okta/catalog/types.js';
import type { Filter, FilterValue, ParsedFilterExpression } from '../okta/query/filter.js';
import { parseFilterExpression } from '../okta/query/parse-filter-expression.js';

/** Epoch values below this are seconds (10^11 ms is March 1973; 10^11 s is the year 5138). */
const EPOCH_SECONDS_BELOW = 1e11;

export function parseQueryFilter(expression: string | null | undefined, def: ObjectDef): ParsedFilterExpression {
  if (expression === null || expression === undefined || expression.trim() === '') return { filter: null, limit: null };
  const parsed = parseFilterExpression(expression);
  return { filter: parsed.filter === null ? null : scaleEpochSeconds(parsed.filter, def), limit: parsed.limit };
}

function scale(value: FilterValue): FilterValue {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < EPOCH_SECONDS_BELOW
    ? value * 1000
    : value;
}

function isTemporal(def: ObjectDef, name: string): boolean {
  const type = resolveField(def, name)?.type;
  return type === 'DateTime' || type === 'Date';
}

function scaleEpochSeconds(filter: Filter, def: ObjectDef): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return { kind: filter.kind, children: filter.children.map((c) => scaleEpochSeconds(c, def)) };
    case 'not':
      return { kind: 'not', child: scaleEpochSeconds(filter.child, def) };
    case 'compare':
      return isTemporal(def, filter.field) ? { ...filter, value: scale(filter.value) } : filter;
    case 'between':
      return isTemporal(def, filter.field) ? { ...filter, low: scale(filter.low), high: scale(filter.high) } : filter;
    case 'in':
      return isTemporal(def, filter.field) ? { ...filter, values: filter.values.map(scale) } : filter;
    case 'contains':
    case 'startsWith':
      return filter;
  }
}
