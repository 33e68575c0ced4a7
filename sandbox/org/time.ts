/** Time constants and the org's default generation epoch. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

/** Default org "now" at generation time, fixed so an org depends only on seed and sizes. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0, 0);

/** Where generated records are created: from four years before the epoch to one hour before it. */
export function generationWindow(epochMs: number): { startMs: number; endMs: number } {
  return { startMs: epochMs - 4 * YEAR, endMs: epochMs - HOUR };
}

/**
 * The epoch of a sandbox whose clock runs from `clockStartMs`: the start of that UTC day. An interactive sandbox
 * (clock at wall time) then has its System Log history within Okta's 90-day retention of "now", so LogEvent flows
 * read it; a clock started on 2026-01-01 (tests, benches) keeps the fixed default epoch.
 */
export function epochForClock(clockStartMs: number): number {
  return Math.floor(clockStartMs / DAY) * DAY;
}
