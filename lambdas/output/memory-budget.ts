/**
 * One memory budget for the row groups that every Parquet encoder of this process holds at once. Parallel slices
 * of a run each write their own files; their row groups share the budget (each gets `total / open encoders`), so
 * adding slices does not multiply the memory. The default total is derived from V8's heap ceiling — the Lambda's
 * `--max-old-space-size` (heapLimitMiB in lib/okta-flow-function.ts), or in the CLI the same ceiling as the
 * ExtractStep Lambda — so the CLI and the Lambda size row groups alike.
 */
import { getHeapStatistics } from 'node:v8';

const MiB = 1024 * 1024;
/** V8 heap ceiling of the 1024 MB ExtractStep Lambda (heapLimitMiB(1024)): the CLI never assumes more. */
export const LAMBDA_HEAP_LIMIT_BYTES = 768 * MiB;
/**
 * Share of the heap ceiling that row groups may hold (the rest: pages in flight, encoding, the runtime): 16 MiB
 * under the Lambda's 768 MiB. Measured at 200k users end to end under that cap (BENCHMARKS.md): 32 / 16 / 8 MiB
 * gave 287 / 228 / 213 MiB peak RSS, files of 40.9 / 41.2 / 41.6 MB (smaller groups: more footer, fewer
 * dictionary hits).
 */
const HEAP_SHARE = 1 / 48;
const MIN_TOTAL = 8 * MiB;
const MAX_TOTAL = 64 * MiB;
/** No encoder's share falls below this (row groups this small start to cost readers more than they save). */
export const MIN_SHARE_BYTES = 2 * MiB;

export interface MemoryBudget {
  readonly totalBytes: number;
  /** Registers one open encoder; returns the function that releases it. */
  join(): () => void;
  /** Bytes one encoder may hold now. */
  share(): number;
}

export function createMemoryBudget(totalBytes: number): MemoryBudget {
  let open = 0;
  return {
    totalBytes,
    join() {
      open++;
      let left = false;
      return () => {
        if (!left) open--;
        left = true;
      };
    },
    share: () => Math.max(MIN_SHARE_BYTES, Math.floor(totalBytes / Math.max(1, open))),
  };
}

export function defaultBudgetBytes(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  const ceiling = Math.min(heapLimitBytes, LAMBDA_HEAP_LIMIT_BYTES);
  return Math.min(MAX_TOTAL, Math.max(MIN_TOTAL, Math.floor(ceiling * HEAP_SHARE)));
}

/** The process-wide budget every encoder shares unless it is given its own. */
export const processMemoryBudget: MemoryBudget = createMemoryBudget(defaultBudgetBytes());
