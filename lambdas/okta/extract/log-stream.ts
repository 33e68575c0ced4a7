/**
 * The System Log as a stream: `extractLogStream` reads `/api/v1/logs` with Okta's polling requests only (`since`, no
 * `until`, `sortOrder=ASCENDING`, `limit` ≤ 1000). Polling requests filter and order on persistence time, so an event
 * stored late (published in the past) comes after the cursor instead of being skipped, and every page has a `next`
 * link, even an empty one: that link is the stream's cursor.
 *
 * - `after` only ever comes from Okta's `next` link; okta-flow never builds one. A run starts from the cursor the last
 *   committed run persisted (`request.cursor`), or, on the first run, at `since` (≤ 90 days ago).
 * - The stream ends for this run when a page is empty or the cursor stands still (`next` equals the page itself):
 *   the page's `next` (or the page) is the cursor the next run starts from (`LogStreamPage.cursor`), committed with
 *   the run, never before.
 * - Exactly once: events are keyed by `uuid` before the residual; a uuid already read (this run, earlier invocations,
 *   and the tail of the last committed run the caller seeds into `deps.seen`) is dropped and counted. Okta repeating
 *   events under fresh cursors more than `MAX_STALE_PAGES` pages in a row is a content loop (`OktaPaginationError`).
 * - A page without `next` (which polling never does; a proxy may drop the Link header) ends the run with the page
 *   itself as the cursor: the next run reads it again and drops its events by uuid (`LogStreamPage.tail`). A full
 *   page without `next` cannot be verified (events have no id to page after) and fails in the client.
 * - A stored next link keeps the first run's `since`; once that is older than the retention it is raised to the
 *   retention's start (`freshSince`), so the stream does not hit Okta's 180-day limit on `since` (E0000053).
 * - A run that finds nothing new costs one request: the first page is empty, and nothing is yielded but that page.
 * - One page of read-ahead: while the consumer works on a page that does not end the stream, the next is fetched.
 */
import { recordKey, resolveField, streamSourceOf } from '../catalog/index.js';
import type { ObjectDef } from '../catalog/types.js';
import { OktaPaginationError, OktaRecordError } from '../errors.js';
import type { Filter } from '../query/filter.js';
import { parseIsoDateTime } from '../query/instant.js';
import { resolveFilter } from '../query/resolve-filter.js';
import type { OktaRecord } from '../types.js';
import { ContinuationMismatchError, ExtractRequestError } from './errors.js';
import { filterHash, relativeNext, selectFields } from './extract.js';
import { KeySet } from './key-set.js';
import { LogStreamStartError } from './log-stream-errors.js';
import { compileProjection } from './projection.js';
import type { Continuation, ExtractDeps, ExtractPage } from './types.js';

const DAY_MS = 86_400_000;
/** Okta keeps 90 days of System Log events. */
export const LOG_RETENTION_MS = 90 * DAY_MS;

/**
 * The oldest instant a request made now may ask for: the start of the retention plus a minute, so it is still
 * inside when Okta answers.
 */
export function retentionFloor(now: number): number {
  return now - LOG_RETENTION_MS + 60_000;
}
/** Okta refuses `since` older than this (400 E0000053). */
export const LOG_MAX_SINCE_AGE_MS = 180 * DAY_MS;
/** Okta's largest System Log page. */
export const LOG_MAX_PAGE_LIMIT = 1000;
/** Pages in a row that bring only events already read before the stream is declared a content loop. */
export const MAX_STALE_PAGES = 3;
/** uuids of the last page remembered with the cursor (the page a re-read could repeat). */
export const MAX_TAIL = LOG_MAX_PAGE_LIMIT;

export interface LogStreamRequest {
  /** Columns, aliases or labels; default: every field. `uuid` is always kept. */
  readonly fields?: readonly string[];
  readonly filter?: Filter | null;
  /** The `next` link (path + query) persisted by the last committed run; null/absent: start at `since`. */
  readonly cursor?: string | null;
  /** First run: the instant (ISO-8601) events are read from, within the 90-day retention. */
  readonly since?: string;
  /** Resume within a run (a later invocation of the same task). */
  readonly resumeFrom?: Continuation | null;
  /** Page size (default and maximum 1000). */
  readonly pageLimit?: number;
  /** Now (ms since the epoch): `since` is checked against the retention at this time. */
  readonly now: number;
}

export interface LogStreamPage extends ExtractPage {
  /** Where the next run starts once everything read so far is committed: a `next` link (path + query). */
  readonly cursor: string;
  /** uuids of the last non-empty page read so far (≤ MAX_TAIL): seed them into the next run's dedupe. */
  readonly tail: readonly string[];
}

/** `since` of a first run, checked: within the 90-day retention, never in the future. */
export function checkStreamStart(since: string, now: number, what = 'firstExecutionFrom'): number {
  const at = parseIsoDateTime(since);
  if (at === null) {
    throw new LogStreamStartError(`${what} ${JSON.stringify(since)} is not an ISO-8601 date-time`);
  }
  const ms = at.epochMs;
  if (ms < now - LOG_RETENTION_MS) {
    const days = Math.floor((now - ms) / DAY_MS);
    throw new LogStreamStartError(
      `${what} ${since} is ${days} days ago: Okta keeps System Log events for 90 days, so older events are gone` +
        (now - ms > LOG_MAX_SINCE_AGE_MS ? ', and Okta refuses a since older than 180 days (400 E0000053)' : '') +
        `. Set ${what} to within the last 90 days (e.g. ${new Date(now - 30 * DAY_MS).toISOString()}).`,
    );
  }
  if (ms > now) throw new LogStreamStartError(`${what} ${since} is in the future; set it to a past instant`);
  return ms;
}

/** The first polling request of a stream: the planner's push-down (`filter`) plus since, ascending, limit. */
export function logStreamStartPath(
  def: ObjectDef,
  filter: Filter | null,
  since: string,
  deps: Pick<ExtractDeps, 'plan'>,
  pageLimit: number = LOG_MAX_PAGE_LIMIT,
): { path: string; residual: (record: OktaRecord) => boolean; description: string } {
  const plan = deps.plan(def, filter, { pageLimit });
  const url = new URL(plan.path, 'https://okta.invalid');
  url.searchParams.delete('until');
  url.searchParams.set('since', new Date(Date.parse(since)).toISOString());
  url.searchParams.set('sortOrder', 'ASCENDING');
  return { path: `${url.pathname}${url.search}`, residual: plan.residual, description: plan.description };
}

/**
 * A next link keeps the first request's `since`, which Okta refuses once it is more than 180 days old (E0000053): a
 * stream would stop half a year after its first run. Raised to the start of the 90-day retention it changes nothing
 * the link returns (the cursor's position is later than any event still kept before it, and older events are gone),
 * so it is raised when older; `after` and everything else stay exactly as Okta sent them.
 */
export function freshSince(cursor: string, now: number): string {
  const url = new URL(cursor, 'https://okta.invalid');
  const since = url.searchParams.get('since');
  const floor = retentionFloor(now);
  const at = since === null ? Number.NaN : Date.parse(since);
  if (!Number.isFinite(at) || at >= floor) return cursor;
  url.searchParams.set('since', new Date(floor).toISOString());
  return `${url.pathname}${url.search}`;
}

/** A stored cursor must be a polling request on the System Log (never a bounded one, never another endpoint). */
function checkCursor(def: ObjectDef, cursor: string): void {
  const url = new URL(cursor, 'https://okta.invalid');
  const problems: string[] = [];
  if (!cursor.startsWith('/') || url.pathname !== def.listPath) problems.push(`it is not on ${def.listPath}`);
  if (url.searchParams.has('until')) problems.push('it has an until (a bounded request, not polling)');
  if ((url.searchParams.get('sortOrder') ?? 'ASCENDING').toUpperCase() !== 'ASCENDING') {
    problems.push('it is not ascending');
  }
  if (problems.length > 0) {
    throw new ContinuationMismatchError(
      `Cannot resume the ${def.name} stream from ${url.pathname}: ${problems.join(', ')}. ` +
        'Start it again with {"fullResync": true}.',
    );
  }
}

export async function* extractLogStream(
  def: ObjectDef,
  request: LogStreamRequest,
  deps: ExtractDeps,
): AsyncGenerator<LogStreamPage, void, undefined> {
  if (streamSourceOf(def) === null) throw new ExtractRequestError(`${def.name} is not a stream`);
  const project = compileProjection(def, selectFields(def, request.fields));
  const filter =
    request.filter === null || request.filter === undefined ? null : resolveFilter(request.filter, def, resolveField);
  const pageLimit = Math.min(LOG_MAX_PAGE_LIMIT, Math.max(1, request.pageLimit ?? def.pageLimit ?? LOG_MAX_PAGE_LIMIT));
  const hash = filterHash(request.filter);
  const resume = request.resumeFrom ?? null;
  if (resume !== null && (resume.v !== 1 || resume.object !== def.name || resume.filterHash !== hash)) {
    throw new ContinuationMismatchError(
      `Cannot resume ${def.name}: the continuation belongs to another scan. Start the run again without it.`,
    );
  }
  let start: string;
  let residual: (record: OktaRecord) => boolean;
  const since = request.since;
  const planned = since === undefined ? null : logStreamStartPath(def, filter, since, deps, pageLimit);
  if (resume !== null || (request.cursor !== null && request.cursor !== undefined)) {
    start = freshSince(resume?.next ?? (request.cursor as string), request.now);
    checkCursor(def, start);
    residual = planned?.residual ?? deps.plan(def, filter, { pageLimit }).residual;
  } else {
    if (since === undefined || planned === null) {
      throw new LogStreamStartError(`the ${def.name} stream has no cursor yet and no since to start from`);
    }
    checkStreamStart(since, request.now);
    start = planned.path;
    residual = planned.residual;
  }

  const seen = deps.seen ?? new KeySet();
  let pages = resume?.pages ?? 0;
  let scanned = resume?.scanned ?? 0;
  let emitted = resume?.records ?? 0;
  let duplicates = 0;
  let stale = 0;
  let tail: string[] = [];
  let url = start;
  // One page of read-ahead (as list scans have): the next page is fetched while the consumer writes this one; a
  // read-ahead the consumer never asks for (it stopped at its time budget) is aborted.
  const ahead = new AbortController();
  const aheadSignal = deps.signal ? AbortSignal.any([deps.signal, ahead.signal]) : ahead.signal;
  let pending: Promise<Awaited<ReturnType<typeof firstPage>>> | null = null;
  try {
    for (;;) {
      deps.signal?.throwIfAborted();
      const page = await (pending ?? firstPage(deps, url, deps.signal));
      pending = null;
      const records: OktaRecord[] = [];
      const uuids: string[] = [];
      let fresh = 0;
      for (const item of page.items) {
        const key = recordKey(def, item);
        if (key === undefined) {
          throw new OktaRecordError({
            object: def.name,
            recordId: undefined,
            field: 'uuid',
            value: (item as { uuid?: unknown }).uuid,
            problem: 'has no uuid, so it cannot be de-duplicated',
          });
        }
        uuids.push(key);
        if (!seen.add(key)) continue;
        fresh++;
        if (residual(item)) records.push(project(item));
      }
      const next = page.nextUrl === null ? null : relativeNext(page.nextUrl, deps.api.origin);
      const empty = page.items.length === 0;
      const standstill = next === url;
      if (!empty && next === null) {
        deps.onWarning?.({
          code: 'okta.logs.next-missing',
          message:
            `A System Log polling page (${page.items.length} events) came without a next link; this run stops there ` +
            'and the next one reads that page again (its events are dropped by uuid).',
        });
      }
      if (!empty && fresh === 0 && !standstill && next !== null) {
        stale++;
        if (stale > MAX_STALE_PAGES) {
          throw new OktaPaginationError({
            reason: 'content-loop',
            url: new URL(url, deps.api.origin).pathname,
            detail:
              `${stale} System Log pages in a row brought only events already read, under new cursors: Okta is ` +
              'repeating content (a pagination loop). Nothing is committed; re-run the flow.',
          });
        }
      } else if (fresh > 0) {
        stale = 0;
      }
      if (!empty) tail = uuids.slice(-MAX_TAIL);
      const ends = empty || standstill || next === null;
      pages += 1;
      scanned += page.items.length;
      emitted += records.length;
      const repeated = page.items.length - fresh;
      duplicates += repeated;
      // No next link: the page itself is where the next run starts (its events are in `tail`).
      const cursor = next ?? url;
      const continuation: Continuation | null = ends
        ? null
        : {
            v: 1,
            object: def.name,
            slice: null,
            window: null,
            filterHash: hash,
            next: cursor,
            pages,
            scanned,
            records: emitted,
          };
      if (!ends) {
        const prefetch = firstPage(deps, cursor, aheadSignal);
        // Handled here so a failure waits, unreported, until the consumer asks for that page (or is dropped).
        prefetch.catch(() => undefined);
        pending = prefetch;
      }
      yield {
        records,
        continuation,
        duplicates: repeated,
        totals: { pages, scanned, records: emitted, duplicates },
        cursor,
        tail,
      };
      if (ends) return;
      url = cursor;
    }
  } finally {
    ahead.abort();
  }
}

/** One polling page: the client's pagination (rate limits, retries, origin checks) for exactly one request. */
async function firstPage(deps: ExtractDeps, url: string, signal: AbortSignal | undefined) {
  const pages = deps.api.paginate<OktaRecord>(url, { allowEmptyPages: true, ...(signal ? { signal } : {}) });
  try {
    const first = await pages.next();
    if (first.done) return { items: [] as readonly OktaRecord[], nextUrl: null, url };
    return first.value;
  } finally {
    await pages.return(undefined);
  }
}
