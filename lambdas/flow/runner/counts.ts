/** Adding up run counts across pages, invocations and tasks. */
import { emptyRunCounts, type RunCounts } from '../events.js';

export function addCounts(a: RunCounts, b: Partial<RunCounts>): RunCounts {
  return {
    records: a.records + (b.records ?? 0),
    pages: a.pages + (b.pages ?? 0),
    files: a.files + (b.files ?? 0),
    bytes: a.bytes + (b.bytes ?? 0),
    deletes: a.deletes + (b.deletes ?? 0),
    rateLimitWaitMs: a.rateLimitWaitMs + (b.rateLimitWaitMs ?? 0),
    throttled: a.throttled + (b.throttled ?? 0),
    duplicates: a.duplicates + (b.duplicates ?? 0),
    warnings: a.warnings + (b.warnings ?? 0),
  };
}

export function sumCounts(all: readonly RunCounts[]): RunCounts {
  return all.reduce(addCounts, emptyRunCounts());
}
