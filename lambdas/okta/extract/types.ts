/** Contracts of the extraction engine: the planner it calls, and what it takes and yields. */
import type { ObjectDef, OktaObjectName } from '../catalog/types.js';
import type { Filter } from '../query/filter.js';
import type { OktaApi, OktaRecord, TimeWindow } from '../types.js';
import type { KeySet } from './key-set.js';

/** The Okta request that best evaluates a filter, plus the predicate that decides the exact result. */
export interface OktaQueryPlan {
  /** List path with query string, e.g. `/api/v1/users?search=...&limit=200`. */
  path: string;
  /** The whole filter evaluated on one record (push-down only narrows the scan; this decides). */
  residual: (record: OktaRecord) => boolean;
  /** Human-readable, for logs and `describe`. */
  description: string;
}

/** Implemented by `lambdas/okta/query/plan.ts`. */
export type PlanFn = (def: ObjectDef, filter: Filter | null, options?: { pageLimit?: number }) => OktaQueryPlan;

/**
 * One time slice of a scan: `field` (a catalog column from `ObjectDef.sliceFields`) in `[from, to)`; an absent end
 * is open. Slices of one plan are contiguous and their union is the scanned range.
 */
export interface Slice {
  /** Stable name within a plan, e.g. `created#3/8`; keys per-slice state. */
  readonly id: string;
  readonly field: string;
  readonly from?: string;
  readonly to?: string;
}

/** Where a scan resumes: small, JSON-serializable, versioned. */
export interface Continuation {
  readonly v: 1;
  readonly object: OktaObjectName;
  readonly slice: Slice | null;
  readonly window: TimeWindow | null;
  /** Fingerprint of the request filter: a continuation only resumes the scan it came from. */
  readonly filterHash: string;
  /** Next page as path + query relative to the org origin, e.g. `/api/v1/users?after=00u…&limit=200&search=…`. */
  readonly next: string;
  /** Totals so far, including pages read by earlier invocations. */
  readonly pages: number;
  /** Records Okta returned (before the residual). */
  readonly scanned: number;
  /** Records yielded (after the residual). */
  readonly records: number;
  /** Relations (children of parents): where the parent scan and the current parent's child listing stand. */
  readonly children?: ChildrenCursor | undefined;
}

/**
 * A relation scan's position: the parent page being read (path + query, null = the first page), how many of its
 * parents are finished, the id of the parent at that offset (re-anchors the offset if the page shifted), and the next
 * child page of that parent (null: its first page).
 */
export interface ChildrenCursor {
  readonly parentPage: string | null;
  readonly offset: number;
  readonly parentId: string | null;
  readonly child: string | null;
  /**
   * Set while the scan lists which parents exist (`deps.onExistingParents`, before the children): the next page of
   * that id listing. Absent: the listing is finished (or was not asked for) and the children are being read.
   */
  readonly existence?: string | undefined;
}

export interface ExtractRequest {
  /** Columns, aliases or labels; default: every non-sensitive field. `id` is always kept. */
  readonly fields?: readonly string[];
  readonly filter?: Filter | null;
  /** `[from, to)` on the object's cursor (`last_updated`), ANDed to the filter. */
  readonly window?: TimeWindow;
  readonly slice?: Slice;
  readonly resumeFrom?: Continuation | null;
  /** Page size to ask Okta for (default: the catalog's). */
  readonly pageLimit?: number;
  /**
   * Relations with one request per parent of a big object (UserFactor): run without a filter naming parents. The
   * flow option `perUserRequests`.
   */
  readonly perParentRequests?: boolean;
}

export interface ExtractDeps {
  readonly api: OktaApi;
  readonly plan: PlanFn;
  readonly signal?: AbortSignal;
  /**
   * Keys already read by this scan (earlier invocations of the same task): records with one of them are dropped as
   * duplicates. Default: an empty set per `extract` call.
   */
  readonly seen?: KeySet;
  /** Relations: child listings fetched at once, ahead of the one being read (default 4). */
  readonly childConcurrency?: number;
  /** Relations: the ids of each page of parents listed (before any is skipped as empty), as it is read. */
  readonly onParents?: (parentIds: readonly string[]) => void;
  /**
   * Relations: list every parent that matches the parent filter WITHOUT the window (ids only, the largest page
   * Okta allows) before reading children, and report each page (`complete` on the last). Incremental GroupMember
   * uses it to tombstone the pairs of groups deleted since the last run. Ignored when the filter names the parents.
   */
  readonly onExistingParents?: (parentIds: readonly string[], complete: boolean) => void;
  /** Relations: a parent that vanished mid-run (404 E0000007 on its child listing); it is skipped. */
  readonly onParentGone?: (info: { object: OktaObjectName; parent: OktaObjectName; parentId: string }) => void;
  /** Anomalies worth a warning that do not fail the scan (the System Log stream reports a missing next link). */
  readonly onWarning?: (info: { code: string; message: string }) => void;
}

/** One Okta page after the residual and projection; `continuation` is null once the scan is complete. */
export interface ExtractPage {
  readonly records: OktaRecord[];
  readonly continuation: Continuation | null;
  /** Records of this page already read earlier in the scan, dropped (Okta returned them again). */
  readonly duplicates: number;
  /** Totals so far (also on the last page, where `continuation` is null). */
  readonly totals: ExtractTotals;
}

export interface ExtractTotals {
  readonly pages: number;
  /** Records Okta returned (before the residual). */
  readonly scanned: number;
  /** Records yielded (after the residual). */
  readonly records: number;
  /** Duplicates dropped by this `extract` call (not carried by continuations: the runner counts across them). */
  readonly duplicates: number;
}
