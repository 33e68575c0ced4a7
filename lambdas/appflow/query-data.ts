/**
 * QueryData: one page of an entity for AppFlow, within AppFlow's limits.
 *
 * - filterExpression → parser → catalog resolution → planner (push-down + residual), via the extraction engine.
 * - A response stops filling at `maxResults` records, at ~5 MB of response, when LIMIT is reached, or when the soft
 *   time budget is spent (no new Okta request is started after it); an Okta request still running at the hard
 *   budget is aborted. Whatever remains is carried by `nextToken` (see next-token.ts), including the rest of an Okta
 *   page that was split.
 * - A token is only ever returned when more data may remain; the last page answers `nextToken: null`.
 */
import { streamSourceOf } from '../okta/catalog/index.js';
import { extractObject } from '../okta/extract/extract-object.js';
import { extractLogStream } from '../okta/extract/log-stream.js';
import { streamSince } from '../okta/extract/stream-since.js';
import { planQuery } from '../okta/query/plan.js';
import type { OktaRecord } from '../okta/types.js';
import type { ConnectorDeps } from './deps.js';
import { InvalidRequestError, QueryTimeoutError, RecordTooLargeError } from './errors.js';
import { selectedFields } from './fields.js';
import { decodeNextToken, encodeNextToken, type QueryPosition, queryFingerprint } from './next-token.js';
import type { QueryDataRequest } from './protocol.js';
import { parseQueryFilter } from './query-filter.js';
import { toAppFlowRecord } from './records.js';
import type { Session } from './session.js';

export const DEFAULT_MAX_RESULTS = 1000;
/** Room kept for the envelope: keys, nextToken, errorDetails. */
const ENVELOPE_BYTES = 8 * 1024;

export interface QueryDataResult {
  readonly records: string[];
  readonly nextToken: string | null;
}

/** Where to start inside a re-fetched page: after the last returned id if it is still there, else by count. */
function resumeIndex(records: readonly OktaRecord[], skip: number, lastId: string | null): number {
  if (skip === 0) return 0;
  if (lastId !== null) {
    const at = records.findIndex((r) => r.id === lastId);
    if (at >= 0) return at + 1;
  }
  return Math.min(skip, records.length);
}

class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
}

export async function queryData(
  request: QueryDataRequest,
  session: Session,
  deps: ConnectorDeps,
  startedAt: number,
): Promise<QueryDataResult> {
  const elapsed = () => deps.now() - startedAt;
  const def = await session.definition(request.entityIdentifier);
  const { filter, limit } = parseQueryFilter(request.filterExpression, def);
  const fields = selectedFields(def, request.selectedFieldNames);
  const q = queryFingerprint({
    entity: def.name,
    filterExpression: request.filterExpression?.trim() || null,
    fields: request.selectedFieldNames ?? null,
  });
  const start: QueryPosition =
    request.nextToken === null || request.nextToken === undefined || request.nextToken === ''
      ? { v: 1, q, c: null, skip: 0, lastId: null, emitted: 0 }
      : decodeNextToken(request.nextToken, q);
  if (start.c !== null && start.c.object !== def.name) {
    throw new InvalidRequestError(`nextToken belongs to ${start.c.object}, not ${def.name}; start again without it.`);
  }
  if (limit !== null && start.emitted >= limit) return { records: [], nextToken: null };

  // Absent or non-positive: AppFlow's default page size.
  const maxResults = request.maxResults != null && request.maxResults > 0 ? request.maxResults : DEFAULT_MAX_RESULTS;
  const quota = limit === null ? maxResults : Math.min(maxResults, limit - start.emitted);
  const limitEndsHere = limit !== null && limit - start.emitted <= maxResults;
  const pageLimit = def.pageLimit === null ? undefined : Math.max(1, Math.min(def.pageLimit, quota));

  const records: string[] = [];
  let bytes = ENVELOPE_BYTES;
  let current = start.c;
  let skip = start.skip;
  let lastId = start.lastId;
  let progressed = false;
  const token = (c: QueryPosition['c'], s: number, id: string | null): string =>
    encodeNextToken({ v: 1, q, c, skip: s, lastId: id, emitted: start.emitted + records.length });

  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DeadlineReached('QueryData hard time budget reached')),
    Math.max(0, deps.limits.hardBudgetMs - elapsed()),
  );
  try {
    const extractDeps = { api: session.client, plan: planQuery, signal: deadline.signal };
    const request = {
      fields: fields.map((f) => f.column),
      filter,
      resumeFrom: current,
      ...(pageLimit === undefined ? {} : { pageLimit }),
    };
    const now = deps.now();
    const pages =
      streamSourceOf(def) !== null
        ? // The System Log: polling from the incremental field's lower bound (`published > …`), see stream-since.ts.
          extractLogStream(def, { ...request, since: streamSince(def, filter, now), now }, extractDeps)
        : extractObject(def, request, extractDeps);
    for await (const page of pages) {
      const first = resumeIndex(page.records, skip, lastId);
      for (let i = first; i < page.records.length; i++) {
        const record = page.records[i] as OktaRecord;
        if (records.length >= quota) {
          // maxResults reached inside this page (a LIMIT ending here finishes the query instead).
          return { records, nextToken: limitEndsHere ? null : token(current, i, lastId) };
        }
        const text = JSON.stringify(toAppFlowRecord(record, fields));
        const size = Buffer.byteLength(JSON.stringify(text), 'utf8') + 1;
        if (bytes + size > deps.limits.maxResponseBytes) {
          if (records.length > 0) return { records, nextToken: token(current, i, lastId) };
          if (bytes + size > deps.limits.hardResponseBytes) {
            throw new RecordTooLargeError(
              `${def.name} record ${String(record.id)} is ${size} bytes as JSON, more than AppFlow's 6 MB response ` +
                'limit; deselect large Struct fields (e.g. profile, _embedded) in the flow.',
            );
          }
        }
        records.push(text);
        bytes += size;
        lastId = typeof record.id === 'string' ? record.id : null;
        progressed = true;
      }
      // Page consumed: the next position is the next Okta page.
      current = page.continuation;
      skip = 0;
      lastId = null;
      progressed = true;
      if (current === null) return { records, nextToken: null };
      if (records.length >= quota) {
        return { records, nextToken: limitEndsHere ? null : token(current, 0, null) };
      }
      if (elapsed() >= deps.limits.softBudgetMs) return { records, nextToken: token(current, 0, null) };
    }
    return { records, nextToken: null };
  } catch (err) {
    if (deadline.signal.aborted && deadline.signal.reason instanceof DeadlineReached) {
      if (progressed) return { records, nextToken: token(current, skip, lastId) };
      throw new QueryTimeoutError(
        `Okta did not answer one ${def.name} page within ${deps.limits.hardBudgetMs} ms; AppFlow will retry. If this ` +
          'persists, narrow the flow (filter) or check the Okta org’s health.',
        { cause: err },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
