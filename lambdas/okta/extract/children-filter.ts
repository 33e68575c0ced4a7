/**
 * A relation's filter, split for the parent scan: the terms that only name parent columns (`group_id`, `group_type`,
 * the cursor `group_last_membership_updated`) become the parent object's filter, renamed to its columns (`id`,
 * `type`, `last_membership_updated`), so only matching parents are listed. It is a superset by construction: a term
 * that names any child column is left out (true), an OR is kept only when every branch is a parent term. The whole
 * filter still runs as the residual on every child record.
 */
import type { ChildrenSource } from '../catalog/types.js';
import type { Filter, FilterValue } from '../query/filter.js';
import { andAll } from './bounds.js';

function fieldsOf(filter: Filter): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.flatMap(fieldsOf);
    case 'not':
      return fieldsOf(filter.child);
    default:
      return [filter.field];
  }
}

function rename(filter: Filter, map: Readonly<Record<string, string>>): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return { kind: filter.kind, children: filter.children.map((c) => rename(c, map)) };
    case 'not':
      return { kind: 'not', child: rename(filter.child, map) };
    default:
      return { ...filter, field: map[filter.field] ?? filter.field };
  }
}

/** The parent scan's filter (parent columns), or null when no term is about the parent alone. */
export function parentFilter(source: ChildrenSource, filter: Filter | null): Filter | null {
  if (filter === null) return null;
  const terms = filter.kind === 'and' ? filter.children : [filter];
  const kept = terms.filter((t) => fieldsOf(t).every((f) => Object.hasOwn(source.parentFields, f)));
  return andAll(kept.map((t) => rename(t, source.parentFields)));
}

/**
 * The parent ids a parent filter names and nothing else (`id = x`, `id IN (x, y)`, ANDed with nothing else), or
 * null when it says more than ids (then the parents are listed with the filter).
 */
export function namedParentIds(filter: Filter | null): string[] | null {
  if (filter === null) return null;
  const strings = (values: readonly FilterValue[]): string[] | null =>
    values.every((v): v is string => typeof v === 'string') ? [...new Set(values)] : null;
  if (filter.kind === 'compare' && filter.field === 'id' && filter.op === 'EQUAL_TO') return strings([filter.value]);
  if (filter.kind === 'in' && filter.field === 'id') return strings(filter.values);
  return null;
}

/** True when the parent filter names parents: a top-level EQUAL_TO or IN term (for per-parent-cost objects). */
export function namesParents(filter: Filter | null): boolean {
  if (filter === null) return false;
  const terms = filter.kind === 'and' ? filter.children : [filter];
  return terms.some((t) => t.kind === 'in' || (t.kind === 'compare' && t.op === 'EQUAL_TO'));
}
