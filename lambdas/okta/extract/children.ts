/**
 * `extractChildren`: every record of a relation object (GroupMember, ApplicationUser, …), the children of each
 * record of a parent object, one child page per yield, with the same contract as `extract` (pages, continuation,
 * exactly-once keys, residual, projection), so the runner, the Step Functions lanes and AppFlow QueryData read
 * relations through the same loop as directory objects.
 *
 * - Parents are streamed with the parent object's own machinery: `extract` on the parent's list with the parent
 *   terms of the filter (`group_type = "OKTA_GROUP"` → groups `filter=type eq …`), or the role-assignee listing, or —
 *   when the filter names parent ids and the object allows it — the named ids themselves, without listing.
 * - Child listings are fetched with bounded concurrency: the first page of the next `childConcurrency` parents is in
 *   flight while the current one is read (every request goes through the client's governor, per bucket); records are
 *   still yielded in parent order, so the continuation is a simple position.
 * - The continuation holds (parent page, offset of the parent in it, that parent's id, its next child page): a later
 *   invocation resumes exactly there; requests prefetched but not yielded are simply made again.
 * - A parent deleted mid-run (404 E0000007 on its child listing) is reported (`deps.onParentGone`) and skipped.
 * - Hostile answers are refused as for any listing: every child record must carry its composite key (else
 *   `OktaRecordError`), a page that repeats only known keys is a content loop (`OktaPaginationError`), next links on
 *   another origin are refused, and the client's own checks apply to every response.
 */
import { childrenSource, getObjectDef, getValue, recordKey } from '../catalog/index.js';
import type { ChildrenSource, ObjectDef } from '../catalog/types.js';
import { OktaApiError, OktaPaginationError, OktaRecordError } from '../errors.js';
import { compileResidual } from '../query/evaluate.js';
import type { Filter } from '../query/filter.js';
import type { OktaApi, OktaPage, OktaRecord } from '../types.js';
import { namedParentIds, namesParents, parentFilter } from './children-filter.js';
import { ContinuationMismatchError, ExtractRequestError } from './errors.js';
import { effectiveFilter, extract, filterHash, relativeNext, sameRange, selectFields } from './extract.js';
import { KeySet } from './key-set.js';
import { compileProjection } from './projection.js';
import type { ChildrenCursor, Continuation, ExtractDeps, ExtractPage, ExtractRequest, PlanFn } from './types.js';

/** One page of parents: its path (to re-read it on resume; null = the first page) and the next page's. */
interface ParentPage {
  readonly path: string | null;
  readonly next: string | null;
  readonly parents: readonly OktaRecord[];
}

type ChildFetch = { readonly gone: true } | { readonly gone: false; readonly page: OktaPage };

const DEFAULT_CHILD_CONCURRENCY = 4;

/** The first child page of a parent, with the child page size. */
export function childListPath(source: ChildrenSource, parentId: string, pageLimit?: number): string {
  const limit = pageLimit ?? source.childLimit;
  const path = source.childPath(parentId);
  return limit === null ? path : `${path}?limit=${limit}`;
}

/** The planner for the parent scan: the parent's own plan plus the source's extra parameters (`expand=stats`). */
export function parentPlan(source: ChildrenSource, plan: PlanFn): PlanFn {
  const extra = source.parentQuery;
  if (extra === undefined) return plan;
  return (def, filter, options) => {
    const planned = plan(def, filter, options);
    const path = `${planned.path}${planned.path.includes('?') ? '&' : '?'}${extra}`;
    return { ...planned, path, description: `${planned.description}; ${extra}` };
  };
}

/** The parent columns the scan reads: id, the parent columns of the relation, and what `skipParent` needs. */
function parentColumns(source: ChildrenSource): string[] {
  return [...new Set(['id', ...Object.values(source.parentFields), ...(source.parentColumns ?? [])])];
}

/** Why a relation scan cannot run as asked (UserFactor without a user filter), or null. */
export function perParentRefusal(def: ObjectDef, request: ExtractRequest): string | null {
  const source = childrenSource(def);
  if (source?.perParentOptIn === undefined || request.perParentRequests === true) return null;
  const filter = parentFilter(source, effectiveFilter(def, request.filter, request.window, undefined));
  if (namesParents(filter)) return null;
  const columns = Object.keys(source.parentFields).join(', ');
  return (
    `${def.name} makes one request per ${source.parent} (${source.cost}). Name the ${source.parent.toLowerCase()}s ` +
    `with an EQUAL_TO or IN filter on ${columns}, or set "${source.perParentOptIn}": true on the flow to read every ` +
    `${source.parent.toLowerCase()} knowing the cost.`
  );
}

export async function* extractChildren(
  def: ObjectDef,
  request: ExtractRequest,
  deps: ExtractDeps,
): AsyncGenerator<ExtractPage, void, undefined> {
  const source = childrenSource(def);
  if (source === undefined) throw new ExtractRequestError(`${def.name} is not a relation (children of a parent)`);
  if (request.slice !== undefined) throw new ExtractRequestError(`${def.name} cannot be sliced; run it unsliced`);
  const refusal = perParentRefusal(def, request);
  if (refusal !== null) throw new ExtractRequestError(refusal);
  const parentDef = getObjectDef(source.parent);
  const project = compileProjection(def, selectFields(def, request.fields));
  const filter = effectiveFilter(def, request.filter, request.window, undefined);
  const residual = compileResidual(filter, def);
  const pFilter = parentFilter(source, filter);
  const hash = filterHash(request.filter);
  const resume = request.resumeFrom ?? null;
  if (resume !== null) checkContinuation(def, request, hash, resume);
  const cursor: ChildrenCursor = resume?.children ?? { parentPage: null, offset: 0, parentId: null, child: null };
  const concurrency = Math.max(1, Math.floor(deps.childConcurrency ?? DEFAULT_CHILD_CONCURRENCY));
  const seen = deps.seen ?? new KeySet();
  const signal = deps.signal;
  const api = deps.api;
  let pages = resume?.pages ?? 0;
  let scanned = resume?.scanned ?? 0;
  let emitted = resume?.records ?? 0;
  let duplicates = 0;
  // undefined: nothing yielded yet; null: the last yield said the scan is complete.
  let last: Continuation | null | undefined;

  const continuationAt = (at: ChildrenCursor): Continuation => ({
    v: 1,
    object: def.name,
    slice: null,
    window: request.window ?? null,
    filterHash: hash,
    next: at.existence ?? at.child ?? at.parentPage ?? source.childPath(at.parentId ?? '{id}'),
    pages,
    scanned,
    records: emitted,
    children: at,
  });

  const fetchPage = async (path: string): Promise<ChildFetch> => {
    const gen = api.paginate(path, signal === undefined ? {} : { signal });
    try {
      const first = await gen.next();
      if (first.done === true) return { gone: false, page: { items: [], nextUrl: null, url: path } };
      return { gone: false, page: first.value };
    } catch (error) {
      if (error instanceof OktaApiError && error.status === 404 && (error.errorCode ?? 'E0000007') === 'E0000007') {
        return { gone: true };
      }
      throw error;
    } finally {
      await gen.return(undefined);
    }
  };

  // Which parents exist at all (ids only, no window): first, so a resumed scan knows where it stands.
  const listsExistence =
    deps.onExistingParents !== undefined &&
    source.parentList === undefined &&
    !(source.directParentIds === true && namedParentIds(pFilter) !== null);
  const existenceFrom: string | null | undefined =
    resume === null ? (listsExistence ? null : undefined) : listsExistence ? cursor.existence : undefined;
  if (existenceFrom !== undefined && deps.onExistingParents !== undefined) {
    const report = deps.onExistingParents;
    const existenceFilter = parentFilter(source, effectiveFilter(def, request.filter, undefined, undefined));
    let complete = false;
    for await (const page of existingParentPages(source, parentDef, existenceFilter, existenceFrom, deps)) {
      signal?.throwIfAborted();
      complete = page.next === null;
      report(
        page.parents.map((p) => parentIdOf(parentDef, p)),
        complete,
      );
      pages += 1;
      const start: ChildrenCursor = { parentPage: null, offset: 0, parentId: null, child: null };
      last = continuationAt(page.next === null ? start : { ...start, existence: page.next });
      yield {
        records: [],
        continuation: last,
        duplicates: 0,
        totals: { pages, scanned, records: emitted, duplicates },
      };
    }
    if (!complete) report([], true);
  }

  let firstParentPage = true;
  for await (const parentPage of parentPages(source, parentDef, pFilter, cursor.parentPage, deps)) {
    signal?.throwIfAborted();
    deps.onParents?.(parentPage.parents.map((p) => parentIdOf(parentDef, p)));
    const parents = parentPage.parents.filter((p) => !(source.skipParent?.(p) ?? false));
    const ids = parents.map((p) => parentIdOf(parentDef, p));
    let start = 0;
    let childStart: string | null = null;
    if (firstParentPage && resume !== null) {
      const anchored = cursor.parentId === null ? -1 : ids.indexOf(cursor.parentId);
      start = anchored >= 0 ? anchored : Math.min(cursor.offset, parents.length);
      // The saved child cursor belongs to that parent only.
      if (anchored >= 0 || cursor.parentId === null) childStart = cursor.child;
    }
    firstParentPage = false;
    const inflight = new Map<number, Promise<ChildFetch>>();
    const launch = (i: number) => {
      if (i >= parents.length || inflight.has(i)) return;
      const path =
        i === start && childStart !== null ? childStart : childListPath(source, ids[i] as string, request.pageLimit);
      const promise = fetchPage(path);
      // A prefetch the consumer never reaches (it stopped early) must not become an unhandled rejection.
      promise.catch(() => undefined);
      inflight.set(i, promise);
    };
    for (let i = start; i < parents.length; i++) {
      for (let j = i; j < i + concurrency; j++) launch(j);
      const parent = parents[i] as OktaRecord;
      const parentId = ids[i] as string;
      let fetched = await (inflight.get(i) as Promise<ChildFetch>);
      inflight.delete(i);
      while (true) {
        if (fetched.gone) {
          deps.onParentGone?.({ object: def.name, parent: parentDef.name, parentId });
          break;
        }
        const page = fetched.page;
        signal?.throwIfAborted();
        const records: OktaRecord[] = [];
        let fresh = 0;
        for (const item of page.items) {
          const composed = compose(def, item, parent);
          const key = recordKey(def, composed);
          if (key === undefined) throw missingKey(def, composed);
          if (!seen.add(key)) continue;
          fresh++;
          if (residual(composed)) records.push(project(composed));
        }
        if (page.items.length > 0 && fresh === 0) {
          throw new OktaPaginationError({
            reason: 'content-loop',
            url: new URL(page.url, api.origin).pathname,
            detail:
              `all ${page.items.length} records of this page were already read in this scan: Okta is repeating ` +
              'content under new cursors (a pagination loop). Nothing is committed; re-run the flow.',
          });
        }
        const repeated = page.items.length - fresh;
        pages += 1;
        scanned += page.items.length;
        emitted += records.length;
        duplicates += repeated;
        const childNext = page.nextUrl === null ? null : relativeNext(page.nextUrl, api.origin);
        const at: ChildrenCursor | null =
          childNext !== null
            ? { parentPage: parentPage.path, offset: i, parentId, child: childNext }
            : i + 1 < parents.length
              ? { parentPage: parentPage.path, offset: i + 1, parentId: ids[i + 1] ?? null, child: null }
              : parentPage.next !== null
                ? { parentPage: parentPage.next, offset: 0, parentId: null, child: null }
                : null;
        last = at === null ? null : continuationAt(at);
        yield {
          records,
          continuation: last,
          duplicates: repeated,
          totals: { pages, scanned, records: emitted, duplicates },
        };
        if (childNext === null) break;
        fetched = await fetchPage(childNext);
      }
    }
  }
  // The scan ended after a parent that yielded nothing (gone, or no parents at all): say it is complete.
  if (last !== null) {
    yield { records: [], continuation: null, duplicates: 0, totals: { pages, scanned, records: emitted, duplicates } };
  }
}

/** The child record with its parent under `_parent`, where the relation's parent columns read from. */
function compose(def: ObjectDef, item: unknown, parent: OktaRecord): OktaRecord {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new OktaRecordError({
      object: def.name,
      recordId: undefined,
      field: '(record)',
      value: item,
      problem: 'is not a JSON object',
    });
  }
  return { ...(item as OktaRecord), _parent: parent };
}

function missingKey(def: ObjectDef, record: OktaRecord): OktaRecordError {
  const field = def.primaryKey.join(' + ');
  const parent = record._parent as { id?: unknown } | undefined;
  return new OktaRecordError({
    object: def.name,
    recordId: typeof parent?.id === 'string' ? `child of ${parent.id}` : undefined,
    field,
    value: undefined,
    problem: `has no usable primary key (${field})`,
  });
}

function parentIdOf(parentDef: ObjectDef, parent: OktaRecord): string {
  const id = getValue(parent, { path: ['id'] });
  if (typeof id === 'string' && id !== '') return id;
  throw new OktaRecordError({
    object: parentDef.name,
    recordId: undefined,
    field: 'id',
    value: id,
    problem: 'has no usable id (a parent of a relation scan)',
  });
}

/** The next page URL as path + query on the org origin; refuses any other origin. */
function checkContinuation(def: ObjectDef, request: ExtractRequest, hash: string, c: Continuation): void {
  const problems: string[] = [];
  if (c.v !== 1) problems.push(`version ${String(c.v)} (expected 1)`);
  if (c.object !== def.name) problems.push(`object ${c.object} (expected ${def.name})`);
  if (c.filterHash !== hash) problems.push('a different filter');
  if (!sameRange(c.window, request.window)) problems.push('a different window');
  if (c.children === undefined) problems.push('no relation cursor');
  for (const path of [c.children?.parentPage, c.children?.child, c.children?.existence]) {
    if (path !== null && path !== undefined && !path.startsWith('/')) problems.push('a page that is not a path');
  }
  if (problems.length > 0) {
    throw new ContinuationMismatchError(
      `Cannot resume ${def.name}: the continuation belongs to another scan (${problems.join(', ')}). ` +
        'Start the scan again without resumeFrom.',
    );
  }
}

/** The parents, one page at a time: named ids, the role-assignee listing, or the parent object's own list. */
async function* parentPages(
  source: ChildrenSource,
  parentDef: ObjectDef,
  filter: Filter | null,
  from: string | null,
  deps: ExtractDeps,
): AsyncGenerator<ParentPage> {
  const named = source.directParentIds === true ? namedParentIds(filter) : null;
  if (named !== null) {
    yield { path: null, next: null, parents: named.map((id) => ({ id })) };
    return;
  }
  if (source.parentList === 'assignees') {
    yield* assigneePages(deps.api, parentDef, filter, source.parentLimit ?? 100, from, deps.signal);
    return;
  }
  let path = from;
  const resumeFrom = from === null ? null : parentResume(parentDef, filter, from);
  const pageLimit = source.parentLimit;
  for await (const page of extract(
    parentDef,
    { fields: parentColumns(source), filter, resumeFrom, ...(pageLimit !== undefined ? { pageLimit } : {}) },
    { api: deps.api, plan: parentPlan(source, deps.plan), ...(deps.signal ? { signal: deps.signal } : {}) },
  )) {
    const next = page.continuation?.next ?? null;
    yield { path, next, parents: page.records };
    path = next;
  }
}

/**
 * Every parent that matches the filter, ids only, with the largest page the parent endpoint allows and without the
 * parent query (`expand=stats` is not needed to know a group exists): one request per `existenceLimit` parents.
 */
async function* existingParentPages(
  source: ChildrenSource,
  parentDef: ObjectDef,
  filter: Filter | null,
  from: string | null,
  deps: ExtractDeps,
): AsyncGenerator<ParentPage> {
  const pageLimit = source.existenceLimit ?? source.parentLimit;
  let path = from;
  for await (const page of extract(
    parentDef,
    {
      fields: ['id'],
      filter,
      resumeFrom: from === null ? null : parentResume(parentDef, filter, from),
      ...(pageLimit !== undefined ? { pageLimit } : {}),
    },
    { api: deps.api, plan: deps.plan, ...(deps.signal ? { signal: deps.signal } : {}) },
  )) {
    const next = page.continuation?.next ?? null;
    yield { path, next, parents: page.records };
    path = next;
  }
}

/** A continuation that resumes the parent object's own listing at `next`. */
function parentResume(parentDef: ObjectDef, filter: Filter | null, next: string): Continuation {
  return {
    v: 1,
    object: parentDef.name,
    slice: null,
    window: null,
    filterHash: filterHash(filter),
    next,
    pages: 0,
    scanned: 0,
    records: 0,
  };
}

/** `GET /api/v1/iam/assignees/users`: `{ value: [{ id, orn }], _links: { next: { href } } }`. */
async function* assigneePages(
  api: OktaApi,
  parentDef: ObjectDef,
  filter: Filter | null,
  limit: number,
  from: string | null,
  signal: AbortSignal | undefined,
): AsyncGenerator<ParentPage> {
  const residual = compileResidual(filter, parentDef);
  const first = `/api/v1/iam/assignees/users?limit=${limit}`;
  let path: string | null = from ?? first;
  const visited = new Set<string>();
  while (path !== null) {
    if (visited.has(path)) {
      throw new OktaPaginationError({
        reason: 'content-loop',
        url: '/api/v1/iam/assignees/users',
        detail: 'the role-assignee listing linked back to a page already read (a pagination loop).',
      });
    }
    visited.add(path);
    const body: unknown = await api.getJson<unknown>(path, signal === undefined ? {} : { signal });
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) {
      throw new OktaPaginationError({
        reason: 'not-an-array',
        url: '/api/v1/iam/assignees/users',
        detail: 'expected { "value": [...] } from the role-assignee listing.',
      });
    }
    const href: unknown = (body as { _links?: { next?: { href?: unknown } } })._links?.next?.href;
    const next: string | null = typeof href === 'string' ? relativeNext(href, api.origin) : null;
    const parents: OktaRecord[] = [];
    for (const item of value) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id === '') {
        throw new OktaRecordError({
          object: parentDef.name,
          recordId: undefined,
          field: 'id',
          value: id,
          problem: 'has no usable id (a role assignee)',
        });
      }
      const parent = { id };
      if (residual(parent)) parents.push(parent);
    }
    yield { path, next, parents };
    path = next;
  }
}
