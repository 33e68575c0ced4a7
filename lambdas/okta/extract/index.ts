/** The extraction engine: filtered, resumable, optionally time-sliced scans of one Okta object. */
export { andAll, rangeTerms, windowColumn } from './bounds.js';
export { childListPath, extractChildren, parentPlan, perParentRefusal } from './children.js';
export { namedParentIds, namesParents, parentFilter } from './children-filter.js';
export { ContinuationMismatchError, ExtractRequestError } from './errors.js';
export { effectiveFilter, extract, extractRecords, filterHash, selectFields } from './extract.js';
export { extractObject } from './extract-object.js';
export { type ExtractSlicesOptions, extractSlices, type SlicePage } from './extract-slices.js';
export {
  checkStreamStart,
  extractLogStream,
  LOG_MAX_PAGE_LIMIT,
  LOG_MAX_SINCE_AGE_MS,
  LOG_RETENTION_MS,
  type LogStreamPage,
  type LogStreamRequest,
  logStreamStartPath,
} from './log-stream.js';
export { LogStreamStartError } from './log-stream-errors.js';
export { compileProjection } from './projection.js';
export { MAX_SLICES, planSlices, type SliceOptions } from './slices.js';
export type {
  ChildrenCursor,
  Continuation,
  ExtractDeps,
  ExtractPage,
  ExtractRequest,
  ExtractTotals,
  OktaQueryPlan,
  PlanFn,
  Slice,
} from './types.js';
