/**
 * `extract`: every record of one Okta object that matches a filter, one Okta page per yield.
 *
 * - Backpressure and constant memory: the next page is fetched only when the consumer asks for it; nothing is
 *   buffered beyond the page in hand.
 * - The window `[from, to)` on the cursor and the slice range are ANDed into the filter, so they push down.
 * - After every page a `Continuation` (the next page's path + query, counts) lets a later invocation resume exactly
 *   there: no record twice, none lost (Okta's `after` cursor is positional on the sort key).
 * - Errors are not swallowed: an `OktaApiError` from the client (404 E0000007 when the listed resource vanished,
 *   403 on a missing scope, …) propagates out of the generator unchanged; the last continuation yielded before it
 *   is still valid, so the caller decides whether to retry, resume, skip or fail.
 * - Each record once: every record Okta returns is keyed (`recordKey`) BEFORE the residual filter; a record without
 *   its key is an `OktaRecordError` (never invented, never silently dropped by the residual). A key already read in
 *   this scan (`deps.seen`, which the runner carries across invocations) is a duplicate: dropped and counted. A
 *   non-empty page that brings no new key is a content loop (fresh cursors, same records) and an
 *   `OktaPaginationError`.
 * - Cursor fields are validated: when a window or a slice bounds the scan, every record's bounding field must read
 *   as an ISO-8601 instant, or the run fails with `OktaRecordError` instead of the residual dropping the record.
 */
import { createHash } from 'node:crypto';
import { defaultFields, getValue, recordKey, resolveField } from '../catalog/index.js';
import type { FieldDef, ObjectDef } from '../catalog/types.js';
import { OktaPaginationError, OktaRecordError } from '../errors.js';
import type { Filter } from '../query/filter.js';
import { parseIsoDateTime } from '../query/instant.js';
import { resolveFilter } from '../query/resolve-filter.js';
import type { OktaRecord, TimeWindow } from '../types.js';
import { andAll, rangeTerms, windowColumn } from './bounds.js';
import { ContinuationMismatchError, ExtractRequestError } from './errors.js';
import { KeySet } from './key-set.js';
import { compileProjection } from './projection.js';
import type { Continuation, ExtractDeps, ExtractPage, ExtractRequest, Slice } from './types.js';

/** The catalog fields a request selects (default: every non-sensitive field). */
export function selectFields(def: ObjectDef, names: readonly string[] | undefined): FieldDef[] {
  if (names === undefined) return defaultFields(def);
  const out: FieldDef[] = [];
  for (const name of names) {
    const field = resolveField(def, name);
    if (field === undefined) {
      throw new ExtractRequestError(
        `Unknown field "${name}" for ${def.name}. Known columns: ${def.fields.map((f) => f.column).join(', ')}`,
      );
    }
    if (!out.includes(field)) out.push(field);
  }
  return out;
}

/**
 * The request filter, resolved against the catalog (names → columns, operators and values checked; throws
 * `FilterValidationError`), with the window and slice ranges ANDed in: what the planner sees.
 */
export function effectiveFilter(
  def: ObjectDef,
  filter: Filter | null | undefined,
  window: TimeWindow | undefined,
  slice: Slice | undefined,
): Filter | null {
  if (slice !== undefined && !def.sliceFields.includes(slice.field)) {
    throw new ExtractRequestError(
      `${def.name} cannot be sliced on "${slice.field}"; slice fields: ${def.sliceFields.join(', ') || 'none'}`,
    );
  }
  return andAll([
    filter === null || filter === undefined ? null : resolveFilter(filter, def, resolveField),
    ...(window === undefined ? [] : rangeTerms(def, windowColumn(def), window, 'window')),
    ...(slice === undefined ? [] : rangeTerms(def, slice.field, slice, `slice ${slice.id}`)),
  ]);
}

/** A short fingerprint of the request filter (not of window/slice, which the continuation carries itself). */
export function filterHash(filter: Filter | null | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(filter ?? null))
    .digest('hex')
    .slice(0, 16);
}

/** Two windows (or slices) cover the same range; absent bounds are equal. */
export function sameRange(a: TimeWindow | null | undefined, b: TimeWindow | null | undefined): boolean {
  return (a?.from ?? null) === (b?.from ?? null) && (a?.to ?? null) === (b?.to ?? null);
}

function checkContinuation(def: ObjectDef, request: ExtractRequest, hash: string, c: Continuation): void {
  const problems: string[] = [];
  if (c.v !== 1) problems.push(`version ${String(c.v)} (expected 1)`);
  if (c.object !== def.name) problems.push(`object ${c.object} (expected ${def.name})`);
  if (c.filterHash !== hash) problems.push('a different filter');
  if (!sameRange(c.window, request.window)) problems.push('a different window');
  if ((c.slice?.field ?? null) !== (request.slice?.field ?? null) || !sameRange(c.slice, request.slice)) {
    problems.push('a different slice');
  }
  if (typeof c.next !== 'string' || !c.next.startsWith('/')) problems.push('a next page that is not a path');
  if (problems.length > 0) {
    throw new ContinuationMismatchError(
      `Cannot resume ${def.name}: the continuation belongs to another scan (${problems.join(', ')}). ` +
        'Start the scan again without resumeFrom.',
    );
  }
}

/** The next page URL as path + query on the org origin; refuses any other origin. */
export function relativeNext(nextUrl: string, origin: string): string {
  const url = new URL(nextUrl, origin);
  if (url.origin !== new URL(origin).origin) {
    throw new ExtractRequestError(`Okta returned a next link on another origin (${url.origin}); refusing to follow`);
  }
  return `${url.pathname}${url.search}`;
}

export async function* extract(
  def: ObjectDef,
  request: ExtractRequest,
  deps: ExtractDeps,
): AsyncGenerator<ExtractPage, void, undefined> {
  const project = compileProjection(def, selectFields(def, request.fields));
  const filter = effectiveFilter(def, request.filter, request.window, request.slice);
  const pageLimit = request.pageLimit ?? def.pageLimit ?? undefined;
  const plan = deps.plan(def, filter, pageLimit === undefined ? {} : { pageLimit });
  const hash = filterHash(request.filter);
  const resume = request.resumeFrom ?? null;
  if (resume !== null) {
    checkContinuation(def, request, hash, resume);
    // A continuation only ever continues this object's listing, never another endpoint.
    const origin = deps.api.origin;
    if (new URL(resume.next, origin).pathname !== new URL(plan.path, origin).pathname) {
      throw new ContinuationMismatchError(
        `Cannot resume ${def.name}: the continuation's next page is not on ${def.listPath}. Start the scan again.`,
      );
    }
  }

  let pages = resume?.pages ?? 0;
  let scanned = resume?.scanned ?? 0;
  let emitted = resume?.records ?? 0;
  let duplicates = 0;
  const seen = deps.seen ?? new KeySet();
  const check = recordChecks(def, request);
  const start = resume?.next ?? plan.path;
  const signal = deps.signal;
  for await (const page of deps.api.paginate(
    start,
    signal === undefined ? { readAhead: true } : { signal, readAhead: true },
  )) {
    signal?.throwIfAborted();
    const records = [];
    let fresh = 0;
    for (const item of page.items) {
      const key = check(item);
      if (!seen.add(key)) continue;
      fresh++;
      if (plan.residual(item)) records.push(project(item));
    }
    const repeated = page.items.length - fresh;
    if (page.items.length > 0 && fresh === 0) {
      throw new OktaPaginationError({
        reason: 'content-loop',
        url: new URL(page.url).pathname,
        detail:
          `all ${page.items.length} records of this page were already read in this scan: Okta is repeating ` +
          'content under new cursors (a pagination loop). Nothing is committed; re-run the flow.',
      });
    }
    pages += 1;
    scanned += page.items.length;
    emitted += records.length;
    duplicates += repeated;
    const continuation: Continuation | null =
      page.nextUrl === null
        ? null
        : {
            v: 1,
            object: def.name,
            slice: request.slice ?? null,
            window: request.window ?? null,
            filterHash: hash,
            next: relativeNext(page.nextUrl, deps.api.origin),
            pages,
            scanned,
            records: emitted,
          };
    yield { records, continuation, duplicates: repeated, totals: { pages, scanned, records: emitted, duplicates } };
  }
}

/**
 * The checks every record passes before the residual: it has its primary key (returned), and, when a window or a
 * slice bounds the scan, its bounding fields read as instants.
 */
function recordChecks(def: ObjectDef, request: ExtractRequest): (record: OktaRecord) => string {
  const bounded: FieldDef[] = [];
  const add = (column: string) => {
    const field = resolveField(def, column);
    if (field !== undefined && !bounded.includes(field)) bounded.push(field);
  };
  if (request.window !== undefined) add(windowColumn(def));
  if (request.slice !== undefined) add(request.slice.field);
  return (record) => {
    const key = recordKey(def, record);
    const rawId = (record as { id?: unknown }).id;
    const id = typeof rawId === 'string' && rawId !== '' ? rawId : undefined;
    if (key === undefined) {
      const field = def.primaryKey.join(' + ');
      throw new OktaRecordError({
        object: def.name,
        recordId: id,
        field,
        value: def.primaryKey.length === 1 ? getValue(record, keyField(def)) : undefined,
        problem: `has no usable primary key (${field})`,
      });
    }
    for (const field of bounded) {
      const value = getValue(record, field);
      if (typeof value !== 'string' || parseIsoDateTime(value) === null) {
        throw new OktaRecordError({
          object: def.name,
          recordId: id ?? key,
          field: field.path.join('.'),
          value,
          problem: 'has a time the scan is bounded by that is not an ISO-8601 instant',
        });
      }
    }
    return key;
  };
}

function keyField(def: ObjectDef): FieldDef {
  const field = def.fields.find((f) => f.column === def.primaryKey[0]);
  if (field === undefined) throw new Error(`catalog bug: ${def.name} has no key field`);
  return field;
}

/** Convenience: the records of `extract`, one at a time (continuations dropped). */
export async function* extractRecords(
  def: ObjectDef,
  request: ExtractRequest,
  deps: ExtractDeps,
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  for await (const page of extract(def, request, deps)) yield* page.records;
}
