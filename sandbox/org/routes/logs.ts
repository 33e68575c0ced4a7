import type { RouteResult } from '../contract.js';
import { errorResult, oktaError } from '../errors.js';
import { logsFilter } from '../grammars.js';
import type { EventSkeleton } from '../log-history.js';
import { decodeLogCursor, encodeLogCursor, type LogKey, type LogOrder, type LogRef, type LogStore } from '../logs.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, nextParams, readLimit } from '../paging.js';
import { readPath } from '../path.js';
import { compileQuery, type Getter, type Predicate } from '../query/grammar.js';
import { DAY } from '../time.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Okta keeps 90 days of events and refuses `since` older than 180 days. */
const RETENTION_MS = 90 * DAY;
const MAX_SINCE_AGE_MS = 180 * DAY;
/** `q`: at most 10 keywords of at most 40 characters. */
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

function badDate(name: string): RouteResult {
  return errorResult(
    oktaError(
      400,
      'E0000001',
      `Api validation failed: '${name}': The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
      [`${name}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`],
    ),
  );
}

function parseTime(
  name: string,
  raw: string | null,
): { ok: true; ms: number | undefined } | { ok: false; error: RouteResult } {
  if (raw === null || raw === '') return { ok: true, ms: undefined };
  const ms = ISO.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) return { ok: false, error: badDate(name) };
  return { ok: true, ms };
}

/** Splits a value the way Okta's keyword index does: whole value, words, and hyphen-separated parts. */
function keywordsOf(text: string, into: Set<string>): void {
  const lower = text.toLowerCase();
  into.add(lower);
  for (const word of lower.split(/\s+/)) {
    if (word === '') continue;
    into.add(word);
    if (word.includes('-')) for (const part of word.split('-')) if (part !== '') into.add(part);
  }
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') keywordsOf(value, into);
  else if (typeof value === 'number' || typeof value === 'boolean') into.add(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) collectStrings(item, into);
}

/** A getter that answers cheap attributes from the event's skeleton and builds the JSON only when needed. */
function eventGetter(
  store: LogStore,
  ref: LogRef,
  skeleton: EventSkeleton | undefined,
): { get: Getter; body: () => Record<string, unknown> } {
  let body: Record<string, unknown> | undefined;
  const full = () => {
    body ??= store.serialize(ref, skeleton);
    return body;
  };
  const get: Getter = (attr) => {
    if (skeleton) {
      switch (attr) {
        case 'eventType':
          return skeleton.eventType;
        case 'severity':
          return skeleton.severity;
        case 'outcome.result':
          return skeleton.result;
        case 'actor.id':
          return skeleton.actor.id;
        case 'actor.type':
          return skeleton.actor.type;
        case 'target.id':
          return skeleton.targets.map((t) => t.id);
        case 'target.type':
          return skeleton.targets.map((t) => t.type);
        case 'displayMessage':
          return skeleton.displayMessage;
        default:
          break;
      }
    }
    return readPath(full(), attr);
  };
  return { get, body: full };
}

/**
 * `GET /api/v1/logs`, with Okta's two request types:
 * - polling (no `until`, ascending): events filtered and ordered by persistence time, so an event stored late
 *   (published in the past) still comes after everything stored before it; every page has `next`, even an empty one,
 *   and `next` resumes exactly after the last event returned or scanned;
 * - bounded (`until`, or descending): events filtered and ordered by `published`; the last page has no `next`.
 * `since` defaults to 7 days before `until`/now, may not be older than 180 days (400 E0000053), and nothing older
 * than the 90-day retention is returned. `limit` 0–1000 (default 100). `filter` takes any LogEvent attribute and
 * every SCIM operator except `published` (400 E0000053); `q` matches keywords (all must match, case-insensitive).
 */
export function listLogs(state: OrgState, params: URLSearchParams): RouteResult {
  const now = state.clock.now();
  const limit = readLimit(params, LIMITS.logs);
  if (!limit.ok) return errorResult(limit.error);
  const sinceParsed = parseTime('since', params.get('since'));
  if (!sinceParsed.ok) return sinceParsed.error;
  const untilParsed = parseTime('until', params.get('until'));
  if (!untilParsed.ok) return untilParsed.error;
  const order = (params.get('sortOrder') ?? 'ASCENDING').toUpperCase();
  if (order !== 'ASCENDING' && order !== 'DESCENDING') {
    return errorResult(
      oktaError(400, 'E0000001', 'Api validation failed: sortOrder', [
        `sortOrder: '${order}' is not ASCENDING or DESCENDING`,
      ]),
    );
  }
  const descending = order === 'DESCENDING';
  const polling = untilParsed.ms === undefined && !descending;
  const upperMs = Math.min(untilParsed.ms ?? now, now);
  const since = sinceParsed.ms ?? (untilParsed.ms ?? now) - 7 * DAY;
  if (since < now - MAX_SINCE_AGE_MS) {
    return errorResult(
      oktaError(400, 'E0000053', 'Invalid parameter: The since parameter is over 180 days prior to the current day.'),
    );
  }
  const lowerMs = Math.max(since, now - RETENTION_MS);

  const filter = params.get('filter');
  let predicate: Predicate | undefined;
  if (filter !== null) {
    const compiled = compileQuery(filter, logsFilter);
    if (!compiled.ok) return errorResult(compiled.error);
    predicate = compiled.predicate;
  }
  const terms = (params.get('q') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  if (terms.length > MAX_KEYWORDS || terms.some((t) => t.length > MAX_KEYWORD_LENGTH)) {
    return errorResult(
      oktaError(
        400,
        'E0000001',
        "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields.",
        [`q: at most ${MAX_KEYWORDS} keywords of at most ${MAX_KEYWORD_LENGTH} characters`],
      ),
    );
  }

  const after = params.get('after');
  const orderBy: LogOrder = polling ? 'persisted' : 'published';
  let cursor: LogKey = descending ? { t: upperMs, src: 2, idx: 0 } : { t: lowerMs, src: -1, idx: 0 };
  if (after) {
    const decoded = decodeLogCursor(after);
    if (!decoded) {
      return errorResult(
        oktaError(400, 'E0000001', 'Api validation failed: after', [
          'after: not a cursor this org issued; follow the next link',
        ]),
      );
    }
    cursor = decoded;
  }

  const store = state.logs;
  const stream = descending ? store.descending(cursor, orderBy) : store.ascending(cursor, orderBy);
  const items: Record<string, unknown>[] = [];
  let lastScanned: LogKey | undefined;
  let lastReturned: LogKey | undefined;
  let more = false;
  for (const ref of stream) {
    if (descending ? ref.key.t < lowerMs : ref.key.t > upperMs) break;
    if (!descending && ref.key.t < lowerMs) continue;
    if (!polling && store.publishedMs(ref) >= (untilParsed.ms ?? Number.POSITIVE_INFINITY)) continue;
    const skeleton = store.skeleton(ref);
    const event = eventGetter(store, ref, skeleton);
    let matches = predicate ? predicate(event.get) : true;
    if (matches && terms.length > 0) {
      const words = new Set<string>();
      collectStrings(event.body(), words);
      matches = terms.every((t) => words.has(t));
    }
    if (!matches) {
      lastScanned = ref.key;
      continue;
    }
    if (items.length === limit.limit) {
      more = true;
      break;
    }
    items.push(event.body());
    lastReturned = ref.key;
    lastScanned = ref.key;
  }
  // A polling cursor moves past what was scanned, so a filter that matches nothing does not rescan next time.
  const position = polling && !more ? (lastScanned ?? cursor) : (lastReturned ?? cursor);
  const next = polling || more ? nextParams(params, encodeLogCursor(position), limit.limit) : null;
  return { kind: 'list', items, next, paginated: true };
}
