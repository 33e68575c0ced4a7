/**
 * The `since` of a one-off System Log read (AppFlow QueryData) from its filter: the lower bound a top-level AND term
 * puts on the stream's time field (`published > t`, `>= t`, `between t and …`), within the 90-day retention; without
 * one, the whole retention. `published` cannot be filtered on in Okta, but polling's `since` bounds persistence time,
 * and an event is persisted at or after it is published: `since = t` returns a superset, the residual decides.
 */
import { resolveField, streamSourceOf } from '../catalog/index.js';
import type { ObjectDef } from '../catalog/types.js';
import type { Filter } from '../query/filter.js';
import { retentionFloor } from './log-stream.js';

export function streamSince(def: ObjectDef, filter: Filter | null, now: number): string {
  const floor = retentionFloor(now);
  const source = streamSourceOf(def);
  const bound = source === null || filter === null ? null : lowerBound(def, filter, source.timeField);
  return new Date(Math.max(floor, bound ?? floor)).toISOString();
}

function lowerBound(def: ObjectDef, filter: Filter, column: string): number | null {
  const terms = filter.kind === 'and' ? filter.children : [filter];
  let best: number | null = null;
  const consider = (field: string, value: unknown) => {
    if (resolveField(def, field)?.column !== column) return;
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms)) best = best === null ? ms : Math.max(best, ms);
  };
  for (const term of terms) {
    if (term.kind === 'and') {
      const inner = lowerBound(def, term, column);
      if (inner !== null) best = best === null ? inner : Math.max(best, inner);
    } else if (term.kind === 'compare' && (term.op === 'GREATER_THAN' || term.op === 'GREATER_THAN_OR_EQUAL_TO')) {
      consider(term.field, term.value);
    } else if (term.kind === 'compare' && term.op === 'EQUAL_TO') {
      consider(term.field, term.value);
    } else if (term.kind === 'between') {
      consider(term.field, term.low);
    }
  }
  return best;
}
