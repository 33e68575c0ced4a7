import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import { logsFilter } from '../grammars.js';
import { decodeLogCursor, encodeLogCursor, type LogEntry } from '../logs.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, nextParams, readLimit } from '../paging.js';
import { readPath } from '../path.js';
import { compileQuery, type Predicate } from '../query/grammar.js';
import { DAY } from '../time.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_SEQ = 2 ** 31 - 1;

function parseTime(
  name: string,
  raw: string | null,
): { ok: true; ms: number | undefined } | { ok: false; error: RouteResult } {
  if (raw === null || raw === '') return { ok: true, ms: undefined };
  const ms = ISO.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    return { ok: false, error: errorResult(errors.validation(`${name}: '${raw}' is not an ISO 8601 timestamp`)) };
  }
  return { ok: true, ms };
}

function compare(e: LogEntry, ms: number, seq: number): number {
  return e.publishedMs !== ms ? e.publishedMs - ms : e.seq - seq;
}

/**
 * `GET /api/v1/logs`. Polling mode (no `until`): events up to now, and a `next` link on every page, even an empty
 * one, so a poller resumes from its cursor. Bounded mode (`until`, exclusive): the last page has no `next`.
 * `since` defaults to 7 days ago and may not be older than 180 days (400 E0000053).
 */
export function listLogs(state: OrgState, params: URLSearchParams): RouteResult {
  const now = state.clock.now();
  const limit = readLimit(params, LIMITS.logs);
  if (!limit.ok) return errorResult(limit.error);
  const sinceParsed = parseTime('since', params.get('since'));
  if (!sinceParsed.ok) return sinceParsed.error;
  const untilParsed = parseTime('until', params.get('until'));
  if (!untilParsed.ok) return untilParsed.error;
  const since = sinceParsed.ms ?? now - 7 * DAY;
  if (since < now - 180 * DAY) {
    return errorResult(errors.badFilter('since: the System Log keeps at most 180 days; use a later since'));
  }
  const bounded = untilParsed.ms !== undefined;
  const order = (params.get('sortOrder') ?? 'ASCENDING').toUpperCase();
  if (order !== 'ASCENDING' && order !== 'DESCENDING') {
    return errorResult(errors.validation(`sortOrder: '${order}' is not ASCENDING or DESCENDING`));
  }
  const descending = order === 'DESCENDING';

  let predicate: Predicate | undefined;
  const filter = params.get('filter');
  if (filter !== null) {
    const compiled = compileQuery(filter, logsFilter);
    if (!compiled.ok) return errorResult(compiled.error);
    predicate = compiled.predicate;
  }
  const terms = (params.get('q') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);

  const after = params.get('after');
  let cursor = descending
    ? { publishedMs: untilParsed.ms ?? now + 1, seq: -1 }
    : { publishedMs: since - 1, seq: MAX_SEQ };
  if (after) {
    const decoded = decodeLogCursor(after);
    if (!decoded) return errorResult(errors.validation(`after: '${after}' is not a cursor this org issued`));
    cursor = decoded;
  }
  const upper = (e: LogEntry): boolean => (bounded ? e.publishedMs < (untilParsed.ms ?? 0) : e.publishedMs <= now);
  const matches = (e: LogEntry): boolean => {
    if (e.publishedMs < since || !upper(e)) return false;
    if (!predicate && terms.length === 0) return true;
    const body = state.logs.serialize(e);
    if (predicate && !predicate((attr) => readPath(body, attr))) return false;
    if (terms.length === 0) return true;
    const text = JSON.stringify(body).toLowerCase();
    return terms.every((t) => text.includes(t));
  };

  const entries = state.logs.list();
  const items: Record<string, unknown>[] = [];
  let last: LogEntry | undefined;
  let more = false;
  const visit = (e: LogEntry): boolean => {
    if (!matches(e)) return true;
    if (items.length === limit.limit) {
      more = true;
      return false;
    }
    items.push(state.logs.serialize(e));
    last = e;
    return true;
  };
  if (descending) {
    for (let k = entries.length - 1; k >= 0; k--) {
      const e = entries[k];
      if (e && compare(e, cursor.publishedMs, cursor.seq) < 0 && !visit(e)) break;
    }
  } else {
    for (const e of entries) if (compare(e, cursor.publishedMs, cursor.seq) > 0 && !visit(e)) break;
  }

  const nextCursor = last
    ? encodeLogCursor(last.publishedMs, last.seq)
    : encodeLogCursor(cursor.publishedMs, cursor.seq);
  const polling = !bounded && !descending;
  const next = polling || more ? nextParams(params, nextCursor, limit.limit) : null;
  return { kind: 'list', items, next, paginated: true };
}
