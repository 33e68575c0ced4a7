/**
 * The query planner: compiles a resolved filter into the best Okta list request for the object, plus the residual.
 *
 * Invariant: the request returns a SUPERSET of the records the filter matches, and the residual re-evaluates the
 * FULL filter on every record, so push-down narrows the scan but never changes the result. Consequences:
 * - Okta's case-insensitive `search` eq/co are fine (superset of okta-flow's case-sensitive eq/substring).
 * - A term Okta cannot evaluate becomes "true" in the pushed expression: dropped from an AND; an OR with such a term
 *   is not pushed at all. NOT is never pushed (the negation of a superset is a subset).
 * - Date literals go out with milliseconds (`"2024-01-01T00:00:00.000Z"`), rounded outward when the filter value has
 *   sub-millisecond digits; `>=`/`<=` fall back to `gt`/`lt` one millisecond wider where only those exist (groups).
 *   Date `=` becomes a closed range (`ge t and le t`, or the widened gt/lt form). `!=` on dates/numbers becomes
 *   `(lt or gt)`; on strings it stays residual (Okta has no reliable `ne`).
 * - Strings are double-quoted with `\` and `"` escaped, and the expression is URL-encoded.
 * Per object:
 * - User: `search` or `filter`, whichever pushes more terms (ties → `search`: more fields and operators, custom
 *   attributes; it is eventually consistent, index lag < 1 s, which the incremental overlap absorbs). With nothing to
 *   push, `search=status pr`, because Okta's default list hides DEPROVISIONED users and okta-flow returns every status.
 * - Group: `search` or `filter`, the same way. Device: `search` only. UserType: no parameters (client-side).
 * - LogEvent: `filter` eq on eventType, actor.id, outcome.result, severity, uuid; `contains` on the target.id list as
 *   `target.id eq` (any target); `starts with` / `contains` on eventType as `sw` / `co` (Okta's System Log filter
 *   takes every SCIM operator). The stream reader adds since/sortOrder (lambdas/okta/extract/log-stream.ts).
 * - Application: `filter` takes a single `eq`: the planner pushes one top-level `=` term (a `group_id`/`user_id`
 *   query parameter if present — it has to be pushed — else id, signing key id, name, status); the rest is residual.
 */
import { isQueryParameterField, resolveField } from '../catalog/index.js';
import type { FieldDef, FilterOperator, ObjectDef, PushDownTarget } from '../catalog/types.js';
import type { OktaQueryPlan, PlanFn } from '../extract/types.js';
import { compileResidual } from './evaluate.js';
import type { Filter, FilterValue } from './filter.js';
import { FilterValidationError } from './filter-validation-error.js';
import { formatInstant, type Instant, toInstant } from './instant.js';

// The planner implements the extraction engine's contract (one definition, in extract/types.ts).
export type { OktaQueryPlan, PlanFn };

/** A pushed expression and how many filter terms it carries. */
interface Pushed {
  readonly expr: string;
  readonly terms: number;
}

/** Longest pushed expression we send (URL-encoded); beyond it the request would risk 414/400 from Okta. */
const MAX_ENCODED_EXPRESSION = 6000;

/** Application `filter` preference when several `=` terms could go: most selective first. */
const APP_EQ_PREFERENCE = ['id', 'credentials_signing_kid', 'name', 'status'];

export function quoteOktaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function isTemporal(field: FieldDef): boolean {
  return field.type === 'DateTime' || field.type === 'Date';
}

function isNumeric(field: FieldDef): boolean {
  return field.type === 'Integer' || field.type === 'Long' || field.type === 'Double';
}

function dateLiteral(epochMs: number): string {
  return `"${formatInstant({ epochMs, subMs: '' })}"`;
}

/** Whole milliseconds at or before / at or after an instant. */
const floorMs = (t: Instant): number => t.epochMs;
const ceilMs = (t: Instant): number => t.epochMs + (t.subMs === '' ? 0 : 1);

class Translator {
  constructor(
    private readonly def: ObjectDef,
    private readonly target: PushDownTarget,
  ) {}

  private field(name: string): FieldDef | undefined {
    return resolveField(this.def, name);
  }

  private can(field: FieldDef, op: FilterOperator): boolean {
    return field.pushDown[op]?.includes(this.target) ?? false;
  }

  private attr(field: FieldDef): string {
    return field.path.join('.');
  }

  /** `attr eq value` for a non-null value, or null when that cannot be a superset. */
  eq(field: FieldDef, value: FilterValue, op: FilterOperator = 'EQUAL_TO'): string | null {
    if (value === null) return null;
    if (isTemporal(field)) {
      // Date equality as a closed range: Okta's groups search has gt/lt but no eq on dates, and a range is exact.
      const lower = this.bound(field, value, 'lower', false);
      const upper = this.bound(field, value, 'upper', false);
      if (lower !== null && upper !== null) return `${lower} and ${upper}`;
      const t = toInstant(value);
      return t === null || !this.can(field, op) ? null : `${this.attr(field)} eq ${dateLiteral(floorMs(t))}`;
    }
    if (!this.can(field, op)) return null;
    if (typeof value === 'string') {
      // Okta may reject or mis-handle an empty literal; an empty string is rare enough to leave to the residual.
      return value === '' ? null : `${this.attr(field)} eq ${quoteOktaString(value)}`;
    }
    if (typeof value === 'boolean' && field.type === 'Boolean') return `${this.attr(field)} eq ${value}`;
    if (typeof value === 'number' && isNumeric(field)) return `${this.attr(field)} eq ${value}`;
    return null;
  }

  /** A one-sided range `attr > v`, `attr >= v`, `attr < v` or `attr <= v`, widened outward when needed. */
  private bound(field: FieldDef, value: FilterValue, side: 'lower' | 'upper', strict: boolean): string | null {
    if (value === null) return null;
    const attr = this.attr(field);
    const GT = this.can(field, 'GREATER_THAN');
    const GE = this.can(field, 'GREATER_THAN_OR_EQUAL_TO');
    const LT = this.can(field, 'LESS_THAN');
    const LE = this.can(field, 'LESS_THAN_OR_EQUAL_TO');
    if (isTemporal(field)) {
      const t = toInstant(value);
      if (t === null) return null;
      if (side === 'lower') {
        const ms = floorMs(t);
        if (strict) return GT ? `${attr} gt ${dateLiteral(ms)}` : GE ? `${attr} ge ${dateLiteral(ms)}` : null;
        return GE ? `${attr} ge ${dateLiteral(ms)}` : GT ? `${attr} gt ${dateLiteral(ms - 1)}` : null;
      }
      const ms = ceilMs(t);
      if (strict) return LT ? `${attr} lt ${dateLiteral(ms)}` : LE ? `${attr} le ${dateLiteral(ms)}` : null;
      return LE ? `${attr} le ${dateLiteral(ms)}` : LT ? `${attr} lt ${dateLiteral(ms + 1)}` : null;
    }
    if (isNumeric(field) && typeof value === 'number') {
      if (side === 'lower') {
        if (strict) return GT ? `${attr} gt ${value}` : GE ? `${attr} ge ${value}` : null;
        return GE ? `${attr} ge ${value}` : null;
      }
      if (strict) return LT ? `${attr} lt ${value}` : LE ? `${attr} le ${value}` : null;
      return LE ? `${attr} le ${value}` : null;
    }
    // Okta compares strings case-insensitively: a string range pushed down would not be a superset.
    return null;
  }

  private leaf(expr: string | null): Pushed | null {
    return expr === null ? null : { expr, terms: 1 };
  }

  translate(filter: Filter): Pushed | null {
    switch (filter.kind) {
      case 'and': {
        const parts = filter.children.map((c) => this.translate(c)).filter((p): p is Pushed => p !== null);
        if (parts.length === 0) return null;
        if (parts.length === 1) return parts[0] ?? null;
        return { expr: parts.map((p) => p.expr).join(' and '), terms: parts.reduce((n, p) => n + p.terms, 0) };
      }
      case 'or': {
        const parts = filter.children.map((c) => this.translate(c));
        if (parts.length === 0 || parts.some((p) => p === null)) return null;
        const pushed = parts as Pushed[];
        if (pushed.length === 1) return pushed[0] ?? null;
        const branches = pushed.map((p) =>
          p.expr.includes(' and ') && !p.expr.startsWith('(') ? `(${p.expr})` : p.expr,
        );
        return { expr: `(${branches.join(' or ')})`, terms: pushed.reduce((n, p) => n + p.terms, 0) };
      }
      case 'not':
        return null;
      case 'compare': {
        const field = this.field(filter.field);
        if (field === undefined) return null;
        switch (filter.op) {
          case 'EQUAL_TO':
            return this.leaf(this.eq(field, filter.value));
          case 'NOT_EQUAL_TO': {
            if (!isTemporal(field) && !isNumeric(field)) return null;
            const below = this.bound(field, filter.value, 'upper', true);
            const above = this.bound(field, filter.value, 'lower', true);
            return below === null || above === null ? null : { expr: `(${below} or ${above})`, terms: 1 };
          }
          case 'GREATER_THAN':
            return this.leaf(this.bound(field, filter.value, 'lower', true));
          case 'GREATER_THAN_OR_EQUAL_TO':
            return this.leaf(this.bound(field, filter.value, 'lower', false));
          case 'LESS_THAN':
            return this.leaf(this.bound(field, filter.value, 'upper', true));
          case 'LESS_THAN_OR_EQUAL_TO':
            return this.leaf(this.bound(field, filter.value, 'upper', false));
        }
        return null;
      }
      case 'between': {
        const field = this.field(filter.field);
        if (field === undefined) return null;
        const parts = [
          this.bound(field, filter.low, 'lower', false),
          this.bound(field, filter.high, 'upper', false),
        ].filter((p): p is string => p !== null);
        return parts.length === 0 ? null : { expr: parts.join(' and '), terms: 1 };
      }
      case 'contains': {
        const field = this.field(filter.field);
        if (field === undefined || !this.can(field, 'CONTAINS')) return null;
        if (typeof filter.value !== 'string' || filter.value === '') return null;
        // A list of strings (LogEvent target.id): Okta's `eq` on a list attribute matches any element.
        if (field.type === 'List' && field.items === 'String') {
          return this.leaf(`${this.attr(field)} eq ${quoteOktaString(filter.value)}`);
        }
        if (field.type !== 'String') return null;
        return this.leaf(`${this.attr(field)} co ${quoteOktaString(filter.value)}`);
      }
      case 'startsWith': {
        const field = this.field(filter.field);
        if (field === undefined || field.type !== 'String' || !this.can(field, 'STARTS_WITH')) return null;
        return filter.value === '' ? null : this.leaf(`${this.attr(field)} sw ${quoteOktaString(filter.value)}`);
      }
      case 'in': {
        const field = this.field(filter.field);
        if (field === undefined) return null;
        const parts = filter.values.map((v) => {
          const expr = this.eq(field, v, 'IN');
          return expr !== null && filter.values.length > 1 && expr.includes(' and ') ? `(${expr})` : expr;
        });
        if (parts.length === 0 || parts.some((p) => p === null)) return null;
        return { expr: parts.length === 1 ? (parts[0] as string) : `(${parts.join(' or ')})`, terms: 1 };
      }
    }
  }
}

/** The top-level AND terms of a filter (nested ANDs flattened). */
function conjuncts(filter: Filter): Filter[] {
  return filter.kind === 'and' ? filter.children.flatMap(conjuncts) : [filter];
}

/** Every field name a filter mentions, with whether it is a top-level AND term. */
function mentions(filter: Filter, topLevel: boolean, out: { field: string; topLevel: boolean }[]): void {
  switch (filter.kind) {
    case 'and':
      for (const c of filter.children) mentions(c, topLevel, out);
      return;
    case 'or':
      for (const c of filter.children) mentions(c, false, out);
      return;
    case 'not':
      mentions(filter.child, false, out);
      return;
    default:
      out.push({ field: filter.field, topLevel });
  }
}

/** Apps: one `eq` expression at most (Okta's apps filter takes a single expression). */
function planApplicationFilter(def: ObjectDef, filter: Filter): Pushed | null {
  const translator = new Translator(def, 'filter');
  const found: { field: string; topLevel: boolean }[] = [];
  mentions(filter, true, found);
  const queryParams = found.filter((m) => {
    const field = resolveField(def, m.field);
    return field !== undefined && isQueryParameterField(def, field);
  });
  const misplaced = queryParams.find((m) => !m.topLevel) ?? (queryParams.length > 1 ? queryParams[1] : undefined);
  if (misplaced !== undefined) {
    throw new FilterValidationError(
      `Field '${misplaced.field}' (Application) is an Okta query parameter: use it once, as a top-level AND term`,
      { object: def.name, field: misplaced.field, operator: 'EQUAL_TO', allowed: ['EQUAL_TO'] },
    );
  }
  const candidates: { rank: number; expr: string }[] = [];
  for (const term of conjuncts(filter)) {
    const single =
      term.kind === 'compare' && term.op === 'EQUAL_TO'
        ? term
        : term.kind === 'in' && term.values.length === 1
          ? { field: term.field, value: term.values[0] ?? null }
          : null;
    if (single === null) continue;
    const field = resolveField(def, single.field);
    if (field === undefined) continue;
    const expr = translator.eq(field, single.value);
    if (expr === null) continue;
    const preference = APP_EQ_PREFERENCE.indexOf(field.column);
    const rank = isQueryParameterField(def, field) ? -1 : preference === -1 ? APP_EQ_PREFERENCE.length : preference;
    candidates.push({ rank, expr });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const best = candidates[0];
  if (best === undefined && queryParams.length > 0) {
    throw new FilterValidationError(
      `Field '${queryParams[0]?.field}' (Application) must be compared with '=' to a non-empty id`,
      { object: def.name, field: queryParams[0]?.field ?? '', operator: 'EQUAL_TO', allowed: ['EQUAL_TO'] },
    );
  }
  return best === undefined ? null : { expr: best.expr, terms: 1 };
}

function choosePushDown(def: ObjectDef, filter: Filter | null): { target: PushDownTarget; pushed: Pushed } | null {
  if (filter === null) return null;
  if (def.name === 'Application') {
    const pushed = planApplicationFilter(def, filter);
    return pushed === null ? null : { target: 'filter', pushed };
  }
  let best: { target: PushDownTarget; pushed: Pushed } | null = null;
  for (const target of ['search', 'filter'] as const) {
    const pushed = new Translator(def, target).translate(filter);
    if (pushed === null || encodeURIComponent(pushed.expr).length > MAX_ENCODED_EXPRESSION) continue;
    if (best === null || pushed.terms > best.pushed.terms) best = { target, pushed };
  }
  return best;
}

function countTerms(filter: Filter | null): number {
  if (filter === null) return 0;
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.reduce((n, c) => n + countTerms(c), 0);
    case 'not':
      return countTerms(filter.child);
    default:
      return 1;
  }
}

/** Compiles a resolved filter into an Okta list request plus the residual predicate (always the full filter). */
export const planQuery: PlanFn = (def, filter, options) => {
  const params: string[] = [];
  const notes: string[] = [];
  const chosen = choosePushDown(def, filter);
  if (chosen !== null) {
    params.push(`${chosen.target}=${encodeURIComponent(chosen.pushed.expr)}`);
    notes.push(`${chosen.target} \`${chosen.pushed.expr}\` (${chosen.pushed.terms} of ${countTerms(filter)} terms)`);
    if (chosen.target === 'search') notes.push('search is eventually consistent');
  } else if (def.name === 'User') {
    // Okta's default user list hides DEPROVISIONED users; `status pr` (status present) returns every status.
    params.push(`search=${encodeURIComponent('status pr')}`);
    notes.push('search `status pr` (every status, DEPROVISIONED included)');
  } else {
    notes.push('no push-down');
  }
  const limit = options?.pageLimit ?? def.pageLimit;
  if (limit !== null) params.push(`limit=${limit}`);
  const path = params.length === 0 ? def.listPath : `${def.listPath}?${params.join('&')}`;
  const residual = filter === null ? 'none' : 'the full filter re-checked on every record';
  return {
    path,
    residual: compileResidual(filter, def),
    description: `${def.name}: GET ${path} — ${notes.join('; ')}; residual: ${residual}`,
  };
};
