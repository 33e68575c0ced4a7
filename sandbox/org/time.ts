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
